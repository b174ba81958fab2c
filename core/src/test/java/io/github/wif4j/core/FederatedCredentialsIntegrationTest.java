package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.RecordedRequest;
import io.github.wif4j.testing.TestTls;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives google-auth credentials built by {@link FederatedCredentials} through the fake Google STS
 * and IAM Credentials and checks the exact wire form.
 */
class FederatedCredentialsIntegrationTest {
  private static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";

  private FakeCloud cloud;
  private FakeJwtIssuer issuer;
  private String audience;

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    issuer = FakeJwtIssuer.create("https://oidc.example.test");
    audience = cloud.audience("my-pool", "my-oidc");
    cloud.sts().trustIssuer(issuer, "https://my-app.example.test");
    cloud.iam().allowImpersonation(SA);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private SubjectTokenSource oidc() {
    return new SubjectTokenSource() {
      @Override
      public String subjectTokenType() {
        return SubjectTokenType.JWT;
      }

      @Override
      public SubjectToken fetch(io.github.wif4j.core.spi.SourceContext context) {
        return SubjectToken.of(
            issuer.issue(
                "workload-1", "https://my-app.example.test", Duration.ofHours(1), Map.of()),
            SubjectTokenType.JWT);
      }
    };
  }

  private FederatedCredentials.Builder builder() {
    return FederatedCredentials.builder()
        .audience(audience)
        .tokenUrl(cloud.stsTokenUrl())
        .source(oidc())
        .backgroundRefresh(false)
        .transportPolicy(TransportPolicy.builder().sslContext(TestTls.clientContext()).build());
  }

  @Test
  void directAccess_stsReceivesExactFormFields_callerGetsStsToken() throws Exception {
    try (FederatedCredentials credentials = builder().build()) {
      Map<String, List<String>> metadata =
          credentials.getRequestMetadata(URI.create("https://aiplatform.googleapis.com/"));

      List<RecordedRequest> sts = cloud.sts().requests();
      assertEquals(1, sts.size());
      Map<String, String> form = form(sts.get(0).bodyString());
      assertEquals("urn:ietf:params:oauth:grant-type:token-exchange", form.get("grant_type"));
      assertEquals(audience, form.get("audience"));
      assertEquals("https://www.googleapis.com/auth/cloud-platform", form.get("scope"));
      assertEquals(
          "urn:ietf:params:oauth:token-type:access_token", form.get("requested_token_type"));
      assertEquals(SubjectTokenType.JWT, form.get("subject_token_type"));
      assertNotNull(form.get("subject_token"));

      String bearer = metadata.get("Authorization").get(0);
      assertTrue(bearer.startsWith("Bearer "));
      assertTrue(cloud.sts().isIssued(bearer.substring("Bearer ".length())));
      assertEquals(0, cloud.iam().requestCount());
    }
  }

  @Test
  void impersonation_iamCalledWithStsToken_callerGetsIamToken() throws Exception {
    try (FederatedCredentials credentials =
        builder()
            .settings(
                FederationSettings.builder()
                    .audience(audience)
                    .tokenUrl(cloud.stsTokenUrl())
                    .serviceAccountImpersonationUrl(cloud.impersonationUrl(SA))
                    .tokenLifetime(Duration.ofMinutes(30))
                    .build())
            .build()) {
      credentials.refreshIfExpired();
      String token = credentials.getAccessToken().getTokenValue();

      assertTrue(cloud.iam().isIssued(token));
      assertEquals(1, cloud.sts().requestCount());
      RecordedRequest iam = cloud.iam().requests().get(0);
      assertTrue(iam.path().endsWith(SA + ":generateAccessToken"), iam.path());
      assertTrue(cloud.sts().isIssued(iam.header("Authorization").substring("Bearer ".length())));
      assertTrue(iam.bodyString().contains("\"lifetime\":\"1800s\""), iam.bodyString());
    }
  }

  @Test
  void hotPath_returnsCachedTokenWithoutNewExchange() throws Exception {
    try (FederatedCredentials credentials = builder().build()) {
      Map<String, List<String>> first = credentials.getRequestMetadata(null);
      for (int i = 0; i < 100; i++) {
        assertSame(first, credentials.getRequestMetadata(null));
      }
      credentials.refreshIfExpired();
      assertEquals(1, cloud.sts().requestCount());
    }
  }

  @Test
  void missingImpersonationBinding_explainsTheFix() {
    try (FederatedCredentials credentials =
        builder()
            .settings(
                FederationSettings.builder()
                    .audience(audience)
                    .tokenUrl(cloud.stsTokenUrl())
                    .serviceAccountImpersonationUrl(
                        cloud.impersonationUrl("other@my-project.iam.gserviceaccount.com"))
                    .build())
            .build()) {
      FederationException e =
          assertThrows(FederationException.class, () -> credentials.getRequestMetadata(null));
      assertEquals(FederationException.Step.IMPERSONATION, e.step());
      assertTrue(e.getMessage().contains("roles/iam.workloadIdentityUser"), e.getMessage());
      assertTrue(
          e.getMessage()
              .contains(
                  "principalSet://iam.googleapis.com/projects/123456789012/locations/global/"
                      + "workloadIdentityPools/my-pool/*"),
          e.getMessage());
      assertTrue(e.getMessage().contains("principal://"), e.getMessage());
      assertFalse(e.getMessage().contains("eyJ"), "no token in the message");
    }
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      out.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void getAccessToken_afterGetRequestMetadata_isTheTokenCallersUse() throws Exception {
    try (FederatedCredentials credentials = builder().build()) {
      String bearer =
          credentials
              .getRequestMetadata(URI.create("https://aiplatform.googleapis.com/"))
              .get("Authorization")
              .get(0);
      assertNotNull(credentials.getAccessToken());
      assertEquals(bearer, "Bearer " + credentials.getAccessToken().getTokenValue());
    }
  }

  @Test
  void createWithQuotaProject_staysFederatedAndRefreshing() throws Exception {
    try (FederatedCredentials credentials = builder().build()) {
      com.google.auth.oauth2.GoogleCredentials billed =
          credentials.createWithQuotaProject("billing-project");
      assertTrue(billed instanceof FederatedCredentials, billed.getClass().getName());
      assertEquals("billing-project", billed.getQuotaProjectId());
      Map<String, List<String>> md =
          billed.getRequestMetadata(URI.create("https://x.googleapis.com/"));
      assertEquals(List.of("billing-project"), md.get("x-goog-user-project"));
      assertSame(credentials, credentials.createWithQuotaProject(null));
      ((FederatedCredentials) billed).close();
    }
  }
}

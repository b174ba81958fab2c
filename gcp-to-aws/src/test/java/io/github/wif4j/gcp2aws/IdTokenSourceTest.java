package io.github.wif4j.gcp2aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ImpersonatedCredentials;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeIamCredentials;
import io.github.wif4j.testing.TestTls;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IdTokenSourceTest {
  private static final String SA = "aws-bridge@my-project.iam.gserviceaccount.com";
  private static final String ROLE = "arn:aws:iam::123456789012:role/bridge";

  private FakeIamCredentials iam;
  private FakeAwsSts sts;

  @BeforeEach
  void start() {
    iam = new FakeIamCredentials().start();
    sts = new FakeAwsSts().start();
    iam.acceptBearerTokens("source-access-token"::equals).allowImpersonation(SA);
    sts.trustIssuer(iam.googleIssuer());
  }

  @AfterEach
  void stop() {
    sts.close();
    iam.close();
  }

  /** google-auth always calls iamcredentials.googleapis.com; route it to the fake over TLS. */
  private HttpTransportFactory toFakeIam() {
    return () ->
        new NetHttpTransport.Builder()
            .setConnectionFactory(
                url -> {
                  URL target =
                      "iamcredentials.googleapis.com".equals(url.getHost())
                          ? new URL("https", "127.0.0.1", iam.port(), url.getFile())
                          : url;
                  HttpsURLConnection c = (HttpsURLConnection) target.openConnection();
                  c.setSSLSocketFactory(TestTls.clientContext().getSocketFactory());
                  return c;
                })
            .build();
  }

  private ImpersonatedCredentials impersonated() {
    GoogleCredentials source =
        GoogleCredentials.create(
            new AccessToken(
                "source-access-token", Date.from(Instant.now().plus(Duration.ofHours(1)))));
    return ImpersonatedCredentials.newBuilder()
        .setSourceCredentials(source)
        .setTargetPrincipal(SA)
        .setScopes(List.of("https://www.googleapis.com/auth/cloud-platform"))
        .setLifetime(3600)
        .setHttpTransportFactory(toFakeIam())
        .build();
  }

  @Test
  void from_impersonatedCredentials_assumesRoleWithIamIdToken() {
    sts.allowRole(ROLE, Map.of("accounts.google.com:oaud", "https://aws.example.test/bridge"));
    try (GoogleToAwsCredentialsProvider aws =
        GoogleToAwsCredentialsProvider.builder()
            .roleArn(ROLE)
            .audience("https://aws.example.test/bridge")
            .idTokenSource(IdTokenSource.from(impersonated()))
            .stsEndpoint(sts.endpoint())
            .stsRegion("eu-west-1")
            .environment(Environment.of(Map.of()))
            .build()) {
      assertTrue(aws.resolveCredentials().accessKeyId().startsWith("ASIA"));
    }
    FakeAwsSts.AssumedRole a = sts.assumedRoles().get(0);
    assertEquals(SA, a.sessionName()); // default session name: the service account email
    assertEquals(SA, a.claims().get("email"));
    assertEquals(1, iam.requestCount());
  }

  @Test
  void from_impersonationDenied_explainsTokenCreatorRole() {
    iam.denyImpersonation(SA);
    IdTokenSource source = IdTokenSource.from(impersonated());
    FederationException e = assertThrows(FederationException.class, () -> source.fetch("aud"));
    assertEquals(FederationException.Step.ID_TOKEN, e.step());
    assertTrue(e.getMessage().contains("serviceAccountOpenIdTokenCreator"), e.getMessage());
    assertTrue(e.getMessage().contains("ImpersonatedCredentials"), e.getMessage());
  }

  @Test
  void metadataServer_readsGceMetadataHostOnEveryFetch() {
    IdTokenSource source =
        IdTokenSource.metadataServer(
            Environment.of(Map.of("GCE_METADATA_HOST", "127.0.0.1:9")),
            GoogleToAwsCredentialsProviderTest.fast().toBuilder()
                .deadline(Duration.ofMillis(500))
                .maxAttempts(1)
                .build());
    assertTrue(source.toString().contains("http://127.0.0.1:9"), source.toString());
    FederationException e = assertThrows(FederationException.class, () -> source.fetch("a"));
    assertTrue(e.isRetryable());
    assertTrue(e.getMessage().contains("GCE metadata server"), e.getMessage());
  }
}

package io.github.wif4j.genai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.TestTls;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Vertex AI's 403 and the recipes' variable names, as the adapter reports them. */
class VertexAiErrorsTest {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  private final FakeCloud cloud = FakeCloud.start();
  private final FakeJwtIssuer issuer = FakeJwtIssuer.create("https://issuer.example.test");

  @AfterEach
  void stop() {
    cloud.close();
  }

  private FederatedCredentials credentials() {
    cloud.sts().trustIssuer(issuer, "https://app.example.test");
    cloud.iam().allowImpersonation(SA);
    SubjectTokenSource oidc =
        new SubjectTokenSource() {
          @Override
          public String subjectTokenType() {
            return SubjectTokenType.JWT;
          }

          @Override
          public SubjectToken fetch(io.github.wif4j.core.spi.SourceContext context) {
            return SubjectToken.of(
                issuer.issue("workload", "https://app.example.test", Duration.ofHours(1), Map.of()),
                SubjectTokenType.JWT);
          }
        };
    return FederatedCredentials.builder()
        .settings(
            FederationSettings.builder()
                .audience(cloud.audience("pool", "oidc"))
                .tokenUrl(cloud.stsTokenUrl())
                .serviceAccountImpersonationUrl(cloud.impersonationUrl(SA))
                .build())
        .source(oidc)
        .transportPolicy(TransportPolicy.builder().sslContext(TestTls.clientContext()).build())
        .build();
  }

  @Test
  void predictDenied_explainedWithServiceAccountAndAiplatformUserGrant() {
    cloud.vertex().permitPredict(t -> false);
    try (FederatedCredentials google = credentials()) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .project("my-project")
              .location("asia-northeast1")
              .httpOptions(
                  HttpOptions.builder().baseUrl(cloud.vertex().baseUri().toString()).build())
              .build();
      VertexAiErrors.AccessDeniedException e =
          assertThrows(
              VertexAiErrors.AccessDeniedException.class,
              () ->
                  VertexAiErrors.explaining(
                      google,
                      "my-project",
                      () -> gemini.models.generateContent("gemini-2.5-flash", "Hi", null).text()));
      FederationException x = e.explanation();
      assertEquals(FederationException.Step.API_CALL, x.step());
      assertEquals(403, x.httpStatus());
      assertTrue(x.getMessage().contains("aiplatform.endpoints.predict"), x.getMessage());
      assertTrue(x.getMessage().contains(SA), x.getMessage());
      assertTrue(
          x.fix()
              .orElse("")
              .contains(
                  "gcloud projects add-iam-policy-binding my-project --role=roles/aiplatform.user"
                      + " --member='serviceAccount:"
                      + SA
                      + "'"),
          x.getMessage());
      assertFalse(x.getMessage().contains("workloadIdentityUser"), x.getMessage());
    }
  }

  @Test
  void otherFailures_passThrough() {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThrows(
        IllegalStateException.class,
        () ->
            VertexAiErrors.explaining(
                null,
                null,
                () -> {
                  throw boom;
                }));
  }

  @Test
  void recipeLocation_fallbackToGlobalIsReported() {
    VertexGemini.lastLocationWarning = null;
    try (FederatedCredentials google = credentials()) {
      VertexGemini.builder()
          .credentials(google)
          .project("my-project")
          .environment(Environment.of(Map.of("GCP_LOCATION", "asia-northeast1")))
          .build();
      assertEquals("asia-northeast1", VertexGemini.lastLocationWarning);
    }
  }

  @Test
  void recipeProjectVariable_namedInTheMissingProjectError() {
    try (FederatedCredentials google = credentials()) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  VertexGemini.builder()
                      .credentials(google)
                      .environment(Environment.of(Map.of("GCP_PROJECT_ID", "my-project")))
                      .build());
      assertTrue(e.getMessage().contains("GCP_PROJECT_ID=my-project"), e.getMessage());
      assertTrue(e.getMessage().contains("GOOGLE_CLOUD_PROJECT=my-project"), e.getMessage());
    }
  }
}

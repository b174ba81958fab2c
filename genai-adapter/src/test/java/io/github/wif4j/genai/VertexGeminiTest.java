package io.github.wif4j.genai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.azure.AzureSource;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.FakeVertexAi;
import io.github.wif4j.testing.TestTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real google-genai client, configured by the adapter, against the fake Vertex AI. */
class VertexGeminiTest {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  static final TransportPolicy TLS =
      TransportPolicy.builder().sslContext(TestTls.clientContext()).build();

  private final FakeCloud cloud = FakeCloud.start();
  private final FakeJwtIssuer issuer = FakeJwtIssuer.create("https://issuer.example.test");

  @TempDir Path dir;

  @AfterEach
  void stop() {
    cloud.close();
  }

  private HttpOptions fakeVertex() {
    return HttpOptions.builder().baseUrl(cloud.vertex().baseUri().toString()).build();
  }

  private FederatedCredentials credentials(Source source, String audience, boolean impersonate) {
    FederationSettings.Builder s =
        FederationSettings.builder().audience(audience).tokenUrl(cloud.stsTokenUrl());
    if (impersonate) {
      cloud.iam().allowImpersonation(SA);
      s.serviceAccountImpersonationUrl(cloud.impersonationUrl(SA));
    }
    return FederatedCredentials.builder()
        .settings(s.build())
        .source(source)
        .transportPolicy(TLS)
        .build();
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
            issuer.issue("workload", "https://app.example.test", Duration.ofHours(1), Map.of()),
            SubjectTokenType.JWT);
      }
    };
  }

  @Test
  void generateContent_bearerFromStsProjectLocationModelInPath() throws Exception {
    String audience = cloud.audience("pool", "oidc");
    cloud.sts().trustIssuer(issuer, "https://app.example.test");
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .project("my-project")
              .location("europe-west4")
              .httpOptions(fakeVertex())
              .build();
      String text = gemini.models.generateContent("gemini-2.5-flash", "Hello", null).text();

      assertEquals("fake-gemini: Hello", text);
      FakeVertexAi.Call call = cloud.vertex().calls().get(0);
      assertTrue(cloud.sts().isIssued(call.bearerToken()));
      assertEquals("my-project", call.project());
      assertEquals("europe-west4", call.location());
      assertEquals("gemini-2.5-flash", call.model());
    }
  }

  @Test
  void streaming_withImpersonatedToken() throws Exception {
    String audience = cloud.audience("pool", "oidc");
    cloud.sts().trustIssuer(issuer, "https://app.example.test");
    try (FederatedCredentials google = credentials(oidc(), audience, true)) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .environment(Environment.of(Map.of("GOOGLE_CLOUD_PROJECT", "my-project")))
              .httpOptions(fakeVertex())
              .build();
      StringBuilder text = new StringBuilder();
      try (ResponseStream<GenerateContentResponse> stream =
          gemini.models.generateContentStream("gemini-2.5-flash", "Stream please", null)) {
        for (GenerateContentResponse r : stream) {
          text.append(r.text());
        }
      }
      assertTrue(text.toString().contains("Stream please"), text.toString());
      FakeVertexAi.Call call = cloud.vertex().calls().get(0);
      assertTrue(call.streaming());
      assertTrue(cloud.iam().isIssued(call.bearerToken()));
      assertEquals("global", call.location(), "default location");
    }
  }

  @Test
  void awsImdsSource_endToEnd() throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start()) {
      imds.trustedBy(cloud.sts());
      AwsSource aws =
          AwsSource.builder()
              .environment(
                  Environment.of(
                      Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString())))
              .transportPolicy(TLS)
              .build();
      try (aws;
          FederatedCredentials google =
              credentials(aws, cloud.audience("aws-pool", "aws-provider"), true)) {
        Client gemini =
            VertexGemini.builder()
                .credentials(google)
                .project("my-project")
                .httpOptions(fakeVertex())
                .build();
        gemini.models.generateContent("gemini-2.5-flash", "From EC2", null);
        assertTrue(cloud.iam().isIssued(cloud.vertex().calls().get(0).bearerToken()));
      }
    }
  }

  @Test
  void azureAppServiceSource_endToEnd() throws Exception {
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      cloud.sts().trustIssuer(tenant.issuer(), "api://google-federation");
      AzureSource azure =
          AzureSource.builder()
              .environment(
                  Environment.of(
                      Map.of(
                          "IDENTITY_ENDPOINT", app.identityEndpoint(),
                          "IDENTITY_HEADER", app.identityHeader())))
              .resource("api://google-federation")
              .transportPolicy(TLS)
              .build();
      try (azure;
          FederatedCredentials google =
              credentials(azure, cloud.audience("azure-pool", "entra"), false)) {
        Client gemini =
            VertexGemini.builder()
                .credentials(google)
                .project("my-project")
                .location("us-central1")
                .httpOptions(fakeVertex())
                .build();
        gemini.models.generateContent("gemini-2.5-flash", "From App Service", null);
        FakeVertexAi.Call call = cloud.vertex().calls().get(0);
        assertTrue(cloud.sts().isIssued(call.bearerToken()));
        assertEquals("us-central1", call.location());
      }
    }
  }

  @Test
  void externalAccountConfigFile_withQuotaProject() throws Exception {
    String audience = cloud.audience("pool", "file");
    cloud.sts().trustIssuer(issuer, audience);
    Path token = dir.resolve("token.jwt");
    Files.writeString(token, issuer.issue("workload", audience, Duration.ofHours(1), Map.of()));
    Path file = dir.resolve("credentials.json");
    Files.writeString(
        file,
        "{\"type\":\"external_account\",\"audience\":\""
            + audience
            + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\""
            + cloud.stsTokenUrl()
            + "\",\"quota_project_id\":\"billing-project\",\"credential_source\":{\"file\":\""
            + token
            + "\"}}");
    try (FederatedCredentials google =
        FederatedCredentials.builder()
            .config(ExternalAccountConfig.fromFile(file))
            .transportPolicy(TLS)
            .build()) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .project("my-project")
              .httpOptions(fakeVertex())
              .build();
      gemini.models.generateContent("gemini-2.5-flash", "From a file", null);
      assertTrue(cloud.sts().isIssued(cloud.vertex().calls().get(0).bearerToken()));
      assertEquals(
          "billing-project",
          cloud.vertex().requests().get(0).header("x-goog-user-project"),
          "quota project passed through");
    }
  }

  @Test
  void build_withDetectedSource_makesNoRequest() throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start()) {
      Environment env =
          Environment.of(
              Map.of(
                  "WIF4J_AUDIENCE", cloud.audience("aws-pool", "aws-provider"),
                  "WIF4J_TOKEN_URL", cloud.stsTokenUrl(),
                  "AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString(),
                  "WIF4J_ALLOWED_ENDPOINT_HOSTS", "127.0.0.1",
                  "GOOGLE_CLOUD_PROJECT", "my-project"));
      Client gemini = VertexGemini.builder().environment(env).httpOptions(fakeVertex()).build();
      assertEquals(0, imds.requestCount(), "no metadata probe while building");
      assertEquals(0, cloud.sts().requestCount());
      gemini.close();
    }
  }

  @Test
  void noProjectAnywhere_namesTheVariable() {
    String audience = cloud.audience("pool", "oidc");
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  VertexGemini.builder()
                      .credentials(google)
                      .environment(Environment.of(Map.of()))
                      .build());
      assertTrue(e.getMessage().contains("GOOGLE_CLOUD_PROJECT"), e.getMessage());
    }
  }

  @Test
  void projectNumber_isAccepted() throws Exception {
    String audience = cloud.audience("pool", "oidc");
    cloud.sts().trustIssuer(issuer, "https://app.example.test");
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .environment(Environment.of(Map.of("GOOGLE_CLOUD_PROJECT", "123456789012")))
              .httpOptions(fakeVertex())
              .build();
      gemini.models.generateContent("gemini-2.5-flash", "By number", null);
      assertEquals("123456789012", cloud.vertex().calls().get(0).project());
    }
  }

  @Test
  void malformedProject_namesTheVariable() {
    String audience = cloud.audience("pool", "oidc");
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  VertexGemini.builder()
                      .credentials(google)
                      .environment(Environment.of(Map.of("GOOGLE_CLOUD_PROJECT", "My Project")))
                      .build());
      assertTrue(e.getMessage().contains("GOOGLE_CLOUD_PROJECT"), e.getMessage());
      assertTrue(e.getMessage().contains("'My Project'"), e.getMessage());
    }
  }

  @Test
  void location_fromGoogleCloudLocation() throws Exception {
    String audience = cloud.audience("pool", "oidc");
    cloud.sts().trustIssuer(issuer, "https://app.example.test");
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .environment(
                  Environment.of(
                      Map.of(
                          "GOOGLE_CLOUD_PROJECT", "env-project",
                          "GOOGLE_CLOUD_LOCATION", "asia-northeast1")))
              .httpOptions(fakeVertex())
              .build();
      assertEquals("asia-northeast1", gemini.location());
      gemini.models.generateContent("gemini-2.5-flash", "Tokyo", null);
      FakeVertexAi.Call call = cloud.vertex().calls().get(0);
      assertEquals("env-project", call.project());
      assertEquals("asia-northeast1", call.location());
    }
  }

  @Test
  void builderWinsOverEnvironment() {
    String audience = cloud.audience("pool", "oidc");
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .project("builder-project")
              .location("us-east5")
              .environment(
                  Environment.of(
                      Map.of(
                          "GOOGLE_CLOUD_PROJECT", "env-project",
                          "GOOGLE_CLOUD_LOCATION", "asia-northeast1")))
              .build();
      assertTrue(gemini.vertexAI());
      assertEquals("builder-project", gemini.project());
      assertEquals("us-east5", gemini.location());
    }
  }

  @Test
  void malformedLocation_namesTheVariable() {
    String audience = cloud.audience("pool", "oidc");
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      ConfigurationException e =
          assertThrows(
              ConfigurationException.class,
              () ->
                  VertexGemini.builder()
                      .credentials(google)
                      .project("my-project")
                      .environment(
                          Environment.of(Map.of("GOOGLE_CLOUD_LOCATION", "https://europe-west4")))
                      .build());
      assertTrue(e.getMessage().contains("GOOGLE_CLOUD_LOCATION"), e.getMessage());
    }
  }

  @Test
  void project_fromQuotaProjectOfCredentials_sentAsUserProject() throws Exception {
    String audience = cloud.audience("pool", "oidc");
    cloud.sts().trustIssuer(issuer, "https://app.example.test");
    try (FederatedCredentials google =
        FederatedCredentials.builder()
            .settings(
                FederationSettings.builder()
                    .audience(audience)
                    .tokenUrl(cloud.stsTokenUrl())
                    .quotaProjectId("quota-project")
                    .build())
            .source(oidc())
            .transportPolicy(TLS)
            .build()) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .environment(Environment.of(Map.of()))
              .httpOptions(fakeVertex())
              .build();
      gemini.models.generateContent("gemini-2.5-flash", "Who pays?", null);
      assertEquals("quota-project", cloud.vertex().calls().get(0).project());
      assertEquals("quota-project", cloud.vertex().requests().get(0).header("x-goog-user-project"));
    }
  }

  @Test
  void externalAccountConfigFile_withImpersonation() throws Exception {
    String audience = cloud.audience("pool", "file");
    cloud.sts().trustIssuer(issuer, audience);
    cloud.iam().allowImpersonation(SA);
    Path token = dir.resolve("token.jwt");
    Files.writeString(token, issuer.issue("workload", audience, Duration.ofHours(1), Map.of()));
    Path file = dir.resolve("credentials.json");
    Files.writeString(
        file,
        "{\"type\":\"external_account\",\"audience\":\""
            + audience
            + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\""
            + cloud.stsTokenUrl()
            + "\",\"service_account_impersonation_url\":\""
            + cloud.impersonationUrl(SA)
            + "\",\"credential_source\":{\"file\":\""
            + token
            + "\"}}");
    try (FederatedCredentials google =
        FederatedCredentials.builder()
            .config(ExternalAccountConfig.fromFile(file))
            .transportPolicy(TLS)
            .build()) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .project("my-project")
              .httpOptions(fakeVertex())
              .build();
      assertEquals(
          "fake-gemini: Impersonated",
          gemini.models.generateContent("gemini-2.5-flash", "Impersonated", null).text());
      String bearer = cloud.vertex().calls().get(0).bearerToken();
      assertTrue(cloud.iam().isIssued(bearer), "the service account's token, not the STS one");
      assertEquals(1, cloud.sts().exchanges().size());
    }
  }

  @Test
  void httpOptions_headersAndTimeoutPassThrough() throws Exception {
    String audience = cloud.audience("pool", "oidc");
    cloud.sts().trustIssuer(issuer, "https://app.example.test");
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .project("my-project")
              .httpOptions(
                  HttpOptions.builder()
                      .baseUrl(cloud.vertex().baseUri().toString())
                      .timeout(20_000)
                      .headers(Map.of("x-team", "agents"))
                      .build())
              .build();
      gemini.models.generateContent("gemini-2.5-flash", "Headers", null);
      assertEquals("agents", cloud.vertex().requests().get(0).header("x-team"));
    }
  }

  @Test
  void credentialsNeedingScopes_getCloudPlatform() throws Exception {
    cloud.vertex().acceptBearerTokens("scoped-token"::equals);
    ScopeRecordingCredentials unscoped = new ScopeRecordingCredentials();
    Client gemini =
        VertexGemini.builder()
            .credentials(unscoped)
            .project("my-project")
            .httpOptions(fakeVertex())
            .build();
    gemini.models.generateContent("gemini-2.5-flash", "Scopes", null);
    assertEquals(List.of(VertexGemini.CLOUD_PLATFORM), unscoped.requested);
    assertEquals("scoped-token", cloud.vertex().calls().get(0).bearerToken());
  }

  @Test
  void noCredentials_defaultsToFederatedCredentialsFromTheEnvironment_noIoAtBuild()
      throws Exception {
    String config =
        "{\"type\":\"external_account\",\"audience\":\""
            + cloud.audience("pool", "file")
            + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\""
            + cloud.stsTokenUrl()
            + "\",\"credential_source\":{\"file\":\""
            + dir.resolve("absent.jwt")
            + "\"}}";
    Client gemini =
        VertexGemini.builder()
            .environment(
                Environment.of(
                    Map.of(
                        "WIF4J_CREDENTIAL_CONFIG",
                        config,
                        "GOOGLE_CLOUD_PROJECT",
                        "p-from-env",
                        "WIF4J_ALLOWED_ENDPOINT_HOSTS", // the fake STS listens on loopback
                        "127.0.0.1")))
            .build();
    assertTrue(gemini.vertexAI());
    assertEquals("p-from-env", gemini.project());
    assertEquals("global", gemini.location());
    assertEquals(0, cloud.sts().requestCount(), "building does no I/O");
  }

  @Test
  void noCredentials_nothingConfigured_namesTheFederationVariables() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                VertexGemini.builder()
                    .environment(Environment.of(Map.of("GOOGLE_CLOUD_PROJECT", "my-project")))
                    .build());
    assertTrue(e.getMessage().contains("WIF4J_AUDIENCE"), e.getMessage());
  }

  @Test
  void stsRejects_modelCallFailsWithTheFederationStep() throws Exception {
    String audience = cloud.audience("pool", "oidc"); // issuer not trusted by STS
    try (FederatedCredentials google = credentials(oidc(), audience, false)) {
      Client gemini =
          VertexGemini.builder()
              .credentials(google)
              .project("my-project")
              .httpOptions(fakeVertex())
              .build();
      GenAiIOException e =
          assertThrows(
              GenAiIOException.class,
              () -> gemini.models.generateContent("gemini-2.5-flash", "Denied", null));
      FederationException cause =
          assertInstanceOf(FederationException.class, e.getCause(), e.toString());
      assertEquals(FederationException.Step.STS, cause.step());
      assertTrue(cause.getMessage().contains("Fix:"), cause.getMessage());
      assertEquals(0, cloud.vertex().calls().size(), "no model call without a token");
    }
  }

  /** A hand-written double for credentials that need scopes (like a service account key). */
  static final class ScopeRecordingCredentials extends GoogleCredentials {
    private static final long serialVersionUID = 1L;
    transient List<String> requested;

    @Override
    public boolean createScopedRequired() {
      return true;
    }

    @Override
    public GoogleCredentials createScoped(Collection<String> scopes) {
      requested = List.copyOf(scopes);
      return GoogleCredentials.create(
          new AccessToken("scoped-token", Date.from(Instant.now().plus(Duration.ofHours(1)))));
    }
  }
}

package io.github.wif4j.azure;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.azure.AzureSource.Kind;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.testing.FakeResponse;
import io.github.wif4j.testing.FakeServer;
import io.github.wif4j.testing.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile Azure identity endpoints and environments: typed errors, no echoed secret. */
class AzureHostileTest {
  private static final String RESOURCE = "api://google-federation";
  private static final String HEADER = "0f1e2d3c-4b5a-6978-8695-a4b3c2d1e0f9";
  private static final TransportPolicy POLICY =
      TransportPolicy.builder()
          .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
          .deadline(Duration.ofSeconds(3))
          .build();

  @TempDir Path dir;

  /** An App Service identity endpoint answering with {@code answer}. */
  static final class Endpoint extends FakeServer {
    private final Function<RecordedRequest, FakeResponse> answer;

    Endpoint(Function<RecordedRequest, FakeResponse> answer) {
      super(false);
      this.answer = answer;
    }

    @Override
    public Endpoint start() {
      super.start();
      return this;
    }

    @Override
    protected FakeResponse handle(RecordedRequest request) {
      return answer.apply(request);
    }
  }

  private static AzureSource appService(Endpoint e, String header) {
    Map<String, String> vars = new HashMap<>();
    vars.put("IDENTITY_ENDPOINT", e.baseUri() + "/msi/token");
    vars.put("IDENTITY_HEADER", header);
    return AzureSource.builder()
        .environment(Environment.of(vars))
        .kind(Kind.APP_SERVICE)
        .resource(RESOURCE)
        .transportPolicy(POLICY)
        .build();
  }

  private static SourceContext context(AzureSource s) {
    return SourceContext.of(
        "//iam.googleapis.com/x", s.subjectTokenType(), Environment.of(Map.of()));
  }

  @Test
  void echoedIdentityHeader_neverQuoted() {
    try (Endpoint e =
            new Endpoint(
                    r ->
                        FakeResponse.json(
                            401,
                            Map.of(
                                "error",
                                "invalid_request",
                                "error_description",
                                "X-IDENTITY-HEADER "
                                    + r.header("X-IDENTITY-HEADER")
                                    + " is wrong")))
                .start();
        AzureSource s = appService(e, HEADER)) {
      FederationException f = assertThrows(FederationException.class, () -> s.fetch(context(s)));
      StringWriter trace = new StringWriter();
      f.printStackTrace(new PrintWriter(trace));
      assertFalse(trace.toString().contains(HEADER), trace.toString());
      assertTrue(f.getMessage().contains("is wrong"), f.getMessage());
    }
  }

  @Test
  void identityHeaderWithLineBreak_configurationErrorWithoutTheValue() {
    try (Endpoint e = new Endpoint(r -> FakeResponse.json(200, Map.of())).start();
        AzureSource s = appService(e, HEADER + "\r\nX-Evil: 1")) {
      ConfigurationException c =
          assertThrows(ConfigurationException.class, () -> s.fetch(context(s)));
      assertFalse(c.getMessage().contains(HEADER), c.getMessage());
      assertTrue(e.requestCount() == 0);
    }
  }

  @Test
  void expiresOnOf20Digits_federationExceptionNotNumberFormat() {
    for (String digits : new String[] {"12345678901234567", "99999999999999999999"}) {
      try (Endpoint e =
              new Endpoint(
                      r ->
                          FakeResponse.json(
                              200,
                              Map.of(
                                  "access_token",
                                  "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.",
                                  "expires_on",
                                  digits,
                                  "resource",
                                  RESOURCE,
                                  "token_type",
                                  "Bearer")))
                  .start();
          AzureSource s = appService(e, HEADER)) {
        FederationException f = assertThrows(FederationException.class, () -> s.fetch(context(s)));
        assertTrue(f.getMessage().contains("expires_on"), f.getMessage());
        assertFalse(f.getMessage().contains("eyJ"), f.getMessage());
      }
    }
  }

  @Test
  void tenantWithASpace_configurationException() throws Exception {
    Path token = dir.resolve("token");
    Files.writeString(token, "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.");
    Map<String, String> vars = new HashMap<>();
    vars.put("AZURE_FEDERATED_TOKEN_FILE", token.toString());
    vars.put("AZURE_TENANT_ID", "my tenant");
    vars.put("AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001");
    try (AzureSource s =
        AzureSource.builder()
            .environment(Environment.of(vars))
            .kind(Kind.AKS_ENTRA)
            .resource(RESOURCE)
            .transportPolicy(POLICY)
            .build()) {
      ConfigurationException c =
          assertThrows(ConfigurationException.class, () -> s.fetch(context(s)));
      assertTrue(c.getMessage().contains("AZURE_TENANT_ID"), c.getMessage());
    }
  }

  @Test
  void tokenFileIsADevice_noHang() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")));
    Map<String, String> vars = new HashMap<>();
    vars.put("AZURE_FEDERATED_TOKEN_FILE", "/dev/zero");
    vars.put("AZURE_TENANT_ID", "contoso.onmicrosoft.com");
    vars.put("AZURE_CLIENT_ID", "00000000-0000-0000-0000-000000000001");
    try (AzureSource s =
        AzureSource.builder()
            .environment(Environment.of(vars))
            .kind(Kind.AKS_ENTRA)
            .resource(RESOURCE)
            .transportPolicy(POLICY)
            .build()) {
      org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
          Duration.ofSeconds(5),
          () -> assertThrows(FederationException.class, () -> s.fetch(context(s))));
    }
  }
}

package io.github.wif4j.azure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.azure.AzureSource.Kind;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeAzureImds;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEntra;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.FakeServer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.TestTls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each Azure identity endpoint (App Service, VM IMDS, Entra for AKS) under one transient fault:
 * 500, 503, 429, connection reset or a garbled 200 body; the caller still gets a Google token.
 */
class AzureFaultMatrixTest {
  static final String RESOURCE = "api://google-federation";
  static final TransportPolicy POLICY =
      TransportPolicy.builder()
          .sslContext(TestTls.clientContext())
          .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
          .build();

  private final FakeCloud cloud = FakeCloud.start();
  private final FakeAzureIdentity tenant = new FakeAzureIdentity();
  private final Map<String, String> vars = new HashMap<>();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    cloud.close();
  }

  static Stream<Arguments> cases() {
    Map<String, Supplier<Fault>> faults =
        Map.of(
            "500", () -> Fault.status(500),
            "503", () -> Fault.status(503, "text/html", "<html>unavailable</html>"),
            "429", () -> Fault.status(429),
            "reset", Fault::reset,
            "malformed", Fault::malformedBody);
    Stream.Builder<Arguments> b = Stream.builder();
    for (Kind kind : new Kind[] {Kind.APP_SERVICE, Kind.VM_IMDS, Kind.AKS_ENTRA}) {
      faults.forEach((name, f) -> b.add(Arguments.of(kind, name, f)));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void oneFault_callerGetsGoogleToken(Kind kind, String name, Supplier<Fault> fault)
      throws Exception {
    FakeServer endpoint;
    AzureSource.Builder source =
        AzureSource.builder().environment(Environment.of(vars)).resource(RESOURCE).kind(kind);
    switch (kind) {
      case APP_SERVICE:
        FakeAzureAppService app = new FakeAzureAppService(tenant).start();
        vars.put("IDENTITY_ENDPOINT", app.identityEndpoint());
        vars.put("IDENTITY_HEADER", app.identityHeader());
        cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
        endpoint = app;
        break;
      case VM_IMDS:
        FakeAzureImds imds = new FakeAzureImds(tenant).start();
        source.imdsEndpoint(imds.baseUri());
        cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
        endpoint = imds;
        break;
      default:
        FakeEntra entra = new FakeEntra(tenant).start();
        FakeJwtIssuer cluster = FakeJwtIssuer.create("https://oidc.prod-aks.azure.com/t/c/");
        entra.addFederatedCredential("client-1", cluster, "system:serviceaccount:apps:vertex");
        Path file = dir.resolve("token");
        Files.writeString(
            file,
            cluster.issue(
                "system:serviceaccount:apps:vertex",
                FakeEntra.TOKEN_EXCHANGE_AUDIENCE,
                Duration.ofHours(1),
                Map.of()));
        vars.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
        vars.put("AZURE_AUTHORITY_HOST", entra.authorityHost());
        vars.put("AZURE_TENANT_ID", tenant.tenantId());
        vars.put("AZURE_CLIENT_ID", "client-1");
        cloud.sts().trustIssuer(entra.issuer(), RESOURCE);
        endpoint = entra;
        break;
    }
    endpoint.enqueueFault(fault.get().times(1));
    try (endpoint;
        AzureSource azure = source.transportPolicy(POLICY).build();
        FederatedCredentials google =
            FederatedCredentials.builder()
                .settings(
                    FederationSettings.builder()
                        .audience(cloud.audience("azure-pool", "entra"))
                        .tokenUrl(cloud.stsTokenUrl())
                        .build())
                .source(azure)
                .transportPolicy(POLICY)
                .backgroundRefresh(false)
                .build()) {
      String bearer =
          google
              .getRequestMetadata(URI.create("https://aiplatform.googleapis.com/"))
              .get("Authorization")
              .get(0)
              .substring("Bearer ".length());
      assertTrue(cloud.sts().isIssued(bearer), kind + " " + name);
    }
  }
}

package io.github.wif4j.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.azure.AzureSource.Kind;
import io.github.wif4j.azure.internal.AzureProviders;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SourceProvider;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeAzureImds;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEntra;
import io.github.wif4j.testing.FakeGoogleSts;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.TestTls;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Identity selection, environment-only configuration, forced and failed detection, and a redaction
 * sweep over every Azure failure mode.
 */
class AzureSourceScenariosTest {
  static final String RESOURCE = "api://google-federation";
  static final TransportPolicy POLICY =
      TransportPolicy.builder()
          .sslContext(TestTls.clientContext())
          .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
          .build();

  private final FakeCloud cloud = FakeCloud.start();
  private final FakeAzureIdentity tenant = new FakeAzureIdentity();
  private final String audience = cloud.audience("azure-pool", "entra");
  // the fake Google endpoints listen on loopback
  private final Map<String, String> vars =
      new HashMap<>(Map.of("WIF4J_ALLOWED_ENDPOINT_HOSTS", "127.0.0.1"));
  private final Environment env = Environment.of(vars);

  @TempDir Path dir;

  @AfterEach
  void stop() {
    cloud.close();
  }

  private FederatedCredentials google(Source source) {
    return FederatedCredentials.builder()
        .settings(
            FederationSettings.builder().audience(audience).tokenUrl(cloud.stsTokenUrl()).build())
        .source(source)
        .transportPolicy(POLICY)
        .backgroundRefresh(false)
        .build();
  }

  private static String token(FederatedCredentials c) throws Exception {
    return c.getRequestMetadata(URI.create("https://aiplatform.googleapis.com/"))
        .get("Authorization")
        .get(0)
        .substring("Bearer ".length());
  }

  private void assertJwtExchange(String expectedAud, String expectedOid) {
    FakeGoogleSts.Exchange x = cloud.sts().exchanges().get(0);
    assertEquals(SubjectTokenType.JWT, x.subjectTokenType());
    assertEquals(audience, x.audience());
    assertEquals(expectedAud, x.assertion().get("aud"));
    assertEquals(expectedOid, x.assertion().get("oid"));
  }

  private FakeAzureAppService appService() {
    FakeAzureAppService app = new FakeAzureAppService(tenant).start();
    vars.put("IDENTITY_ENDPOINT", app.identityEndpoint());
    vars.put("IDENTITY_HEADER", app.identityHeader());
    cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
    return app;
  }

  private AzureSource.Builder azure() {
    return AzureSource.builder().environment(env).resource(RESOURCE).transportPolicy(POLICY);
  }

  @Test
  void appService_userAssignedByObjectId_sendsObjectId() throws Exception {
    FakeAzureIdentity.Identity ua = tenant.addUserAssigned("by-object-id");
    try (FakeAzureAppService app = appService();
        AzureSource source = azure().objectId(ua.objectId()).build();
        FederatedCredentials google = google(source)) {
      assertTrue(cloud.sts().isIssued(token(google)));
      assertEquals(ua.objectId(), app.requests().get(0).query("object_id"));
      assertNull(app.requests().get(0).query("client_id"));
      assertJwtExchange(RESOURCE, ua.objectId());
    }
  }

  @Test
  void appService_userAssignedByResourceId_sendsMiResId() throws Exception {
    FakeAzureIdentity.Identity ua = tenant.addUserAssigned("by-resource-id");
    try (FakeAzureAppService app = appService();
        AzureSource source = azure().resourceId(ua.resourceId()).build();
        FederatedCredentials google = google(source)) {
      assertTrue(cloud.sts().isIssued(token(google)));
      assertEquals(ua.resourceId(), app.requests().get(0).query("mi_res_id"));
      assertJwtExchange(RESOURCE, ua.objectId());
    }
  }

  @Test
  void appService_azureClientIdVariable_selectsUserAssigned() throws Exception {
    FakeAzureIdentity.Identity ua = tenant.addUserAssigned("by-env");
    try (FakeAzureAppService app = appService()) {
      vars.put("AZURE_CLIENT_ID", ua.clientId());
      try (AzureSource source = azure().build();
          FederatedCredentials google = google(source)) {
        assertTrue(cloud.sts().isIssued(token(google)));
        assertEquals(ua.clientId(), app.requests().get(0).query("client_id"));
        assertJwtExchange(RESOURCE, ua.objectId());
      }
    }
  }

  @Test
  void appService_unassignedUserIdentity_explainsAssignment() throws Exception {
    try (FakeAzureAppService app = appService();
        AzureSource source = azure().clientId("00000000-0000-0000-0000-00000000dead").build()) {
      FederationException e =
          assertThrows(FederationException.class, () -> source.fetch(context(source)));
      assertEquals(Step.SUBJECT_TOKEN, e.step());
      assertEquals(400, e.httpStatus());
      assertTrue(
          e.getMessage().contains("Unable to load the proper Managed Identity"), e.getMessage());
      assertTrue(e.fix().orElseThrow().contains("user-assigned"), e.fix().orElseThrow());
    }
  }

  @Test
  void appService_identityHeaderMissing_stepSourceNamesVariable() {
    vars.put("IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token");
    try (AzureSource source = azure().kind(Kind.APP_SERVICE).build()) {
      FederationException e =
          assertThrows(FederationException.class, () -> source.fetch(context(source)));
      assertEquals(Step.SOURCE, e.step());
      assertTrue(e.getMessage().contains("IDENTITY_HEADER is not set"), e.getMessage());
      assertTrue(e.fix().isPresent());
    }
  }

  @Test
  void legacyMsi_userAssigned_sendsClientidParameter() throws Exception {
    FakeAzureIdentity.Identity ua = tenant.addUserAssigned("legacy");
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      vars.put("MSI_ENDPOINT", app.identityEndpoint());
      vars.put("MSI_SECRET", app.msiSecret());
      cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
      try (AzureSource source = azure().clientId(ua.clientId()).build();
          FederatedCredentials google = google(source)) {
        assertEquals(Kind.LEGACY_MSI, source.kind());
        assertTrue(cloud.sts().isIssued(token(google)));
        assertEquals(ua.clientId(), app.requests().get(0).query("clientid"));
        assertEquals(app.msiSecret(), app.requests().get(0).header("Secret"));
        assertJwtExchange(RESOURCE, ua.objectId());
      }
    }
  }

  @Test
  void vmImds_userAssignedByResourceId_sendsMsiResId() throws Exception {
    FakeAzureIdentity.Identity ua = tenant.addUserAssigned("vm");
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
      try (AzureSource source =
              azure()
                  .kind(Kind.VM_IMDS)
                  .imdsEndpoint(imds.baseUri())
                  .resourceId(ua.resourceId())
                  .build();
          FederatedCredentials google = google(source)) {
        assertTrue(cloud.sts().isIssued(token(google)));
        assertEquals(ua.resourceId(), imds.requests().get(0).query("msi_res_id"));
        assertEquals("2018-02-01", imds.requests().get(0).query("api-version"));
        assertJwtExchange(RESOURCE, ua.objectId());
      }
    }
  }

  @Test
  void vmImds_retriesExhausted_retryableNamingImds() throws Exception {
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      imds.enqueueFault(Fault.status(503).times(100));
      try (AzureSource source =
          azure()
              .kind(Kind.VM_IMDS)
              .imdsEndpoint(imds.baseUri())
              .transportPolicy(POLICY.toBuilder().maxAttempts(3).build())
              .build()) {
        FederationException e =
            assertThrows(FederationException.class, () -> source.fetch(context(source)));
        assertTrue(e.isRetryable(), e.getMessage());
        assertTrue(e.getMessage().contains("IMDS"), e.getMessage());
        assertTrue(imds.requestCount() >= 3, "retried: " + imds.requestCount());
      }
    }
  }

  @Test
  void vmImds_stillUpdating410_retryableWithExplanation() throws Exception {
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      imds.enqueueFault(Fault.status(410).times(100));
      try (AzureSource source =
          azure()
              .kind(Kind.VM_IMDS)
              .imdsEndpoint(imds.baseUri())
              .transportPolicy(POLICY.toBuilder().maxAttempts(2).build())
              .build()) {
        FederationException e =
            assertThrows(FederationException.class, () -> source.fetch(context(source)));
        assertEquals(410, e.httpStatus());
        assertTrue(e.isRetryable(), e.getMessage());
        assertTrue(e.getMessage().contains("Azure IMDS answered HTTP 410"), e.getMessage());
        assertTrue(e.fix().orElseThrow().contains("being updated"), e.fix().orElseThrow());
      }
    }
  }

  @Test
  void seedScenario_fromEnvironmentOnly_detectsAppServiceAndReachesVertex() throws Exception {
    try (FakeAzureAppService app = appService()) {
      vars.put("WIF4J_PROJECT_NUMBER", FakeCloud.PROJECT_NUMBER);
      vars.put("WIF4J_POOL_ID", "azure-pool");
      vars.put("WIF4J_PROVIDER_ID", "entra");
      vars.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
      vars.put("WIF4J_AZURE_RESOURCE", RESOURCE);
      // fromEnvironment does the whole configuration; only the test TLS trust is added on top
      FederatedCredentials fromEnv = FederatedCredentials.fromEnvironment(env);
      try (FederatedCredentials google = fromEnv.toBuilder().transportPolicy(POLICY).build()) {
        String bearer = token(google); // the source is detected by the first refresh
        AzureSource source = assertInstanceOf(AzureSource.class, google.source().orElseThrow());
        assertEquals(Kind.APP_SERVICE, source.kind());
        assertEquals(RESOURCE, source.resource());
        assertEquals(200, AzureSourceIntegrationTestSupport.generateContent(cloud, bearer));
        assertEquals(bearer, cloud.vertex().calls().get(0).bearerToken());
        assertTrue(cloud.sts().isIssued(bearer));
        assertJwtExchange(RESOURCE, tenant.systemAssigned().objectId());
        assertEquals(app.identityHeader(), app.requests().get(0).header("X-IDENTITY-HEADER"));
      }
    }
  }

  @Test
  void wif4jSource_forcesImdsOverAppServiceVariables() throws Exception {
    vars.put("IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token");
    vars.put("IDENTITY_HEADER", "h");
    vars.put("WIF4J_SOURCE", "azure-imds");
    vars.put("WIF4J_AZURE_RESOURCE", RESOURCE);
    AzureSource forced = assertInstanceOf(AzureSource.class, SourceDetector.detect(env));
    assertEquals(Kind.VM_IMDS, forced.kind());
    vars.remove("WIF4J_SOURCE");
    assertEquals(Kind.APP_SERVICE, ((AzureSource) SourceDetector.detect(env)).kind());
  }

  @Test
  void wif4jSource_forcesAksOverAppServiceVariables() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "x.y.z");
    vars.put("IDENTITY_ENDPOINT", "http://127.0.0.1:1/msi/token");
    vars.put("IDENTITY_HEADER", "h");
    vars.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
    vars.put("WIF4J_SOURCE", "azure-aks");
    assertEquals(Kind.AKS_DIRECT, ((AzureSource) SourceDetector.detect(env)).kind());
  }

  @Test
  void detection_nothingApplies_listsEveryAzureReason() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    vars.put("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://127.0.0.1:" + closed);
    List<SourceProvider> azureProviders = new ArrayList<>();
    ServiceLoader.load(SourceProvider.class)
        .forEach(
            p -> {
              if (p.id().startsWith("azure-")) {
                azureProviders.add(p);
              }
            });
    assertEquals(
        List.of("azure-app-service", "azure-msi", "azure-aks", "azure-imds"),
        azureProviders.stream()
            .sorted((a, b) -> Integer.compare(a.order(), b.order()))
            .map(SourceProvider::id)
            .toList());

    SourceDetector.DetectionException e =
        assertThrows(
            SourceDetector.DetectionException.class,
            () -> SourceDetector.detect(env, null, azureProviders));
    String m = e.getMessage();
    assertTrue(m.contains("azure-app-service: IDENTITY_ENDPOINT and IDENTITY_HEADER"), m);
    assertTrue(m.contains("azure-msi: MSI_ENDPOINT is not set"), m);
    assertTrue(m.contains("azure-aks: AZURE_FEDERATED_TOKEN_FILE is not set"), m);
    assertTrue(m.contains("azure-imds: no Azure IMDS answered at http://127.0.0.1:" + closed), m);
  }

  @Test
  void detection_aksModeFromVariables() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "x.y.z");
    vars.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
    assertEquals(Kind.AKS_DIRECT, ((AzureSource) new AzureProviders.Aks().detect(env)).kind());
    vars.put("WIF4J_AZURE_RESOURCE", RESOURCE);
    assertEquals(Kind.AKS_ENTRA, ((AzureSource) new AzureProviders.Aks().detect(env)).kind());
    vars.put("WIF4J_AZURE_AKS_MODE", "direct");
    assertEquals(Kind.AKS_DIRECT, ((AzureSource) new AzureProviders.Aks().detect(env)).kind());
    vars.put("WIF4J_AZURE_AKS_MODE", "sideways");
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> new AzureProviders.Aks().detect(env));
    assertTrue(bad.getMessage().contains("WIF4J_AZURE_AKS_MODE"), bad.getMessage());
  }

  @Test
  void builder_twoSelectors_rejectedNamingFields() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> azure().clientId("a").objectId("b").build());
    assertTrue(e.getMessage().contains("clientId/objectId/resourceId"), e.getMessage());
  }

  @Test
  void toBuilder_keepsResolvedSettings() {
    try (AzureSource a = azure().kind(Kind.VM_IMDS).clientId("c1").build();
        AzureSource b = a.toBuilder().build()) {
      assertEquals(Kind.VM_IMDS, b.kind());
      assertEquals(RESOURCE, b.resource());
      assertEquals(a.description(), b.description());
    }
  }

  @Test
  void redaction_noHeaderSecretOrTokenInAnyFailureOrToString() throws Exception {
    List<String> secrets = new ArrayList<>();
    StringBuilder printed = new StringBuilder();
    FakeJwtIssuer cluster = FakeJwtIssuer.create("https://oidc.prod-aks.azure.com/t/c/");
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start();
        FakeAzureImds imds = new FakeAzureImds(tenant).start();
        FakeEntra entra = new FakeEntra(tenant).start()) {
      secrets.add(app.identityHeader());
      secrets.add(app.msiSecret());
      // 1. stale identity header -> 401
      vars.put("IDENTITY_ENDPOINT", app.identityEndpoint());
      vars.put("IDENTITY_HEADER", app.identityHeader());
      app.rotateIdentityHeader();
      secrets.add(app.identityHeader());
      printed.append(failure(azure().build()));
      // 2. a successful token, then STS rejects it (issuer not trusted)
      vars.put("IDENTITY_HEADER", app.identityHeader());
      try (AzureSource ok = azure().build();
          FederatedCredentials google = google(ok)) {
        SubjectToken t = ok.fetch(context(ok));
        printed.append(t).append(ok).append(google);
        printed.append(messages(assertThrows(Exception.class, () -> token(google))));
      }
      // 3. legacy MSI with a wrong secret
      vars.clear();
      vars.put("MSI_ENDPOINT", app.identityEndpoint());
      vars.put("MSI_SECRET", "wrong-msi-secret-1234");
      secrets.add("wrong-msi-secret-1234");
      printed.append(failure(azure().build()));
      // 4. IMDS 500 with an HTML body, 5. unknown resource
      imds.enqueueFault(Fault.status(500, "text/html", "<html>oops</html>").times(10));
      printed.append(
          failure(
              azure()
                  .kind(Kind.VM_IMDS)
                  .imdsEndpoint(imds.baseUri())
                  .transportPolicy(POLICY.toBuilder().maxAttempts(2).build())
                  .build()));
      imds.clearFaults();
      tenant.rejectResource("api://nope");
      printed.append(
          failure(
              AzureSource.builder()
                  .environment(env)
                  .transportPolicy(POLICY)
                  .kind(Kind.VM_IMDS)
                  .imdsEndpoint(imds.baseUri())
                  .resource("api://nope")
                  .build()));
      // 6. Entra AADSTS70021
      Path file = dir.resolve("token");
      String saToken =
          cluster.issue(
              "system:serviceaccount:a:b",
              FakeEntra.TOKEN_EXCHANGE_AUDIENCE,
              Duration.ofHours(1),
              Map.of());
      Files.writeString(file, saToken);
      secrets.add(saToken);
      vars.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
      vars.put("AZURE_AUTHORITY_HOST", entra.authorityHost());
      vars.put("AZURE_TENANT_ID", tenant.tenantId());
      vars.put("AZURE_CLIENT_ID", "client-x");
      printed.append(failure(azure().kind(Kind.AKS_ENTRA).build()));
      assertTrue(printed.toString().contains("AADSTS70021"), printed.toString());
      assertTrue(printed.toString().contains("HTTP 401"), printed.toString());
    }
    secrets.addAll(tenant.issuedTokens());
    assertFalse(tenant.issuedTokens().isEmpty());
    String all = printed.toString();
    for (String s : secrets) {
      assertFalse(all.contains(s), "leaked a secret: " + all);
      // nor a large piece of a JWT (its signature)
      String tail = s.substring(Math.max(0, s.length() - 20));
      assertFalse(all.contains(tail), "leaked part of a secret: " + all);
    }
  }

  private String failure(AzureSource source) {
    try (source) {
      FederationException e =
          assertThrows(FederationException.class, () -> source.fetch(context(source)));
      return messages(e) + source + '\n';
    }
  }

  private static SourceContext context(AzureSource source) {
    return SourceContext.of("aud", source.subjectTokenType(), Environment.of(Map.of()));
  }

  static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        sb.append(s).append('\n');
      }
    }
    return sb.toString();
  }
}

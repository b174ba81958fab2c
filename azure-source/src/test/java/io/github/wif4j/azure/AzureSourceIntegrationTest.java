package io.github.wif4j.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.azure.AzureSource.Kind;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.SourceUnavailableException;
import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeAzureImds;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeEntra;
import io.github.wif4j.testing.FakeGoogleSts;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.TestTls;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every Azure identity endpoint, each ending with a Google token from the fake STS. */
class AzureSourceIntegrationTest {
  /**
   * Past the stale point (59 min) of a one-hour token but not past 60 min: the fakes stamp expiries
   * with the real time, so a renewed token must not look expired on the advanced fake clock.
   */
  private static final Duration STALE = Duration.ofMinutes(59).plusSeconds(30);

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
  private final FakeClock clock = FakeClock.now();

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
        .clock(clock)
        .backgroundRefresh(false)
        .build();
  }

  private String token(FederatedCredentials c) throws Exception {
    return c.getRequestMetadata(URI.create("https://aiplatform.googleapis.com/"))
        .get("Authorization")
        .get(0)
        .substring("Bearer ".length());
  }

  private void assertJwtExchange(int index, String expectedAud) {
    FakeGoogleSts.Exchange x = cloud.sts().exchanges().get(index);
    assertEquals(SubjectTokenType.JWT, x.subjectTokenType());
    assertEquals(audience, x.audience());
    assertEquals(expectedAud, x.assertion().get("aud"));
  }

  private FakeAzureAppService appService() {
    FakeAzureAppService app = new FakeAzureAppService(tenant).start();
    vars.put("IDENTITY_ENDPOINT", app.identityEndpoint());
    vars.put("IDENTITY_HEADER", app.identityHeader());
    cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
    return app;
  }

  @Test
  void appService_systemAssigned() throws Exception {
    try (FakeAzureAppService app = appService();
        AzureSource azure =
            AzureSource.builder()
                .environment(env)
                .resource(RESOURCE)
                .clock(clock)
                .transportPolicy(POLICY)
                .build();
        FederatedCredentials google = google(azure)) {
      assertEquals(Kind.APP_SERVICE, azure.kind());
      assertTrue(cloud.sts().isIssued(token(google)));
      assertJwtExchange(0, RESOURCE);
      assertEquals(
          tenant.systemAssigned().objectId(),
          cloud.sts().exchanges().get(0).assertion().get("oid"));
      assertEquals(app.identityHeader(), app.requests().get(0).header("X-IDENTITY-HEADER"));
      assertEquals("2019-08-01", app.requests().get(0).query("api-version"));
    }
  }

  @Test
  void appService_userAssignedByClientId() throws Exception {
    FakeAzureIdentity.Identity ua = tenant.addUserAssigned("vertex-caller");
    try (FakeAzureAppService app = appService();
        AzureSource azure =
            AzureSource.builder()
                .environment(env)
                .resource(RESOURCE)
                .clientId(ua.clientId())
                .transportPolicy(POLICY)
                .build();
        FederatedCredentials google = google(azure)) {
      assertTrue(cloud.sts().isIssued(token(google)));
      assertEquals(ua.objectId(), cloud.sts().exchanges().get(0).assertion().get("oid"));
      assertEquals(ua.clientId(), app.requests().get(0).query("client_id"));
    }
  }

  @Test
  void appService_identityHeaderRotatedBetweenFetches_newValueUsed() throws Exception {
    try (FakeAzureAppService app = appService();
        AzureSource azure =
            AzureSource.builder()
                .environment(env)
                .resource(RESOURCE)
                .clock(clock)
                .transportPolicy(POLICY)
                .build();
        FederatedCredentials google = google(azure)) {
      String first = token(google);
      vars.put("IDENTITY_HEADER", app.rotateIdentityHeader()); // the platform rotated it
      clock.advance(STALE); // both the Azure and the Google token are stale
      String second = token(google);

      assertNotEquals(first, second);
      assertEquals(2, app.requestCount());
      assertNotEquals(
          app.requests().get(0).header("X-IDENTITY-HEADER"),
          app.requests().get(1).header("X-IDENTITY-HEADER"));
      assertEquals(2, cloud.sts().exchanges().size());
    }
  }

  @Test
  void appService_googleRefreshReusesValidAzureToken() throws Exception {
    try (FakeAzureAppService app = appService();
        AzureSource azure =
            AzureSource.builder()
                .environment(env)
                .resource(RESOURCE)
                .transportPolicy(POLICY)
                .build();
        FederatedCredentials google = google(azure)) {
      token(google);
      google.refresh(); // a forced Google refresh
      assertEquals(2, cloud.sts().requestCount());
      assertEquals(1, app.requestCount(), "the Azure token was still valid");
    }
  }

  @Test
  void legacyMsi_secretHeaderAndWindowsExpiry() throws Exception {
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      vars.put("MSI_ENDPOINT", app.identityEndpoint());
      vars.put("MSI_SECRET", app.msiSecret());
      cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
      try (AzureSource azure =
              AzureSource.builder()
                  .environment(env)
                  .resource(RESOURCE)
                  .transportPolicy(POLICY)
                  .build();
          FederatedCredentials google = google(azure)) {
        assertEquals(Kind.LEGACY_MSI, azure.kind());
        assertTrue(cloud.sts().isIssued(token(google)));
        assertEquals("2017-09-01", app.requests().get(0).query("api-version"));
        assertJwtExchange(0, RESOURCE);
      }
    }
  }

  @Test
  void vmImds_eachRetryableStatusOnce_thenToken() throws Exception {
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      for (int status : new int[] {404, 410, 429, 500, 503}) {
        imds.enqueueFault(Fault.status(status).times(1));
      }
      cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
      try (AzureSource azure =
              AzureSource.builder()
                  .environment(env)
                  .kind(Kind.VM_IMDS)
                  .imdsEndpoint(imds.baseUri())
                  .resource(RESOURCE)
                  .transportPolicy(POLICY.toBuilder().maxAttempts(6).build())
                  .build();
          FederatedCredentials google = google(azure)) {
        assertTrue(cloud.sts().isIssued(token(google)));
        assertEquals(6, imds.requestCount());
        assertEquals("true", imds.requests().get(5).header("Metadata"));
        assertJwtExchange(0, RESOURCE);
      }
    }
  }

  @Test
  void vmImds_unknownResource_explainsApplicationIdUri() throws Exception {
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      tenant.rejectResource("api://typo");
      try (AzureSource azure =
              AzureSource.builder()
                  .environment(env)
                  .kind(Kind.VM_IMDS)
                  .imdsEndpoint(imds.baseUri())
                  .resource("api://typo")
                  .transportPolicy(POLICY)
                  .build();
          FederatedCredentials google = google(azure)) {
        Exception e = assertThrows(Exception.class, () -> token(google));
        String m = messages(e);
        assertTrue(m.contains("AADSTS500011") && m.contains("WIF4J_AZURE_RESOURCE"), m);
        assertEquals(1, imds.requestCount(), "a 400 is not retried");
      }
    }
  }

  @Test
  void aksDirect_tokenFileRotation() throws Exception {
    FakeJwtIssuer cluster = FakeJwtIssuer.create("https://oidc.prod-aks.azure.com/tenant/cluster/");
    cloud.sts().trustIssuer(cluster, FakeEntra.TOKEN_EXCHANGE_AUDIENCE);
    Path file = dir.resolve("azure-identity-token");
    Files.writeString(file, saToken(cluster, "rotation-1"));
    vars.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
    try (AzureSource azure =
            AzureSource.builder().environment(env).clock(clock).transportPolicy(POLICY).build();
        FederatedCredentials google = google(azure)) {
      assertEquals(Kind.AKS_DIRECT, azure.kind());
      token(google);
      Files.writeString(file, saToken(cluster, "rotation-2")); // the kubelet rewrote it
      clock.advance(STALE);
      token(google);

      assertEquals("rotation-1", cloud.sts().exchanges().get(0).assertion().get("jti"));
      assertEquals("rotation-2", cloud.sts().exchanges().get(1).assertion().get("jti"));
      assertJwtExchange(1, FakeEntra.TOKEN_EXCHANGE_AUDIENCE);
    }
  }

  @Test
  void aksEntra_exchangedAtEntra_withTokenFileRotation() throws Exception {
    FakeJwtIssuer cluster = FakeJwtIssuer.create("https://oidc.prod-aks.azure.com/tenant/cluster/");
    try (FakeEntra entra = new FakeEntra(tenant).start()) {
      String clientId = "0a1b2c3d-1111-2222-3333-444455556666";
      entra.addFederatedCredential(clientId, cluster, "system:serviceaccount:apps:vertex");
      cloud.sts().trustIssuer(entra.issuer(), RESOURCE);
      Path file = dir.resolve("azure-identity-token");
      Files.writeString(file, saToken(cluster, "rotation-1"));
      vars.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
      vars.put("AZURE_AUTHORITY_HOST", entra.authorityHost());
      vars.put("AZURE_TENANT_ID", tenant.tenantId());
      vars.put("AZURE_CLIENT_ID", clientId);
      vars.put("WIF4J_AZURE_RESOURCE", RESOURCE);
      try (AzureSource azure =
              AzureSource.builder().environment(env).clock(clock).transportPolicy(POLICY).build();
          FederatedCredentials google = google(azure)) {
        assertEquals(Kind.AKS_ENTRA, azure.kind());
        assertTrue(cloud.sts().isIssued(token(google)));
        Files.writeString(file, saToken(cluster, "rotation-2"));
        clock.advance(STALE);
        token(google);

        assertEquals(RESOURCE + "/.default", entra.requests().get(0).form().get("scope"));
        assertTrue(
            entra
                .requests()
                .get(1)
                .form()
                .get("client_assertion")
                .equals(Files.readString(file).trim()));
        assertJwtExchange(1, RESOURCE);
      }
    }
  }

  @Test
  void aksEntra_noMatchingFederatedCredential_AADSTS70021Explained() throws Exception {
    FakeJwtIssuer cluster = FakeJwtIssuer.create("https://oidc.prod-aks.azure.com/tenant/cluster/");
    try (FakeEntra entra = new FakeEntra(tenant).start()) {
      entra.addFederatedCredential("client-1", cluster, "system:serviceaccount:apps:other");
      Path file = dir.resolve("token");
      Files.writeString(file, saToken(cluster, "x"));
      vars.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
      vars.put("AZURE_AUTHORITY_HOST", entra.authorityHost());
      vars.put("AZURE_TENANT_ID", tenant.tenantId());
      vars.put("AZURE_CLIENT_ID", "client-1");
      try (AzureSource azure =
              AzureSource.builder()
                  .environment(env)
                  .kind(Kind.AKS_ENTRA)
                  .resource(RESOURCE)
                  .transportPolicy(POLICY)
                  .build();
          FederatedCredentials google = google(azure)) {
        Exception e = assertThrows(Exception.class, () -> token(google));
        String m = messages(e);
        assertTrue(m.contains("AADSTS70021"), m);
        assertTrue(m.contains("system:serviceaccount:apps:vertex"), m);
        assertTrue(m.contains("az identity federated-credential create"), m);
        assertFalse(m.contains(Files.readString(file).trim()), "the cluster token leaked: " + m);
      }
    }
  }

  @Test
  void seedScenario_appServiceToVertexDirectAccess_configuredOnlyFromEnvironment()
      throws Exception {
    try (FakeAzureAppService app = appService()) {
      vars.put("WIF4J_PROJECT_NUMBER", FakeCloud.PROJECT_NUMBER);
      vars.put("WIF4J_POOL_ID", "azure-pool");
      vars.put("WIF4J_PROVIDER_ID", "entra");
      vars.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
      vars.put("WIF4J_AZURE_RESOURCE", RESOURCE);
      try (FederatedCredentials google =
          FederatedCredentials.builder()
              .environment(env)
              .settings(FederationSettings.fromEnvironment(env))
              .transportPolicy(POLICY)
              .build()) {
        String bearer = token(google); // the source is detected by the first refresh
        assertInstanceOf(AzureSource.class, google.source().orElseThrow());
        URI url =
            URI.create(
                cloud.vertex().baseUri()
                    + "/v1/projects/my-project/locations/global/publishers/google/models/"
                    + "gemini-2.5-flash:generateContent");
        HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Bearer " + bearer);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
          out.write(
              "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"
                  .getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(200, c.getResponseCode());
        assertTrue(cloud.sts().isIssued(cloud.vertex().calls().get(0).bearerToken()));
        assertJwtExchange(0, RESOURCE);
      }
    }
  }

  @Test
  void googleProviderAllowsAnotherAudience_errorNamesTheRequestedResource() throws Exception {
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      vars.put("IDENTITY_ENDPOINT", app.identityEndpoint());
      vars.put("IDENTITY_HEADER", app.identityHeader());
      cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
      try (AzureSource azure =
              AzureSource.builder()
                  .environment(env)
                  .transportPolicy(POLICY)
                  .build(); // management default
          FederatedCredentials google = google(azure)) {
        Exception e = assertThrows(Exception.class, () -> token(google));
        String m = messages(e);
        assertTrue(m.contains("https://management.azure.com/"), m);
      }
    }
  }

  @Test
  void wrongIdentityHeader_neverPrinted() throws Exception {
    try (FakeAzureAppService app = appService()) {
      vars.put("IDENTITY_HEADER", "stale-header-value-0000");
      try (AzureSource azure =
              AzureSource.builder()
                  .environment(env)
                  .resource(RESOURCE)
                  .transportPolicy(POLICY)
                  .build();
          FederatedCredentials google = google(azure)) {
        Exception e = assertThrows(Exception.class, () -> token(google));
        String m = messages(e) + azure + google;
        assertTrue(m.contains("HTTP 401"), m);
        assertFalse(m.contains("stale-header-value-0000"), m);
        assertFalse(m.contains(app.identityHeader()), m);
      }
    }
  }

  @Test
  void detection_ordersEnvMarkersFirst_andProbesImds() throws Exception {
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start();
        FakeEc2Metadata ec2 = new FakeEc2Metadata().start()) {
      assertInstanceOf(
          AzureSource.class,
          SourceDetector.detect(
              Environment.of(
                  Map.of(
                      "IDENTITY_ENDPOINT",
                      "http://127.0.0.1:1/msi/token",
                      "IDENTITY_HEADER",
                      "h"))));
      Source vm =
          new io.github.wif4j.azure.internal.AzureProviders.Imds()
              .detect(
                  Environment.of(
                      Map.of("AZURE_POD_IDENTITY_AUTHORITY_HOST", imds.baseUri().toString())));
      assertEquals(Kind.VM_IMDS, ((AzureSource) vm).kind());
      SourceUnavailableException notAzure =
          assertThrows(
              SourceUnavailableException.class,
              () ->
                  new io.github.wif4j.azure.internal.AzureProviders.Imds()
                      .detect(
                          Environment.of(
                              Map.of(
                                  "AZURE_POD_IDENTITY_AUTHORITY_HOST", ec2.baseUri().toString()))));
      assertTrue(notAzure.getMessage().contains("not Azure's"), notAzure.getMessage());
      SourceUnavailableException none =
          assertThrows(
              SourceUnavailableException.class,
              () ->
                  new io.github.wif4j.azure.internal.AzureProviders.AppService()
                      .detect(Environment.of(Map.of())));
      assertTrue(none.getMessage().contains("IDENTITY_ENDPOINT"), none.getMessage());
    }
  }

  @Test
  void inspector_printsClaimsAndMembers_neverTheToken() throws Exception {
    try (FakeAzureAppService app = appService();
        AzureSource azure =
            AzureSource.builder()
                .environment(env)
                .resource(RESOURCE)
                .transportPolicy(POLICY)
                .build()) {
      AzureIdentityInspector.Inspection who =
          AzureIdentityInspector.inspect(azure, WorkloadIdentityAudience.parse(audience));
      String printed = who.toString();
      assertTrue(printed.contains(tenant.tenantId()), printed);
      assertTrue(
          printed.contains(
              "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/azure-pool/subject/"
                  + tenant.systemAssigned().objectId()),
          printed);
      assertTrue(printed.contains("attribute.tid/" + tenant.tenantId()), printed);
      for (String t : tenant.issuedTokens()) {
        assertFalse(printed.contains(t));
      }
    }
  }

  @Test
  void badResource_rejectedAtBuild() {
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AzureSource.builder().environment(env).resource("google-federation").build());
    assertTrue(e.getMessage().contains("api://"), e.getMessage());
  }

  @Test
  void aks_resourceGivenInCode_meansEntraMode() throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "x.y.z");
    vars.put("AZURE_FEDERATED_TOKEN_FILE", file.toString());
    try (AzureSource inCode = AzureSource.builder().environment(env).resource(RESOURCE).build();
        AzureSource plain = AzureSource.builder().environment(env).build()) {
      assertEquals(Kind.AKS_ENTRA, inCode.kind());
      assertEquals(Kind.AKS_DIRECT, plain.kind());
    }
  }

  private static String saToken(FakeJwtIssuer cluster, String jti) {
    return cluster.issue(
        "system:serviceaccount:apps:vertex",
        FakeEntra.TOKEN_EXCHANGE_AUDIENCE,
        Duration.ofHours(1),
        Map.of("jti", jti));
  }

  static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }

  @Test
  void appService_expiredOrZeroLifetime_notServed_neverReachesSts() throws Exception {
    try (FakeAzureAppService app = appService();
        AzureSource azure =
            AzureSource.builder()
                .environment(env)
                .resource(RESOURCE)
                .clock(clock)
                .transportPolicy(POLICY)
                .build();
        FederatedCredentials google = google(azure)) {
      long past = clock.instant().minusSeconds(600).getEpochSecond();
      for (String expiry :
          new String[] {
            "\"expires_in\":\"-5\"", "\"expires_in\":\"0\"", "\"expires_on\":\"" + past + "\""
          }) {
        app.enqueueFault(
            Fault.status(
                200,
                "application/json",
                "{\"access_token\":\"eyJhbGciOiJub25lIn0.e30.\",\"token_type\":\"Bearer\","
                    + expiry
                    + "}"));
        FederationException e = assertThrows(FederationException.class, () -> token(google));
        assertTrue(e.getMessage().contains("it is not used"), expiry + ": " + e.getMessage());
        app.clearFaults();
      }
      assertEquals(0, cloud.sts().requestCount(), "an expired Azure token never reached STS");
    }
  }
}

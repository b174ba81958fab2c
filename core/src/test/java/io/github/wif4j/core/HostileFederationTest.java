package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.AwsSigningMaterial;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.TestTls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile configurations and degraded servers through {@link FederatedCredentials}: a slow STS is
 * served with the default settings, a hung one fails at the deadline naming its step, endpoints off
 * the allow-list receive nothing, a rejected source is re-read.
 */
class HostileFederationTest {
  private static final Environment NO_OPT_IN = Environment.of(Map.of());

  private FakeCloud cloud;
  private FakeJwtIssuer issuer;

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    issuer = FakeJwtIssuer.create("https://oidc.example.test");
    cloud.sts().trustIssuer(issuer, FaultMatrixTest.APP_AUDIENCE);
    cloud.iam().allowImpersonation(FaultMatrixTest.SA);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  /** The default policy; only the TLS context differs, for the fakes' test CA. */
  private static TransportPolicy defaults() {
    return TransportPolicy.defaults().toBuilder().sslContext(TestTls.clientContext()).build();
  }

  @Test
  void stsTaking6s_64Callers_defaults_oneExchange_allServed() throws Exception {
    cloud.sts().enqueueFault(Fault.delay(Duration.ofSeconds(6)).times(64));
    ExecutorService callers = Executors.newFixedThreadPool(64);
    try (FederatedCredentials credentials =
        FaultMatrixTest.impersonating(cloud, issuer, defaults()).build()) {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(
            callers.submit(() -> credentials.getRequestMetadata(null).get("Authorization").get(0)));
      }
      for (Future<String> f : results) {
        assertTrue(f.get(60, TimeUnit.SECONDS).startsWith("Bearer "));
      }
      assertEquals(1, cloud.sts().requestCount(), "one STS exchange");
      assertEquals(1, cloud.iam().requestCount(), "one impersonation");
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void hungSts_failsAtTheRefreshDeadline_namingSts() {
    cloud.sts().enqueueFault(Fault.hang().times(100));
    long start = System.nanoTime();
    try (FederatedCredentials credentials =
        FaultMatrixTest.impersonating(cloud, issuer, defaults())
            .refreshDeadline(Duration.ofSeconds(2))
            .build()) {
      FederationException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10),
              () ->
                  assertThrows(
                      FederationException.class, () -> credentials.getRequestMetadata(null)));
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertTrue(ms < 4_000, ms + " ms for a 2 s deadline");
      assertEquals(Step.STS, e.step(), e.getMessage());
      assertTrue(e.getMessage().contains("Google STS"), e.getMessage());
      assertTrue(e.getMessage().contains("operation deadline"), e.getMessage());
    }
  }

  @Test
  void refreshDeadlineOutOfRange_isAConfigurationException() {
    assertThrows(
        ConfigurationException.class,
        () ->
            FaultMatrixTest.impersonating(cloud, issuer, defaults())
                .refreshDeadline(Duration.ZERO)
                .build());
    assertThrows(
        ConfigurationException.class,
        () ->
            FaultMatrixTest.impersonating(cloud, issuer, defaults())
                .refreshDeadline(Duration.ofSeconds(Long.MAX_VALUE))
                .build());
  }

  // ---- allow-list --------------------------------------------------------------------------

  private String configJson(String tokenUrl, String impersonationUrl, String sourceUrl) {
    return "{\"type\":\"external_account\",\"audience\":\""
        + cloud.audience("my-pool", "my-oidc")
        + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
        + "\"token_url\":\""
        + tokenUrl
        + "\""
        + (impersonationUrl == null
            ? ""
            : ",\"service_account_impersonation_url\":\"" + impersonationUrl + "\"")
        + ",\"credential_source\":{\"url\":\""
        + sourceUrl
        + "\",\"format\":{\"type\":\"text\"}}}";
  }

  @Test
  void tokenUrlOffTheAllowList_refused_noRequestSent() {
    ExternalAccountConfig config =
        ExternalAccountConfig.fromJson(
            configJson(cloud.stsTokenUrl(), null, "http://169.254.169.254/token"));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> FederatedCredentials.builder().environment(NO_OPT_IN).config(config).build());
    assertEquals("token_url", e.field());
    assertTrue(e.getMessage().contains("WIF4J_ALLOWED_ENDPOINT_HOSTS=127.0.0.1"), e.getMessage());
    assertEquals(0, cloud.sts().requestCount());
  }

  @Test
  void impersonationUrlOffTheAllowList_refused() {
    ExternalAccountConfig config =
        ExternalAccountConfig.fromJson(
            configJson(
                "https://sts.googleapis.com/v1/token",
                "https://attacker.example.com/v1/projects/-/serviceAccounts/a@b.iam.gserviceaccount.com:generateAccessToken",
                "http://169.254.169.254/token"));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> FederatedCredentials.builder().environment(NO_OPT_IN).config(config).build());
    assertEquals("service_account_impersonation_url", e.field());
  }

  @Test
  void credentialSourceUrlOffTheAllowList_refused() {
    ExternalAccountConfig config =
        ExternalAccountConfig.fromJson(
            configJson(
                "https://sts.googleapis.com/v1/token", null, "https://attacker.example.com/t"));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> FederatedCredentials.builder().environment(NO_OPT_IN).config(config).build());
    assertEquals("credential_source.url", e.field());
  }

  @Test
  void googleHostsAndMetadataAddresses_allowedByDefault() {
    ExternalAccountConfig config =
        ExternalAccountConfig.fromJson(
            configJson(
                "https://sts.googleapis.com/v1/token",
                "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                    + FaultMatrixTest.SA
                    + ":generateAccessToken",
                "http://169.254.169.254/metadata/identity/oauth2/token"));
    FederatedCredentials.builder().environment(NO_OPT_IN).config(config).build().close();
    ExternalAccountConfig psc =
        ExternalAccountConfig.fromJson(
            configJson(
                "https://sts-myendpoint.p.googleapis.com/v1/token",
                null,
                "http://[fd00:ec2::254]/latest/meta-data"));
    FederatedCredentials.builder().environment(NO_OPT_IN).config(psc).build().close();
  }

  @Test
  void optIn_byBuilder_orEnvironment_namingTheHost() throws Exception {
    FederatedCredentials.Builder b =
        FaultMatrixTest.impersonating(cloud, issuer, defaults()).environment(NO_OPT_IN);
    assertThrows(ConfigurationException.class, b::build);
    try (FederatedCredentials c = b.allowEndpointHost("127.0.0.1").build()) {
      assertTrue(c.getRequestMetadata(null).containsKey("Authorization"));
    }
    try (FederatedCredentials c =
        FaultMatrixTest.impersonating(cloud, issuer, defaults())
            .environment(Environment.of(Map.of("WIF4J_ALLOWED_ENDPOINT_HOSTS", "127.0.0.1")))
            .build()) {
      assertTrue(c.getRequestMetadata(null).containsKey("Authorization"));
    }
  }

  @Test
  void plainHttpTokenUrl_refusedEvenOnGoogleHost() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                FederatedCredentials.builder()
                    .environment(NO_OPT_IN)
                    .config(
                        ExternalAccountConfig.fromJson(
                            configJson(
                                "http://sts.googleapis.com/v1/token",
                                null,
                                "http://169.254.169.254/t")))
                    .build());
    assertTrue(e.getMessage().contains("http"), e.getMessage());
  }

  // ---- configuration input -----------------------------------------------------------------

  @Test
  void configFromDevZero_isAClearErrorAtOnce() {
    Path zero = Path.of("/dev/zero");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(zero));
    ConfigurationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                assertThrows(
                    ConfigurationException.class, () -> ExternalAccountConfig.fromFile(zero)));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  @Test
  void configFromFifo_doesNotHang(@TempDir Path dir) throws Exception {
    Path fifo = dir.resolve("config.json");
    Process p;
    try {
      p = new ProcessBuilder("mkfifo", fifo.toString()).start();
    } catch (IOException noMkfifo) {
      org.junit.jupiter.api.Assumptions.abort("no mkfifo here");
      return;
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0);
    ConfigurationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () ->
                assertThrows(
                    ConfigurationException.class, () -> ExternalAccountConfig.fromFile(fifo)));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  @Test
  void configWithUtf8Bom_isAccepted(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bom.json");
    String json =
        configJson("https://sts.googleapis.com/v1/token", null, "http://169.254.169.254/t");
    Files.write(file, ("\uFEFF" + json).getBytes(StandardCharsets.UTF_8));
    assertEquals(
        "https://sts.googleapis.com/v1/token",
        ExternalAccountConfig.fromFile(file).settings().tokenUrl().toString());
  }

  // ---- a rejected source is re-read --------------------------------------------------------

  /** AWS material from a counter: forgetCached() moves to the next key, as a metadata rotation. */
  static final class RotatingAws implements AwsSigningSource {
    final AtomicInteger generation = new AtomicInteger(1);
    final AtomicInteger invalidations = new AtomicInteger();
    final AtomicInteger fetches = new AtomicInteger();

    @Override
    public AwsSigningMaterial fetch(SourceContext context) {
      fetches.incrementAndGet();
      return AwsSigningMaterial.builder()
          .accessKeyId("ASIAROTATING" + generation.get())
          .secretAccessKey("secret-" + generation.get() + "-abcdefghijklmnopqrstuvwxyz")
          .sessionToken("session-" + generation.get())
          .region("us-east-1")
          .build();
    }

    @Override
    public void forgetCached() {
      invalidations.incrementAndGet();
      generation.incrementAndGet();
    }
  }

  @Test
  void stsRejectsTheSignature_sourceInvalidated_nextCallReReads() throws Exception {
    RotatingAws aws = new RotatingAws();
    cloud
        .sts()
        .enqueueFault(
            Fault.status(
                400,
                "application/json",
                "{\"error\":\"invalid_grant\",\"error_description\":\"The security token included"
                    + " in the request is expired\"}"));
    try (FederatedCredentials c =
        FederatedCredentials.builder()
            .settings(
                FederationSettings.builder()
                    .audience(cloud.audience("my-pool", "my-aws"))
                    .tokenUrl(cloud.stsTokenUrl())
                    .build())
            .source(aws)
            .transportPolicy(defaults())
            .backgroundRefresh(false)
            .build()) {
      FederationException e =
          assertThrows(FederationException.class, () -> c.getRequestMetadata(null));
      assertEquals(Step.STS, e.step(), e.getMessage());
      assertEquals(1, aws.invalidations.get(), "the rejected credentials were dropped");
      assertFalse(e.getMessage().contains("secret-1-"), e.getMessage());
    }
  }
}

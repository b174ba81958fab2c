package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.GoogleCredentials;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import java.io.ByteArrayOutputStream;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FederatedCredentials} as client libraries and containers treat it: copied, rebuilt,
 * serialized, dropped and closed; built without I/O; fed broken tokens. Fake clock and scheduler.
 */
class FederatedCredentialsLifecycleTest {
  private static final String SECOND_SA = "second@my-project.iam.gserviceaccount.com";
  private static final String OTHER_SCOPE = "https://www.googleapis.com/auth/devstorage.read_only";

  private FakeCloud cloud;
  private FakeJwtIssuer issuer;
  private FakeClock clock;
  private ManualScheduler scheduler;
  private final ControlledExecutor executor = new ControlledExecutor();

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    issuer = FakeJwtIssuer.create("https://oidc.example.test");
    cloud.sts().trustIssuer(issuer, FaultMatrixTest.APP_AUDIENCE);
    cloud.iam().allowImpersonation(FaultMatrixTest.SA);
    clock = FakeClock.now(); // the fakes stamp expiries with the real time
    scheduler = new ManualScheduler(clock);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private static TransportPolicy policy() {
    return FaultMatrixTest.fastPolicy().maxAttempts(1).build();
  }

  private FederatedCredentials.Builder impersonating() {
    return FaultMatrixTest.impersonating(cloud, issuer, policy())
        .clock(clock)
        .executor(executor)
        .scheduler(scheduler)
        .backgroundRefresh(true);
  }

  private FederatedCredentials.Builder direct() {
    return FederatedCredentials.builder()
        .audience(cloud.audience("my-pool", "my-oidc"))
        .tokenUrl(cloud.stsTokenUrl())
        .source(FaultMatrixTest.jwtSource(issuer))
        .transportPolicy(policy())
        .clock(clock)
        .executor(executor)
        .scheduler(scheduler);
  }

  private static String bearer(GoogleCredentials c) throws Exception {
    return c.getRequestMetadata(null).get("Authorization").get(0).substring("Bearer ".length());
  }

  // ---- copies ---------------------------------------------------------------------------------

  @Test
  void copyMadeAfterTheBuilderChanged_usesTheOriginalConfiguration() throws Exception {
    FederatedCredentials.Builder b = impersonating();
    try (FederatedCredentials original = b.build()) {
      b.settings(
          FederationSettings.builder()
              .audience(cloud.audience("my-pool", "my-oidc"))
              .tokenUrl(cloud.stsTokenUrl())
              .serviceAccountImpersonationUrl(cloud.impersonationUrl(SECOND_SA))
              .build());
      b.quotaProjectId("changed-later");

      GoogleCredentials scoped = original.createScoped(List.of(OTHER_SCOPE));
      GoogleCredentials billed = original.createWithQuotaProject("billing-project");
      for (GoogleCredentials copy : List.of(scoped, billed, original.toBuilder().build())) {
        FederatedCredentials f = assertInstanceOf(FederatedCredentials.class, copy);
        assertEquals(Optional.of(FaultMatrixTest.SA), f.settings().serviceAccountEmail());
        assertTrue(cloud.iam().isIssued(bearer(copy)), "impersonated the original account");
      }
      assertEquals(List.of(OTHER_SCOPE), ((FederatedCredentials) scoped).settings().scopes());
      assertEquals(
          List.of("billing-project"), billed.getRequestMetadata(null).get("x-goog-user-project"));
      assertEquals(Optional.empty(), original.settings().quotaProjectId());
    }
  }

  @Test
  void toBuilder_isWif4jsBuilder_andItsCredentialsRefresh() throws Exception {
    try (FederatedCredentials original = impersonating().build()) {
      GoogleCredentials asGoogle = original;
      GoogleCredentials.Builder gb = asGoogle.toBuilder();
      assertInstanceOf(FederatedCredentials.Builder.class, gb);

      GoogleCredentials rebuilt = gb.setQuotaProjectId("billing-project").build();
      assertInstanceOf(FederatedCredentials.class, rebuilt);
      rebuilt.refresh(); // google-auth's frozen copy would throw "does not support refreshing"
      assertTrue(cloud.iam().isIssued(rebuilt.getAccessToken().getTokenValue()));
      assertEquals("billing-project", rebuilt.getQuotaProjectId());

      GoogleCredentials plain = original.toBuilder().build();
      plain.refresh();
      assertTrue(cloud.iam().isIssued(bearer(plain)));
    }
  }

  @Test
  void copies_shareTheSourceAndAreStoppedWithTheirOwner() throws Exception {
    FederatedCredentials owner = impersonating().build();
    FederatedCredentials copy = (FederatedCredentials) owner.createScoped(List.of(OTHER_SCOPE));
    assertSame(owner.source().orElseThrow(), copy.source().orElseThrow());
    bearer(owner);
    bearer(copy);
    assertEquals(2, scheduler.pending(), "both refresh in the background");

    owner.close();
    assertEquals(0, scheduler.pending(), "closing the owner stopped its copy too");
    owner.close(); // idempotent
    copy.close();

    clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // stale: refreshed on demand
    int before = cloud.iam().requestCount();
    assertTrue(cloud.iam().isIssued(bearer(owner)), "still works after close(), on demand");
    assertEquals(before + 1, cloud.iam().requestCount());
    assertEquals(0, scheduler.pending());
  }

  // ---- serialization ---------------------------------------------------------------------------

  @Test
  void serialization_failsWithAClearMessage_neverABrokenObject() throws Exception {
    try (FederatedCredentials c = impersonating().build()) {
      bearer(c);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ObjectOutputStream out = new ObjectOutputStream(bytes);
      NotSerializableException e =
          assertThrows(NotSerializableException.class, () -> out.writeObject(c));
      assertTrue(e.getMessage().contains("Serialize its configuration instead"), e.getMessage());
      String token = c.getAccessToken().getTokenValue();
      assertFalse(e.getMessage().contains(token));
      assertFalse(
          bytes.toString(java.nio.charset.StandardCharsets.ISO_8859_1).contains(token),
          "no part of the token reached the stream");
    }
  }

  // ---- garbage collection ----------------------------------------------------------------------

  @Test
  void droppedInstanceWithBackgroundRefresh_isCollected_andItsRefreshesStop() throws Exception {
    FederatedCredentials c = impersonating().build();
    bearer(c);
    FederatedCredentials copy = (FederatedCredentials) c.createScoped(List.of(OTHER_SCOPE));
    bearer(copy);
    assertEquals(2, scheduler.pending());
    int iam = cloud.iam().requestCount();

    WeakReference<FederatedCredentials> copyRef = new WeakReference<>(copy);
    copy = null;
    awaitCollected(copyRef); // a dropped copy goes while its owner lives

    WeakReference<FederatedCredentials> ref = new WeakReference<>(c);
    c = null;
    awaitCollected(ref);

    scheduler.advance(Duration.ofHours(3)); // the timers fire on a collected cache
    assertEquals(iam, cloud.iam().requestCount(), "no refresh by a dropped instance");
    assertEquals(0, scheduler.pending());
  }

  private static void awaitCollected(WeakReference<?> ref) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (ref.get() != null && System.nanoTime() < until) {
      System.gc();
      Thread.sleep(20); // a bounded wait on the garbage collector, not a timing assertion
    }
    assertTrue(ref.get() == null, "collected within 20 s of GC");
  }

  // ---- no I/O in build(); detection on first use -----------------------------------------------

  @Test
  void build_withDetection_makesNoRequest_theFirstRefreshDetectsOnce() throws Exception {
    try (MockWebServer metadata = new MockWebServer()) {
      for (int i = 0; i < 5; i++) {
        metadata.enqueue(new MockResponse().setBody("ok"));
      }
      metadata.start(java.net.InetAddress.getLoopbackAddress(), 0);
      Map<String, String> vars = new HashMap<>();
      vars.put(ProbingTestSourceProvider.PROBE_URL, metadata.url("/probe").toString());
      vars.put(
          ProbingTestSourceProvider.JWT,
          issuer.issue("workload-1", FaultMatrixTest.APP_AUDIENCE, Duration.ofHours(1), Map.of()));
      vars.put("WIF4J_AUDIENCE", cloud.audience("my-pool", "my-oidc"));
      vars.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
      vars.put("WIF4J_ALLOWED_ENDPOINT_HOSTS", "127.0.0.1");
      Environment env = Environment.of(vars);

      FederatedCredentials fromEnv = FederatedCredentials.fromEnvironment(env);
      FederatedCredentials c =
          fromEnv.toBuilder().transportPolicy(policy()).executor(executor).build();
      FederatedCredentials scoped = (FederatedCredentials) c.createScoped(List.of(OTHER_SCOPE));
      assertEquals(0, metadata.getRequestCount(), "build() probed nothing");
      assertEquals(0, cloud.sts().requestCount());
      assertEquals(Optional.empty(), c.source());
      assertTrue(c.toString().contains("detected on first use"), c.toString());

      assertTrue(cloud.sts().isIssued(bearer(c)));
      assertEquals(1, metadata.getRequestCount(), "detected by the first refresh");
      assertEquals("test source found by probing", c.source().orElseThrow().description());
      assertTrue(cloud.sts().isIssued(bearer(scoped)));
      assertEquals(1, metadata.getRequestCount(), "the copy shares the detected source");

      int closed = ProbingTestSourceProvider.CLOSED.get();
      c.close();
      c.close();
      assertEquals(closed + 1, ProbingTestSourceProvider.CLOSED.get(), "closed once, by close()");
      fromEnv.close();
    }
  }

  @Test
  void noSourceApplies_buildSucceeds_firstCallIsAFederationExceptionListingWhereItLooked() {
    Map<String, String> vars = new HashMap<>();
    vars.put("WIF4J_AUDIENCE", cloud.audience("my-pool", "my-oidc"));
    FederatedCredentials c =
        FederatedCredentials.builder()
            .environment(Environment.of(vars))
            .settings(FederationSettings.fromEnvironment(Environment.of(vars)))
            .executor(executor)
            .build();
    FederationException e = assertThrows(FederationException.class, () -> bearer(c));
    assertEquals(Step.SOURCE, e.step());
    assertTrue(e.getMessage().contains("test-probing"), e.getMessage());
    assertTrue(e.getMessage().contains(ProbingTestSourceProvider.PROBE_URL), e.getMessage());
  }

  @Test
  void wif4jSourceNamingNoInstalledModule_isAConfigurationExceptionAtBuild() {
    Map<String, String> vars = new HashMap<>();
    vars.put("WIF4J_AUDIENCE", cloud.audience("my-pool", "my-oidc"));
    vars.put(SourceDetector.SOURCE_ENV, "aws-typo");
    Environment env = Environment.of(vars);
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> FederatedCredentials.fromEnvironment(env));
    assertEquals(SourceDetector.SOURCE_ENV, e.field());
    assertTrue(e.getMessage().contains("test-probing"), e.getMessage());

    vars.put(SourceDetector.SOURCE_ENV, "test-probing");
    FederatedCredentials.fromEnvironment(env).close(); // an installed id: built, nothing probed
  }

  // ---- validity of tokens at the boundary ------------------------------------------------------

  private static String stsBody(String accessToken, String expiresIn) {
    return "{\"access_token\":\""
        + accessToken
        + "\",\"issued_token_type\":\"urn:ietf:params:oauth:token-type:access_token\","
        + "\"token_type\":\"Bearer\",\"expires_in\":"
        + expiresIn
        + "}";
  }

  @Test
  void emptyOrLineBreakTokens_areRejected_neverServedAsBearer() throws Exception {
    for (String token : new String[] {"", "   ", "ya29.abc\\r\\nX-Injected: 1", "ya29.a b"}) {
      cloud.sts().enqueueFault(Fault.status(200, "application/json", stsBody(token, "3600")));
      FederatedCredentials c = direct().build();
      Exception e = assertThrows(Exception.class, () -> bearer(c), token);
      FederationException fe = assertInstanceOf(FederationException.class, e, e.toString());
      assertEquals(Step.STS, fe.step());
      assertTrue(
          fe.getMessage().contains("empty access token")
              || fe.getMessage().contains("line break, space or control character"),
          fe.getMessage());
      cloud.sts().clearFaults();
    }
  }

  @Test
  void zeroOrNegativeLifetime_isAFederationException() {
    for (String expiresIn : new String[] {"0", "-30", "-3600"}) {
      cloud.sts().enqueueFault(Fault.status(200, "application/json", stsBody("ya29.x", expiresIn)));
      FederatedCredentials c = direct().build();
      FederationException e =
          assertThrows(FederationException.class, () -> bearer(c), "expires_in " + expiresIn);
      assertTrue(e.getMessage().contains("not used"), e.getMessage());
      cloud.sts().clearFaults();
    }
  }

  @Test
  void absurdLifetime_isAnErrorOrCapped_neverAnotherExceptionType() throws Exception {
    for (String expiresIn : new String[] {"10000000000000000000", "9223372036854775807"}) {
      cloud.sts().clearRecorded();
      cloud.sts().enqueueFault(Fault.status(200, "application/json", stsBody("ya29.x", expiresIn)));
      FederatedCredentials c = direct().build();
      try {
        assertEquals("ya29.x", bearer(c));
        assertTrue(
            c.getAccessToken()
                .getExpirationTime()
                .toInstant()
                .isBefore(clock.instant().plus(Duration.ofHours(2))));
      } catch (FederationException expected) {
        // refusing the answer is as good as capping it
      }
      cloud.sts().clearFaults();
    }
  }

  @Test
  void shortLifetimes_servedWithoutATightLoop() throws Exception {
    for (String expiresIn : new String[] {"30", "59"}) {
      cloud.sts().clearRecorded();
      cloud.sts().enqueueFault(Fault.status(200, "application/json", stsBody("ya29.s", expiresIn)));
      FederatedCredentials c = direct().build();
      for (int i = 0; i < 100; i++) {
        assertEquals("ya29.s", bearer(c));
      }
      assertEquals(1, cloud.sts().requestCount(), "expires_in " + expiresIn);
      cloud.sts().clearFaults();
    }
  }

  @Test
  void nearExpiredToken_nobodyCalling_boundedBackgroundRequestsOverAFakeHour() throws Exception {
    cloud.sts().setTokenLifetime(Duration.ofSeconds(30));
    FederatedCredentials c = direct().build();
    bearer(c);
    scheduler.advance(Duration.ofHours(1));
    assertTrue(cloud.sts().requestCount() <= 3, "STS requests: " + cloud.sts().requestCount());
  }

  @Test
  void hostClockTwoHoursFast_impersonatedTokenLooksExpired_errorNamesTheClock() {
    clock.advance(Duration.ofHours(2));
    FederatedCredentials c = impersonating().build();
    FederationException e = assertThrows(FederationException.class, () -> bearer(c));
    assertEquals(Step.IMPERSONATION, e.step());
    assertTrue(e.fix().orElse("").contains("clock"), e.getMessage());
    assertEquals(0, scheduler.pending(), "nothing scheduled for a value that was refused");
  }

  @Test
  void negativeStaleMargin_isAConfigurationException() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> direct().staleMargin(Duration.ofSeconds(-5)).build());
    assertEquals("FederatedCredentials.Builder.staleMargin", e.field());
  }

  @Test
  void pauseResumeInvalidate_forCheckpoints() throws Exception {
    try (FederatedCredentials c = impersonating().build()) {
      String first = bearer(c);
      c.pauseBackgroundRefresh();
      assertEquals(0, scheduler.pending());
      c.resumeBackgroundRefresh();
      assertEquals(1, scheduler.pending());
      c.invalidate();
      String second = bearer(c);
      assertNotSame(first, second);
      assertFalse(first.equals(second), "a new token after invalidate()");
    }
  }
}

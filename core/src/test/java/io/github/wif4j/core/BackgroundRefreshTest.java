package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Refresh-ahead and stale-if-error of {@link FederatedCredentials}, driven by a fake clock. */
class BackgroundRefreshTest {
  private FakeCloud cloud;
  private FakeJwtIssuer issuer;
  private FakeClock clock;
  private ControlledExecutor executor;

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    issuer = FakeJwtIssuer.create("https://oidc.example.test");
    cloud.sts().trustIssuer(issuer, FaultMatrixTest.APP_AUDIENCE);
    cloud.iam().allowImpersonation(FaultMatrixTest.SA);
    clock = FakeClock.now(); // the fakes stamp expiries with the real time
    executor = new ControlledExecutor();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private FederatedCredentials credentials() {
    return credentials(FaultMatrixTest.fastPolicy().build());
  }

  private FederatedCredentials credentials(TransportPolicy policy) {
    return FaultMatrixTest.impersonating(cloud, issuer, policy)
        .clock(clock)
        .executor(executor)
        .build();
  }

  @Test
  void at80PercentOfLifetime_callerGetsCachedToken_oneBackgroundRefreshNotRunByCaller()
      throws Exception {
    try (FederatedCredentials credentials = credentials()) {
      String first = StampedeTest.bearer(credentials);
      executor.hold();

      clock.advance(Duration.ofMinutes(48).plusSeconds(1)); // 80% of the one-hour token
      for (int i = 0; i < 20; i++) {
        assertEquals(first, StampedeTest.bearer(credentials), "the cached token, at once");
      }
      assertEquals(1, executor.pending(), "exactly one background refresh was started");
      assertEquals(1, cloud.sts().requestCount(), "the caller did not run the refresh");
      assertEquals(1, cloud.iam().requestCount(), "the caller did not run the refresh");

      assertEquals(1, executor.runAll());
      // google-auth reuses its own still-valid STS token (real clock); IAM is called again.
      assertEquals(2, cloud.iam().requestCount());
      String second = StampedeTest.bearer(credentials);
      assertNotEquals(first, second);
      assertTrue(cloud.iam().isIssued(second));
      assertEquals(0, executor.pending());
    }
  }

  @Test
  void beforePrefetchPoint_noRefreshAtAll() throws Exception {
    try (FederatedCredentials credentials = credentials()) {
      String first = StampedeTest.bearer(credentials);
      executor.hold();
      clock.advance(Duration.ofMinutes(44));
      for (int i = 0; i < 20; i++) {
        assertEquals(first, StampedeTest.bearer(credentials));
        credentials.refreshIfExpired();
        assertEquals(first, credentials.getAccessToken().getTokenValue());
      }
      assertEquals(0, executor.pending());
      assertEquals(1, cloud.sts().requestCount());
    }
  }

  private FederatedCredentials directAccess() {
    return FederatedCredentials.builder()
        .audience(cloud.audience("my-pool", "my-oidc"))
        .tokenUrl(cloud.stsTokenUrl())
        .source(FaultMatrixTest.jwtSource(issuer))
        .backgroundRefresh(false)
        .transportPolicy(oneAttempt())
        .clock(clock)
        .executor(executor)
        .build();
  }

  /**
   * One HTTP attempt per refresh keeps the outage tests fast; the cache's backoff still applies.
   */
  private static TransportPolicy oneAttempt() {
    return FaultMatrixTest.fastPolicy().maxAttempts(1).build();
  }

  @Test
  void stsOutageWhileTokenValid_noCallerFailsUntilExpiry_thenFederationException()
      throws Exception {
    try (FederatedCredentials credentials = directAccess()) {
      String first = StampedeTest.bearer(credentials);
      cloud.sts().enqueueFault(Fault.status(503).onPath("/v1/token").times(10_000));

      int calls = 0;
      // From 45 min (prefetch window) to 58 min 30 s (stale at 59 min): every call succeeds.
      clock.advance(Duration.ofMinutes(45));
      for (int s = 0; s <= 13 * 60 + 30; s += 15) {
        assertEquals(first, StampedeTest.bearer(credentials), "at +45 min " + s + " s");
        calls++;
        clock.advance(Duration.ofSeconds(15));
      }
      assertTrue(calls > 50);
      int attempts = cloud.sts().requestCount() - 1;
      assertTrue(attempts > 1, "background refreshes were attempted");
      assertTrue(attempts < calls, "backoff: fewer STS requests (" + attempts + ") than calls");

      clock.advance(Duration.ofMinutes(1)); // past the stale point
      FederationException e =
          assertThrows(FederationException.class, () -> StampedeTest.bearer(credentials));
      assertEquals(Step.STS, e.step(), e.getMessage());
      assertEquals(503, e.httpStatus(), e.getMessage());
      assertTrue(e.isRetryable());
    }
  }

  @Test
  void iamOutageWhileTokenValid_noCallerFailsUntilExpiry_thenImpersonationError() throws Exception {
    try (FederatedCredentials credentials = credentials(oneAttempt())) {
      String first = StampedeTest.bearer(credentials);
      cloud.iam().enqueueFault(Fault.status(503).times(10_000));

      clock.advance(Duration.ofMinutes(45));
      for (int s = 0; s <= 13 * 60 + 30; s += 15) {
        assertEquals(first, StampedeTest.bearer(credentials), "at +45 min " + s + " s");
        clock.advance(Duration.ofSeconds(15));
      }
      assertTrue(cloud.iam().requestCount() > 1, "background refreshes were attempted");

      clock.advance(Duration.ofMinutes(1));
      FederationException e =
          assertThrows(FederationException.class, () -> StampedeTest.bearer(credentials));
      assertEquals(Step.IMPERSONATION, e.step(), e.getMessage());
      assertEquals(503, e.httpStatus(), e.getMessage());
    }
  }
}

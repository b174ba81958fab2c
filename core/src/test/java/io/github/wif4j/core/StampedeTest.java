package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many callers on an expired token cause exactly one exchange. */
class StampedeTest {
  private static final int THREADS = 64;

  private FakeCloud cloud;
  private FakeJwtIssuer issuer;
  private ExecutorService callers;
  private ExecutorService refresher;

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    issuer = FakeJwtIssuer.create("https://oidc.example.test");
    cloud.sts().trustIssuer(issuer, FaultMatrixTest.APP_AUDIENCE);
    cloud.iam().allowImpersonation(FaultMatrixTest.SA);
    callers = Executors.newFixedThreadPool(THREADS);
    refresher = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stop() {
    callers.shutdownNow();
    refresher.shutdownNow();
    cloud.close();
  }

  @Test
  void coldStart_64Callers_slowSts_oneStsExchangeAndOneIamCall() throws Exception {
    cloud.sts().enqueueFault(Fault.delay(Duration.ofMillis(500)).times(THREADS));
    try (FederatedCredentials credentials =
        FaultMatrixTest.impersonating(cloud, issuer, FaultMatrixTest.fastPolicy().build())
            .executor(refresher)
            .build()) {
      List<String> tokens = stampede(credentials);

      assertEquals(1, cloud.sts().requestCount(), "STS exchanges");
      assertEquals(1, cloud.iam().requestCount(), "IAM generateAccessToken calls");
      assertTrue(cloud.iam().isIssued(tokens.get(0)));
      assertTrue(tokens.stream().allMatch(tokens.get(0)::equals), "every caller got one token");
    }
  }

  @Test
  void expiredToken_64Callers_slowStsAndIam_oneExchange() throws Exception {
    FakeClock clock = FakeClock.now();
    try (FederatedCredentials credentials =
        FaultMatrixTest.impersonating(cloud, issuer, FaultMatrixTest.fastPolicy().build())
            .clock(clock)
            .executor(refresher)
            .build()) {
      String first = bearer(credentials);
      assertEquals(1, cloud.sts().requestCount());
      assertEquals(1, cloud.iam().requestCount());

      // past the stale point (59 min) of the one-hour token; not past 60 min, because the fakes
      // stamp expiries with the real time and a renewed token must not look expired already
      clock.advance(Duration.ofMinutes(59).plusSeconds(30));
      cloud.sts().clearRecorded();
      cloud.iam().clearRecorded();
      cloud.sts().enqueueFault(Fault.delay(Duration.ofMillis(300)).times(THREADS));
      cloud.iam().enqueueFault(Fault.delay(Duration.ofMillis(300)).times(THREADS));

      List<String> tokens = stampede(credentials);

      // google-auth keeps the STS token of the impersonation step itself and judges it by the
      // real clock, so it may reuse it: at most one STS exchange, exactly one IAM call.
      assertTrue(cloud.sts().requestCount() <= 1, "STS exchanges: " + cloud.sts().requestCount());
      assertEquals(1, cloud.iam().requestCount(), "IAM generateAccessToken calls");
      String renewed = tokens.get(0);
      assertNotEquals(first, renewed);
      assertTrue(cloud.iam().isIssued(renewed));
      assertTrue(tokens.stream().allMatch(renewed::equals), "every caller got the new token");
    }
  }

  @Test
  void expiredToken_64Callers_directAccess_slowSts_oneStsExchange() throws Exception {
    FakeClock clock = FakeClock.now();
    try (FederatedCredentials credentials =
        FederatedCredentials.builder()
            .audience(cloud.audience("my-pool", "my-oidc"))
            .tokenUrl(cloud.stsTokenUrl())
            .source(FaultMatrixTest.jwtSource(issuer))
            .backgroundRefresh(false)
            .transportPolicy(FaultMatrixTest.fastPolicy().build())
            .clock(clock)
            .executor(refresher)
            .build()) {
      String first = bearer(credentials);
      clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // stale; see above
      cloud.sts().clearRecorded();
      cloud.sts().enqueueFault(Fault.delay(Duration.ofMillis(500)).times(THREADS));

      List<String> tokens = stampede(credentials);

      assertEquals(1, cloud.sts().requestCount(), "STS exchanges");
      assertNotEquals(first, tokens.get(0));
      assertTrue(cloud.sts().isIssued(tokens.get(0)));
      assertTrue(tokens.stream().allMatch(tokens.get(0)::equals));
    }
  }

  private List<String> stampede(FederatedCredentials credentials) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      results.add(
          callers.submit(
              () -> {
                go.await();
                return bearer(credentials);
              }));
    }
    go.countDown();
    List<String> tokens = new ArrayList<>();
    for (Future<String> r : results) {
      tokens.add(r.get(20, TimeUnit.SECONDS));
    }
    return tokens;
  }

  static String bearer(FederatedCredentials credentials) throws java.io.IOException {
    return credentials.getRequestMetadata(null).get("Authorization").get(0).substring(7);
  }
}

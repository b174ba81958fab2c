package io.github.wif4j.aws;

import static io.github.wif4j.aws.AwsFederationFixture.fastPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.cache.Scheduler;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeContainerCredentials;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Lambda SnapStart / CRaC without a CRaC JVM: the hooks are called directly, around a "snapshot"
 * after which the container credentials endpoint wants a new authorization token and hands out new
 * credentials, as in a restored Lambda execution environment.
 */
class SnapshotRestoreTest {
  private static final String PATH = "/2018-06-01/credentials";

  private final AwsFederationFixture fx = new AwsFederationFixture();
  private final FakeClock clock = FakeClock.now();
  private final RecordingTimer timer = new RecordingTimer();
  private final Map<String, String> vars = new ConcurrentHashMap<>();
  private final Environment env = Environment.of(vars);
  private final FakeContainerCredentials lambda = new FakeContainerCredentials(PATH).start();

  @AfterEach
  void stop() {
    lambda.close();
    fx.close();
  }

  private FederatedCredentials primedDuringInit() throws Exception {
    lambda.trustedBy(fx.cloud.sts());
    lambda.requireAuthorization("init-authorization");
    vars.put("AWS_LAMBDA_FUNCTION_NAME", "fn");
    vars.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
    vars.put("AWS_REGION", "us-east-1");
    vars.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", lambda.credentialsUri());
    vars.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "init-authorization");
    AwsSource aws =
        AwsSource.builder().environment(env).transportPolicy(fastPolicy()).clock(clock).build();
    return FederatedCredentials.builder()
        .settings(
            FederationSettings.builder()
                .audience(fx.audience)
                .tokenUrl(fx.cloud.stsTokenUrl())
                .build())
        .source(aws)
        .allowEndpointHost("127.0.0.1") // the fake STS on loopback
        .environment(env)
        .clock(clock)
        .scheduler(timer)
        .transportPolicy(fastPolicy())
        .build();
  }

  /** What Lambda changes in the restored environment. */
  private void restoredEnvironment() {
    lambda.requireAuthorization("restored-authorization");
    lambda.rotateCredentials();
    vars.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "restored-authorization");
    vars.put("AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start");
  }

  @Test
  void checkpoint_stopsRefreshAndDropsAll_restore_rearmsWithTheRestoredCredentials()
      throws Exception {
    try (FederatedCredentials google = primedDuringInit()) {
      String primed = fx.bearer(google);
      assertEquals(1, lambda.requestCount());
      assertEquals(1, fx.cloud.sts().exchanges().size());
      assertEquals(1, timer.pending(), "background refresh armed");

      google.beforeCheckpoint();
      assertEquals(0, timer.pending(), "background refresh stopped before the checkpoint");
      assertEquals(1, timer.cancelled());

      restoredEnvironment();
      google.afterRestore();
      assertEquals(1, lambda.requestCount(), "nothing fetched before first use");

      String restored = fx.bearer(google);
      assertNotEquals(primed, restored, "the pre-snapshot token is not served");
      assertEquals(2, lambda.requestCount(), "credentials fetched again after restore");
      assertEquals("restored-authorization", lambda.requests().get(1).header("Authorization"));
      assertEquals(2, fx.cloud.sts().exchanges().size());
      assertEquals(1, timer.pending(), "background refresh re-armed");
    }
  }

  @Test
  void keepOption_servesThePrimedTokenAfterRestore_butStillDropsTheAwsCredentials()
      throws Exception {
    vars.put(FederatedCredentials.ENV_SNAPSHOT_TOKEN, "keep");
    try (FederatedCredentials google = primedDuringInit()) {
      String primed = fx.bearer(google);

      google.beforeCheckpoint();
      assertEquals(0, timer.pending());
      restoredEnvironment();
      google.afterRestore();

      assertEquals(primed, fx.bearer(google), "kept as configured");
      assertEquals(1, fx.cloud.sts().exchanges().size());
      assertEquals(1, timer.pending(), "background refresh re-armed for the kept token");

      google.refresh(); // the next exchange signs with the restored environment's credentials
      assertEquals(2, lambda.requestCount());
      assertEquals("restored-authorization", lambda.requests().get(1).header("Authorization"));
      assertEquals(2, fx.cloud.sts().exchanges().size());
    }
  }

  /** A timer that only records: nothing runs unless a test runs it. */
  private static final class RecordingTimer implements Scheduler {
    private final List<FutureTask<?>> tasks = new ArrayList<>();

    @Override
    public synchronized Future<?> schedule(Runnable task, long delayMillis) {
      FutureTask<?> t = new FutureTask<>(task, null);
      tasks.add(t);
      return t;
    }

    synchronized int pending() {
      return (int) tasks.stream().filter(t -> !t.isDone()).count();
    }

    synchronized int cancelled() {
      return (int) tasks.stream().filter(Future::isCancelled).count();
    }
  }
}

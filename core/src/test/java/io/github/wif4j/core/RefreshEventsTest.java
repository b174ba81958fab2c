package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.events.RefreshFailed;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.events.RefreshStarted;
import io.github.wif4j.core.events.RefreshSucceeded;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refresh events to a listener and to JDK Flight Recorder, with no secret in either. */
class RefreshEventsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Records every event it gets, in order. */
  static final class RecordingListener implements RefreshListener {
    final List<Object> events = new CopyOnWriteArrayList<>();

    @Override
    public void refreshStarted(RefreshStarted event) {
      events.add(event);
    }

    @Override
    public void refreshSucceeded(RefreshSucceeded event) {
      events.add(event);
    }

    @Override
    public void refreshFailed(RefreshFailed event) {
      events.add(event);
    }

    <E> List<E> of(Class<E> type) {
      return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }
  }

  @Test
  void cache_successThenFailures_eventsCarryExpiryStepTimeLeftAndBackoff() throws Exception {
    FakeClock clock = FakeClock.at(T0);
    RecordingListener listener = new RecordingListener();
    List<IOException> failures = new ArrayList<>();
    RefreshingCache<String> cache =
        RefreshingCache.<String>builder(
                () -> {
                  if (!failures.isEmpty()) {
                    throw failures.get(0);
                  }
                  return Refreshed.expiringAt("secret-value", clock.instant().plusSeconds(3600));
                })
            .name("test token")
            .clock(clock)
            .executor(Runnable::run)
            .random(() -> 0.0)
            .backoff(Duration.ofSeconds(10), Duration.ofMinutes(1))
            .listener(listener)
            .build();

    cache.get();
    assertEquals(2, listener.events.size());
    RefreshStarted started = listener.of(RefreshStarted.class).get(0);
    assertEquals("test token", started.cache());
    assertEquals(Optional.empty(), started.currentExpiresAt());
    RefreshSucceeded ok = listener.of(RefreshSucceeded.class).get(0);
    assertEquals(Optional.of(T0.plusSeconds(3600)), ok.expiresAt());
    assertEquals(0, ok.failuresBefore());
    assertFalse(ok.latency().isNegative());

    failures.add(
        FederationException.builder(Step.STS, "Google STS refused the token")
            .fix("Check the attribute condition.")
            .retryable(false)
            .build());
    clock.advance(Duration.ofMinutes(50)); // past prefetch: a background refresh, which fails
    cache.get();
    RefreshFailed failed = listener.of(RefreshFailed.class).get(0);
    assertEquals(Optional.of(Step.STS), failed.step());
    assertEquals(Optional.of("Check the attribute condition."), failed.fix());
    assertFalse(failed.retryable());
    assertEquals(1, failed.consecutiveFailures());
    assertEquals(Optional.of(Duration.ofMinutes(10)), failed.timeLeft());
    assertEquals(Optional.of(clock.instant().plusSeconds(5)), failed.nextRetryAt());
    assertFalse(failed.exhausted(), "ten minutes left, retry in five seconds");

    clock.advance(Duration.ofMinutes(10)); // expired: the caller waits for a refresh, which fails
    assertThrows(FederationException.class, cache::get);
    RefreshFailed last = listener.of(RefreshFailed.class).get(1);
    assertEquals(2, last.consecutiveFailures());
    assertEquals(Optional.of(Duration.ZERO), last.timeLeft());
    assertTrue(last.exhausted());

    failures.clear();
    cache.get();
    RefreshSucceeded recovered = listener.of(RefreshSucceeded.class).get(1);
    assertEquals(2, recovered.failuresBefore());
    for (Object e : listener.events) {
      assertFalse(e.toString().contains("secret-value"), e.toString());
    }
  }

  @Test
  void cache_listenerThrows_refreshStillServes() throws Exception {
    RefreshListener broken =
        new RefreshListener() {
          @Override
          public void refreshSucceeded(RefreshSucceeded event) {
            throw new IllegalStateException("listener bug");
          }
        };
    RefreshingCache<String> cache =
        RefreshingCache.<String>builder(() -> Refreshed.withoutExpiry("v"))
            .executor(Runnable::run)
            .listener(broken)
            .build();
    assertEquals("v", cache.get());
  }

  private static SubjectTokenSource recordingSource(SubjectTokenSource s, List<String> seen) {
    return new SubjectTokenSource() {
      @Override
      public String subjectTokenType() {
        return s.subjectTokenType();
      }

      @Override
      public SubjectToken fetch(SourceContext context) throws IOException {
        SubjectToken t = s.fetch(context);
        seen.add(t.value());
        return t;
      }
    };
  }

  @Test
  void federatedCredentials_jfrRecording_hasRefreshEventsAndNoSecret(@TempDir Path dir)
      throws Exception {
    List<String> secrets = new CopyOnWriteArrayList<>();
    try (FakeCloud cloud = FakeCloud.start();
        Recording recording = new Recording()) {
      FakeJwtIssuer issuer = FakeJwtIssuer.create("https://oidc.example.test");
      cloud.sts().trustIssuer(issuer, FaultMatrixTest.APP_AUDIENCE);
      recording.enable("io.github.wif4j.RefreshStarted");
      recording.enable("io.github.wif4j.RefreshSucceeded");
      recording.enable("io.github.wif4j.RefreshFailed");
      recording.start();

      RecordingListener listener = new RecordingListener();
      FakeClock clock = FakeClock.now();
      try (FederatedCredentials credentials =
          FederatedCredentials.builder()
              .audience(cloud.audience("my-pool", "my-oidc"))
              .tokenUrl(cloud.stsTokenUrl())
              .source(recordingSource(FaultMatrixTest.jwtSource(issuer), secrets))
              .backgroundRefresh(false)
              .transportPolicy(FaultMatrixTest.fastPolicy().maxAttempts(1).build())
              .clock(clock)
              .executor(Runnable::run)
              .refreshListener(listener)
              .build()) {
        secrets.add(StampedeTest.bearer(credentials));
        cloud.sts().enqueueFault(Fault.status(503).onPath("/v1/token").times(100));
        clock.advance(Duration.ofMinutes(50));
        credentials.getRequestMetadata(null); // serves the token, background refresh fails
      }
      recording.stop();
      secrets.addAll(cloud.sts().issuedTokens());
      RefreshFailed failed = listener.of(RefreshFailed.class).get(0);
      assertEquals(Optional.of(Step.STS), failed.step());
      assertTrue(failed.retryable());
      assertEquals("wif4j google token", failed.cache());

      Path file = dir.resolve("refresh.jfr");
      recording.dump(file);
      List<RecordedEvent> events =
          RecordingFile.readAllEvents(file).stream()
              .filter(e -> e.getEventType().getName().startsWith("io.github.wif4j."))
              .collect(Collectors.toList());
      assertEquals(
          List.of(
              "io.github.wif4j.RefreshStarted",
              "io.github.wif4j.RefreshSucceeded",
              "io.github.wif4j.RefreshStarted",
              "io.github.wif4j.RefreshFailed"),
          events.stream().map(e -> e.getEventType().getName()).collect(Collectors.toList()));
      RecordedEvent jfrFailed = events.get(3);
      assertEquals("wif4j google token", jfrFailed.getString("cache"));
      assertEquals("STS", jfrFailed.getString("step"));
      assertEquals(1, jfrFailed.getInt("consecutiveFailures"));
      assertFalse(jfrFailed.getBoolean("exhausted"));
      String all = events.stream().map(RecordedEvent::toString).collect(Collectors.joining("\n"));
      String bytes =
          new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertFalse(secrets.isEmpty());
      for (String secret : secrets) {
        assertFalse(all.contains(secret), "a token in the JFR events");
        assertFalse(bytes.contains(secret), "a token in the recording file");
      }
    }
  }
}

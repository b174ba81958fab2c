package io.github.wif4j.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.ControlledExecutor;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.ManualScheduler;
import io.github.wif4j.testing.FakeClock;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What keeps {@link RefreshingCache} from wedging or looping: abandoned attempts, the refresh
 * floor, checks of the lifetime at the boundary, the idle timer, weak scheduling, static stability.
 */
class RefreshingCacheLifecycleTest {
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final ControlledExecutor executor = new ControlledExecutor();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final AtomicInteger calls = new AtomicInteger();

  /** A cache whose refresher returns "vN" expiring at {@code expiry.apply(now)}. */
  private RefreshingCache.Builder<String> cache(Function<Instant, Instant> expiry) {
    return RefreshingCache.builder(
            () ->
                Refreshed.expiringAt("v" + calls.incrementAndGet(), expiry.apply(clock.instant())))
        .name("test-cache")
        .clock(clock)
        .executor(executor)
        .random(() -> 0.0);
  }

  @Test
  void hangingOnce_nextCallerAfterTheDeadline_startsANewAttemptAndIsServed() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      RefreshingCache<String> cache =
          RefreshingCache.<String>builder(
                  () -> {
                    int n = calls.incrementAndGet();
                    if (n == 1) {
                      awaitQuietly(release); // hangs once
                    }
                    return Refreshed.expiringAt("v" + n, clock.instant().plusSeconds(3600));
                  })
              .name("hangs-once")
              .step(Step.STS)
              .clock(clock)
              .executor(pool)
              .deadline(Duration.ofMillis(200))
              .build();
      FederationException first =
          assertTimeoutPreemptively(
              Duration.ofSeconds(10), () -> assertThrows(FederationException.class, cache::get));
      assertEquals(Step.STS, first.step(), "a deadline failure carries the cache's own step");
      assertTrue(first.getMessage().contains("hangs-once"), first.getMessage());

      String second = assertTimeoutPreemptively(Duration.ofSeconds(10), cache::get);
      assertEquals("v2", second, "a new attempt, not the hung one");

      release.countDown(); // the late result is older than v2's: not installed over it
      pool.shutdown();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
      assertEquals("v2", cache.get());
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }

  @Test
  void staleReturningRefresher_calledAtMostOncePerFloorInterval() throws Exception {
    // expires in 30 s with a one-minute stale margin: already "stale" by policy when obtained
    RefreshingCache<String> cache = cache(now -> now.plusSeconds(30)).build();
    for (int i = 0; i < 100; i++) {
      assertEquals("v1", cache.get());
    }
    assertEquals(1, calls.get(), "100 calls, one refresh");

    clock.advance(Duration.ofMillis(999));
    for (int i = 0; i < 100; i++) {
      cache.get();
    }
    assertEquals(1, calls.get(), "still within the floor of 1 s");

    clock.advance(Duration.ofSeconds(20)); // past half the 30 s lifetime: a new value is needed
    assertEquals("v2", cache.get());
    assertEquals(2, calls.get());
  }

  @Test
  void pinnedStaleAtInThePast_servedForTheFloorNotRefreshedOnEveryCall() throws Exception {
    RefreshingCache<String> cache =
        RefreshingCache.builder(
                () ->
                    Refreshed.expiringAt(
                            "v" + calls.incrementAndGet(), clock.instant().plusSeconds(3600))
                        .withStaleAt(clock.instant().minusSeconds(10)))
            .clock(clock)
            .executor(executor)
            .build();
    for (int i = 0; i < 100; i++) {
      cache.get();
    }
    assertTrue(calls.get() <= 1, "calls: " + calls.get());
  }

  @Test
  void expiredOrZeroLifetime_isAnErrorAndNeverServed() {
    for (long seconds : new long[] {0, -1, -3600, -7200}) {
      calls.set(0);
      RefreshingCache<String> cache =
          cache(now -> now.plusSeconds(seconds)).step(Step.IMPERSONATION).build();
      FederationException e = assertThrows(FederationException.class, cache::get, "" + seconds);
      assertEquals(Step.IMPERSONATION, e.step());
      assertTrue(e.getMessage().contains("it is not used"), e.getMessage());
      assertTrue(e.fix().orElse("").contains("clock"), e.getMessage());
      assertEquals(Optional.empty(), cache.peek());
    }
  }

  @Test
  void absurdLifetime_cutToTheMaximum_noOverflow() throws Exception {
    for (Instant claimed :
        new Instant[] {
          Instant.MAX, clock.instant().plusSeconds(Long.MAX_VALUE / 1000), Instant.ofEpochSecond(1)
        }) {
      if (claimed.isBefore(clock.instant())) {
        continue;
      }
      RefreshingCache<String> cache =
          cache(now -> claimed).maxLifetime(Duration.ofHours(2)).build();
      assertTrue(cache.get().startsWith("v"));
      assertEquals(Optional.of(clock.instant().plus(Duration.ofHours(2))), cache.expiresAt());
    }
  }

  @Test
  void negativeStaleMargin_isAConfigurationException() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> cache(now -> now).staleMargin(Duration.ofSeconds(-1)));
    assertEquals("staleMargin", e.field());
  }

  @Test
  void timer_refreshesAValueInUse_butNotAnIdleOne() throws Exception {
    RefreshingCache<String> cache =
        cache(now -> now.plus(Duration.ofHours(1))).scheduler(scheduler).build();
    assertEquals("v1", cache.get());
    scheduler.advance(Duration.ofMinutes(46)); // past 75%: the timer refreshes the used value
    assertEquals(2, calls.get());

    scheduler.advance(Duration.ofHours(5)); // nobody read v2: no refresh on the timer
    assertEquals(2, calls.get());
    assertEquals(0, scheduler.pending());

    assertEquals("v3", cache.get(), "v2 went stale; the caller refreshes on demand");
    scheduler.advance(Duration.ofMinutes(46));
    assertEquals(4, calls.get(), "the timer is armed again once the value is read");
  }

  @Test
  void nearExpiredToken_nobodyCalling_boundedBackgroundRequestsOverAnHour() throws Exception {
    RefreshingCache<String> cache = cache(now -> now.plusSeconds(30)).scheduler(scheduler).build();
    cache.get();
    scheduler.advance(Duration.ofHours(1));
    assertTrue(calls.get() <= 3, "refreshes while idle for an hour: " + calls.get());
  }

  @Test
  void nearExpiredToken_constantCallers_refreshRateBoundedByHalfLifetimeAndBackoff()
      throws Exception {
    RefreshingCache<String> cache = cache(now -> now.plusSeconds(30)).scheduler(scheduler).build();
    for (int s = 0; s < 3600; s++) {
      cache.get();
      scheduler.advance(Duration.ofSeconds(1));
    }
    // served for 15 s each (half of 30 s): about 240 refreshes an hour, never one per call
    assertTrue(calls.get() <= 250, "refreshes in an hour of calls every second: " + calls.get());
  }

  @Test
  void droppedCache_isCollected_andItsScheduledTimerDoesNothing() throws Exception {
    RefreshingCache<String> cache =
        cache(now -> now.plus(Duration.ofHours(1))).scheduler(scheduler).build();
    cache.get();
    assertEquals(1, scheduler.pending(), "the timer is armed");
    WeakReference<RefreshingCache<String>> ref = new WeakReference<>(cache);
    cache = null;
    awaitCollected(ref);
    scheduler.runAllNow();
    assertEquals(1, calls.get(), "no refresh after the cache was dropped");
  }

  @Test
  void pauseAndResume_stopAndReArmTheTimer_getStillRefreshesOnDemand() throws Exception {
    RefreshingCache<String> cache =
        cache(now -> now.plus(Duration.ofHours(1))).scheduler(scheduler).build();
    cache.get();
    cache.pause();
    assertEquals(0, scheduler.pending());
    scheduler.advance(Duration.ofMinutes(50));
    cache.get(); // inside the prefetch window, but paused: no background refresh
    assertEquals(1, calls.get());
    clock.advance(Duration.ofMinutes(10)); // stale
    assertEquals("v2", cache.get(), "on demand while paused");

    cache.resume();
    assertEquals(1, scheduler.pending());
    scheduler.advance(Duration.ofMinutes(46));
    assertEquals(3, calls.get());

    cache.close();
    cache.close(); // idempotent
    assertEquals(0, scheduler.pending());
  }

  @Test
  void serveStaleOnFailure_servesTheLastValueThroughAnOutage_defaultDoesNot() throws Exception {
    AtomicInteger n = new AtomicInteger();
    IOException[] failure = {null};
    RefreshingCache.Refresher<String> refresher =
        () -> {
          if (failure[0] != null) {
            throw failure[0];
          }
          return Refreshed.expiringAt("v" + n.incrementAndGet(), clock.instant().plusSeconds(900));
        };
    RefreshingCache<String> stable =
        RefreshingCache.builder(refresher)
            .clock(clock)
            .executor(executor)
            .serveStaleOnFailure(true)
            .build();
    RefreshingCache<String> strict =
        RefreshingCache.builder(refresher).clock(clock).executor(executor).build();
    assertEquals("v1", stable.get());
    assertEquals("v2", strict.get());
    failure[0] = new IOException("metadata service is down");
    clock.advance(Duration.ofMinutes(20)); // both values expired
    assertEquals("v1", stable.get(), "static stability: the expired value, not an error");
    assertEquals("v1", stable.get());
    assertThrows(IOException.class, strict::get);

    failure[0] = null;
    clock.advance(Duration.ofMinutes(3)); // past the retry backoff and the extension
    assertTrue(stable.get().startsWith("v"));
    assertEquals("v3", stable.get(), "recovers once the source is back");
  }

  @Test
  void executorRejects_callerGetsARetryableErrorNotAnInlineRefresh() {
    RefreshingCache<String> cache =
        RefreshingCache.builder(() -> Refreshed.withoutExpiry("v"))
            .executor(
                r -> {
                  throw new RejectedExecutionException("queue full");
                })
            .step(Step.STS)
            .build();
    FederationException e = assertThrows(FederationException.class, cache::get);
    assertTrue(e.isRetryable());
    assertEquals(Step.STS, e.step());
  }

  private static void awaitQuietly(CountDownLatch latch) throws IOException {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  static void awaitCollected(WeakReference<?> ref) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (ref.get() != null && System.nanoTime() < until) {
      System.gc();
      Thread.sleep(20); // a bounded wait on the garbage collector, not a timing assertion
    }
    assertNull(ref.get(), "collected within 20 s of GC");
  }
}

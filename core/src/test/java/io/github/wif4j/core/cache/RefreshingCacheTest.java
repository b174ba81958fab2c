package io.github.wif4j.core.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.ControlledExecutor;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.testing.FakeClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RefreshingCacheTest {
  private static final Duration LIFETIME = Duration.ofHours(1);

  private final FakeClock clock = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
  private final ControlledExecutor executor = new ControlledExecutor();
  private final AtomicInteger calls = new AtomicInteger();
  private volatile IOException failure;
  private ExecutorService pool;

  @AfterEach
  void stopPool() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }

  /** Returns "v1", "v2", ... valid for an hour from the fake now, or throws {@link #failure}. */
  private Refreshed<String> next() throws IOException {
    int n = calls.incrementAndGet();
    IOException f = failure;
    if (f != null) {
      throw f;
    }
    return Refreshed.expiringAt("v" + n, clock.instant().plus(LIFETIME));
  }

  private RefreshingCache.Builder<String> builder() {
    return RefreshingCache.builder(this::next)
        .name("test-cache")
        .clock(clock)
        .executor(executor)
        .random(() -> 0.0);
  }

  @Test
  void get_cachedValue_returnedWithoutRefresh() throws Exception {
    RefreshingCache<String> cache = builder().build();
    assertEquals("v1", cache.get());
    clock.advance(Duration.ofMinutes(44));
    for (int i = 0; i < 100; i++) {
      assertEquals("v1", cache.get());
    }
    assertEquals(1, calls.get());
    assertEquals(Optional.of(Instant.parse("2026-01-01T01:00:00Z")), cache.expiresAt());
  }

  @Test
  void get_concurrentCallersOnEmptyCache_singleRefresh() throws Exception {
    int threads = 32;
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger refreshes = new AtomicInteger();
    pool = Executors.newFixedThreadPool(threads);
    ExecutorService refresher = Executors.newSingleThreadExecutor();
    try {
      RefreshingCache<String> cache =
          RefreshingCache.builder(
                  () -> {
                    int n = refreshes.incrementAndGet();
                    entered.countDown();
                    awaitQuietly(release);
                    return Refreshed.expiringAt("v" + n, clock.instant().plus(LIFETIME));
                  })
              .clock(clock)
              .executor(refresher)
              .deadline(Duration.ofSeconds(20))
              .build();
      List<Thread> callers = Collections.synchronizedList(new ArrayList<>());
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  callers.add(Thread.currentThread());
                  return cache.get();
                }));
      }
      assertTrue(entered.await(10, TimeUnit.SECONDS), "the refresh started");
      awaitAllWaiting(callers, threads);
      release.countDown();
      for (Future<String> r : results) {
        assertEquals("v1", r.get(10, TimeUnit.SECONDS));
      }
      assertEquals(1, refreshes.get());
    } finally {
      release.countDown();
      refresher.shutdownNow();
    }
  }

  @Test
  void get_afterPrefetchPoint_returnsAtOnceAndStartsOneBackgroundRefresh() throws Exception {
    RefreshingCache<String> cache = builder().build();
    assertEquals("v1", cache.get());
    executor.hold();

    clock.advance(Duration.ofMinutes(44)); // 73%: before the prefetch point
    assertEquals("v1", cache.get());
    assertEquals(0, executor.pending());

    clock.advance(Duration.ofMinutes(2)); // 77%
    for (int i = 0; i < 50; i++) {
      assertEquals("v1", cache.get(), "the caller gets the cached value, not a refresh");
    }
    assertEquals(1, executor.pending(), "exactly one background refresh was started");
    assertEquals(1, calls.get(), "the callers did not run it");

    assertEquals(1, executor.runAll());
    assertEquals(2, calls.get());
    assertEquals("v2", cache.get());
    assertEquals(0, executor.pending());
  }

  @Test
  void prefetchPoint_jitteredBetween75And80PercentOfLifetime() throws Exception {
    for (double r : new double[] {0.0, 0.5, 0.999}) {
      ControlledExecutor ex = new ControlledExecutor();
      FakeClock c = FakeClock.at(Instant.parse("2026-01-01T00:00:00Z"));
      AtomicInteger n = new AtomicInteger();
      RefreshingCache<String> cache =
          RefreshingCache.builder(
                  () -> Refreshed.expiringAt("v" + n.incrementAndGet(), c.instant().plus(LIFETIME)))
              .clock(c)
              .executor(ex)
              .random(() -> r)
              .build();
      cache.get();
      ex.hold();
      c.advance(Duration.ofMinutes(45).minusSeconds(1)); // just before 75%
      cache.get();
      assertEquals(0, ex.pending(), "no prefetch before 75% (random " + r + ")");
      c.advance(Duration.ofMinutes(3).plusSeconds(1)); // exactly 80%
      cache.get();
      assertEquals(1, ex.pending(), "prefetch by 80% (random " + r + ")");
    }
  }

  @Test
  void get_refreshFailsWhileValueValid_servesOldValueUntilStale_thenThrowsTheError()
      throws Exception {
    RefreshingCache<String> cache = builder().build();
    assertEquals("v1", cache.get());
    failure = new IOException("sts is down");

    clock.advance(Duration.ofMinutes(50));
    assertEquals("v1", cache.get());
    assertEquals(2, calls.get(), "the background refresh ran and failed");
    clock.advance(Duration.ofMinutes(8)); // 58 min: still before stale (59 min)
    assertEquals("v1", cache.get());
    assertEquals(Optional.of("v1"), cache.peek());

    clock.advance(Duration.ofMinutes(1)); // 59 min: stale
    assertEquals(Optional.empty(), cache.peek());
    IOException e = assertThrows(IOException.class, cache::get);
    assertEquals("sts is down", e.getMessage());

    failure = null;
    assertTrue(cache.get().startsWith("v"), "recovers once the supplier does");
  }

  @Test
  void backgroundRefresh_afterFailure_backsOffExponentially() throws Exception {
    RefreshingCache<String> cache =
        builder().backoff(Duration.ofSeconds(10), Duration.ofMinutes(1)).build();
    cache.get();
    failure = new IOException("transient");

    clock.advance(Duration.ofMinutes(46));
    cache.get(); // fails; random 0 -> equal jitter gives half of 10 s
    assertEquals(2, calls.get());
    cache.get();
    clock.advance(Duration.ofSeconds(4));
    cache.get();
    assertEquals(2, calls.get(), "no retry within the first backoff");

    clock.advance(Duration.ofSeconds(1)); // 5 s after the failure
    cache.get();
    assertEquals(3, calls.get());

    clock.advance(Duration.ofSeconds(9)); // second backoff is half of 20 s
    cache.get();
    assertEquals(3, calls.get(), "no retry within the second, doubled backoff");
    clock.advance(Duration.ofSeconds(1));
    failure = null;
    assertEquals("v1", cache.get(), "the caller still gets the cached value");
    assertEquals(4, calls.get());
    assertEquals("v4", cache.get(), "the retry succeeded");
  }

  @Test
  void refreshNow_replacesValidValue() throws Exception {
    RefreshingCache<String> cache = builder().build();
    assertEquals("v1", cache.get());
    assertEquals("v2", cache.refreshNow());
    assertEquals("v2", cache.get());
    assertEquals(2, calls.get());
  }

  @Test
  void invalidate_nextGetRefreshes() throws Exception {
    RefreshingCache<String> cache = builder().build();
    assertEquals("v1", cache.get());
    cache.invalidate();
    assertEquals(Optional.empty(), cache.peek());
    assertEquals(Optional.empty(), cache.expiresAt());
    assertEquals("v2", cache.get());
  }

  @Test
  void get_hangingRefresher_throwsFederationExceptionWithinDeadline() {
    CountDownLatch never = new CountDownLatch(1);
    ExecutorService refresher = Executors.newSingleThreadExecutor();
    try {
      RefreshingCache<String> cache =
          RefreshingCache.<String>builder(
                  () -> {
                    awaitQuietly(never);
                    throw new IOException("released");
                  })
              .name("hanging")
              .clock(clock)
              .executor(refresher)
              .deadline(Duration.ofMillis(300))
              .build();
      FederationException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5), () -> assertThrows(FederationException.class, cache::get));
      assertTrue(e.getMessage().contains("hanging"), e.getMessage());
      assertTrue(e.getMessage().contains("deadline of 300 ms"), e.getMessage());
      assertTrue(e.isRetryable());
    } finally {
      never.countDown();
      refresher.shutdownNow();
    }
  }

  @Test
  void get_refresherThrowsRuntimeException_propagatedUnchanged() {
    RefreshingCache<String> cache =
        RefreshingCache.<String>builder(
                () -> {
                  throw new IllegalStateException("bug in refresher");
                })
            .clock(clock)
            .executor(executor)
            .build();
    IllegalStateException e = assertThrows(IllegalStateException.class, cache::get);
    assertEquals("bug in refresher", e.getMessage());
  }

  @Test
  void refreshedPins_overrideDerivedPrefetchAndStale() throws Exception {
    Instant start = clock.instant();
    RefreshingCache<String> cache =
        RefreshingCache.builder(
                () ->
                    Refreshed.expiringAt("v" + calls.incrementAndGet(), start.plus(LIFETIME))
                        .withPrefetchAt(start.plus(Duration.ofMinutes(10)))
                        .withStaleAt(start.plus(Duration.ofMinutes(20))))
            .clock(clock)
            .executor(executor)
            .build();
    cache.get();
    executor.hold();
    clock.advance(Duration.ofMinutes(10));
    cache.get();
    assertEquals(1, executor.pending());
    clock.advance(Duration.ofMinutes(10));
    assertFalse(cache.peek().isPresent());
  }

  @Test
  void toString_doesNotRevealTheValue() throws Exception {
    RefreshingCache<String> cache =
        RefreshingCache.builder(
                () -> Refreshed.expiringAt("secret-token-value", clock.instant().plus(LIFETIME)))
            .name("tokens")
            .clock(clock)
            .executor(executor)
            .build();
    String value = cache.get();
    assertSame("secret-token-value", value);
    assertFalse(cache.toString().contains("secret-token-value"), cache.toString());
  }

  private static void awaitQuietly(CountDownLatch latch) throws IOException {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted");
    }
  }

  /** Waits until every caller thread blocks (joined the single refresh), polling thread states. */
  private static void awaitAllWaiting(List<Thread> callers, int expected)
      throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      List<Thread> snapshot;
      synchronized (callers) {
        snapshot = new ArrayList<>(callers);
      }
      if (snapshot.size() == expected
          && snapshot.stream()
              .allMatch(
                  t ->
                      t.getState() == Thread.State.WAITING
                          || t.getState() == Thread.State.TIMED_WAITING)) {
        return;
      }
      Thread.onSpinWait();
      Thread.yield();
    }
  }
}

package io.github.wif4j.spring;

import io.github.wif4j.core.events.RefreshFailed;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.events.RefreshStarted;
import io.github.wif4j.core.events.RefreshSucceeded;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Supplier;

/**
 * The refresh state of every wif4j component in the application context, kept from their refresh
 * events; the health indicator and the metrics read it. The auto-configured components report to
 * it, and it forwards each event to the application's own {@link RefreshListener} beans.
 *
 * <p>A component is {@linkplain CacheState#down(Instant) down} only when its last refresh failed
 * and the value in hand has expired or will expire before the next retry: a failing refresh while
 * the token is still good is a warning, not an outage. Thread-safe.
 */
public final class Wif4jRefreshMonitor implements RefreshListener {
  private final Clock clock;
  private final Supplier<List<RefreshListener>> others;
  private final Map<String, CacheState> states = new ConcurrentSkipListMap<>();

  Wif4jRefreshMonitor(Clock clock, Supplier<List<RefreshListener>> others) {
    this.clock = clock;
    this.others = others;
  }

  /** The clock the health and gauges are judged by. */
  public Clock clock() {
    return clock;
  }

  /** The state of every component that has refreshed at least once, by name. */
  public Map<String, CacheState> states() {
    return Map.copyOf(states);
  }

  @Override
  public void refreshStarted(RefreshStarted event) {
    forward().forEach(l -> l.refreshStarted(event));
  }

  @Override
  public void refreshSucceeded(RefreshSucceeded event) {
    states.put(event.cache(), new CacheState(event.cache(), event.expiresAt().orElse(null), null));
    forward().forEach(l -> l.refreshSucceeded(event));
  }

  @Override
  public void refreshFailed(RefreshFailed event) {
    states.put(
        event.cache(), new CacheState(event.cache(), event.currentExpiresAt().orElse(null), event));
    forward().forEach(l -> l.refreshFailed(event));
  }

  private List<RefreshListener> forward() {
    List<RefreshListener> all = others.get();
    return all.isEmpty() ? all : all.stream().filter(l -> l != this).toList();
  }

  @Override
  public String toString() {
    return "Wif4jRefreshMonitor{caches=" + states.keySet() + "}";
  }

  /** What is known about one component: its value's expiry and the failure since, if any. */
  public static final class CacheState {
    private final String cache;
    private final Instant expiresAt;
    private final RefreshFailed lastFailure;

    CacheState(String cache, Instant expiresAt, RefreshFailed lastFailure) {
      this.cache = cache;
      this.expiresAt = expiresAt;
      this.lastFailure = lastFailure;
    }

    /** The component's name. */
    public String cache() {
      return cache;
    }

    /** When the value in hand expires, if known. */
    public Optional<Instant> expiresAt() {
      return Optional.ofNullable(expiresAt);
    }

    /** The failure of the last refresh; empty when it succeeded. */
    public Optional<RefreshFailed> lastFailure() {
      return Optional.ofNullable(lastFailure);
    }

    /** Time until the value in hand expires at {@code now} (negative once expired). */
    public Optional<Duration> timeToExpiry(Instant now) {
      return expiresAt().map(e -> Duration.between(now, e));
    }

    /**
     * Whether callers are without a usable value at {@code now}: the last refresh failed and there
     * is no value, it has expired, or it expires before the next retry.
     */
    public boolean down(Instant now) {
      if (lastFailure == null) {
        return false;
      }
      if (expiresAt == null || !now.isBefore(expiresAt)) {
        return true;
      }
      return lastFailure.nextRetryAt().map(r -> !r.isBefore(expiresAt)).orElse(false);
    }

    @Override
    public String toString() {
      return "CacheState{cache="
          + cache
          + ", expiresAt="
          + expiresAt
          + ", lastFailure="
          + lastFailure
          + "}";
    }
  }
}

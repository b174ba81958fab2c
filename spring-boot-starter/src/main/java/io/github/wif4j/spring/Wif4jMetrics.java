package io.github.wif4j.spring;

import io.github.wif4j.core.events.RefreshFailed;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.events.RefreshSucceeded;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Micrometer meters from the refresh events:
 *
 * <ul>
 *   <li>{@value #REFRESH} (timer): refreshes by {@code cache}, {@code outcome} ({@code success} or
 *       {@code failure}) and failed {@code step} ({@code none} on success): count and latency;
 *   <li>{@value #TIME_TO_EXPIRY} (time gauge) by {@code cache}: how long the value in hand still
 *       lasts, negative once expired. Alert when it nears the stale margin (1 min).
 * </ul>
 */
public class Wif4jMetrics implements RefreshListener {
  /** The refresh timer's name. */
  public static final String REFRESH = "wif4j.refresh";

  /** The time-to-expiry gauge's name. */
  public static final String TIME_TO_EXPIRY = "wif4j.token.time.to.expiry";

  private final MeterRegistry registry;
  private final Wif4jRefreshMonitor monitor;
  private final Map<String, TimeGauge> gauges = new ConcurrentHashMap<>();

  /** Records into {@code registry}; expiries come from {@code monitor}. */
  public Wif4jMetrics(MeterRegistry registry, Wif4jRefreshMonitor monitor) {
    this.registry = registry;
    this.monitor = monitor;
  }

  @Override
  public void refreshSucceeded(RefreshSucceeded event) {
    timer(event.cache(), "success", "none").record(event.latency());
    gauge(event.cache());
  }

  @Override
  public void refreshFailed(RefreshFailed event) {
    String step =
        event.step().map(s -> s.name().toLowerCase(java.util.Locale.ROOT)).orElse("unknown");
    timer(event.cache(), "failure", step).record(event.latency());
    gauge(event.cache());
  }

  private Timer timer(String cache, String outcome, String step) {
    return Timer.builder(REFRESH)
        .description("wif4j token and credential refreshes")
        .tags(Tags.of("cache", cache, "outcome", outcome, "step", step))
        .register(registry);
  }

  private void gauge(String cache) {
    gauges.computeIfAbsent(
        cache,
        c ->
            TimeGauge.builder(TIME_TO_EXPIRY, monitor, TimeUnit.SECONDS, m -> secondsToExpiry(m, c))
                .description("Time until the token or credentials in hand expire")
                .tags("cache", c)
                .register(registry));
  }

  private static double secondsToExpiry(Wif4jRefreshMonitor m, String cache) {
    Wif4jRefreshMonitor.CacheState s = m.states().get(cache);
    if (s == null) {
      return Double.NaN;
    }
    return s.timeToExpiry(m.clock().instant())
        .map(Duration::toMillis)
        .map(ms -> ms / 1000.0)
        .orElse(Double.NaN);
  }
}

package io.github.wif4j.spring;

import io.github.wif4j.core.events.RefreshFailed;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/**
 * Health of wif4j's tokens and credentials ({@code /actuator/health/wif4j}). DOWN only when a
 * refresh has failed and the value in hand has expired or will before the next retry, with the
 * failure's step, message and fix; a refresh that fails while the token is still good stays UP with
 * the failure in the details, since callers are still served. UNKNOWN before the first refresh.
 * Does no I/O.
 */
public class Wif4jHealthIndicator extends AbstractHealthIndicator {
  private final Wif4jRefreshMonitor monitor;

  /** Reports what {@code monitor} has seen. */
  public Wif4jHealthIndicator(Wif4jRefreshMonitor monitor) {
    super("wif4j health check failed");
    this.monitor = monitor;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    Map<String, Wif4jRefreshMonitor.CacheState> states = monitor.states();
    if (states.isEmpty()) {
      builder.unknown().withDetail("refreshes", "none yet: tokens are fetched on first use");
      return;
    }
    Instant now = monitor.clock().instant();
    boolean down = false;
    for (Wif4jRefreshMonitor.CacheState s : states.values()) {
      Map<String, Object> d = new LinkedHashMap<>();
      s.expiresAt().ifPresent(e -> d.put("expiresAt", e.toString()));
      s.timeToExpiry(now).ifPresent(t -> d.put("timeToExpirySeconds", t.getSeconds()));
      if (s.lastFailure().isPresent()) {
        RefreshFailed f = s.lastFailure().get();
        boolean cacheDown = s.down(now);
        down |= cacheDown;
        d.put("status", cacheDown ? "DOWN" : "UP (refresh failing, serving the current value)");
        d.put("step", f.step().map(Enum::name).orElse("unknown"));
        d.put("error", f.message());
        f.fix().ifPresent(fix -> d.put("fix", fix));
        d.put("retryable", f.retryable());
        d.put("consecutiveFailures", f.consecutiveFailures());
        d.put("failedAt", f.at().toString());
        f.nextRetryAt().ifPresent(r -> d.put("nextRetryAt", r.toString()));
      } else {
        d.put("status", "UP");
      }
      builder.withDetail(s.cache(), d);
    }
    builder.status(down ? Status.DOWN : Status.UP);
  }
}

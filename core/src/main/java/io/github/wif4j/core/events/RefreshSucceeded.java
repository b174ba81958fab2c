package io.github.wif4j.core.events;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** A refresh of {@link #cache()} produced a new value. Carries no secret. */
public final class RefreshSucceeded extends RefreshEvent {
  private final Duration latency;
  private final Instant expiresAt;
  private final int failuresBefore;

  RefreshSucceeded(
      String cache, Instant at, Duration latency, Instant expiresAt, int failuresBefore) {
    super(cache, at);
    this.latency = latency;
    this.expiresAt = expiresAt;
    this.failuresBefore = failuresBefore;
  }

  /** How long the refresh took (wall time, every HTTP call and retry included). */
  public Duration latency() {
    return latency;
  }

  /** When the new value expires; empty when its source gives no expiry. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  /** How many refreshes had failed in a row before this one (0 in steady state). */
  public int failuresBefore() {
    return failuresBefore;
  }

  @Override
  public String toString() {
    return "RefreshSucceeded{cache=%s, at=%s, latency=%s, expiresAt=%s, failuresBefore=%s}"
        .formatted(cache(), at(), latency, expiresAt, failuresBefore);
  }
}

package io.github.wif4j.core.events;

import java.time.Instant;
import java.util.Optional;

/** A refresh of {@link #cache()} begins. Carries no secret. */
public final class RefreshStarted extends RefreshEvent {
  private final Instant currentExpiresAt;

  RefreshStarted(String cache, Instant at, Instant currentExpiresAt) {
    super(cache, at);
    this.currentExpiresAt = currentExpiresAt;
  }

  /** When the value in hand expires; empty when there is none yet or its expiry is unknown. */
  public Optional<Instant> currentExpiresAt() {
    return Optional.ofNullable(currentExpiresAt);
  }

  @Override
  public String toString() {
    return "RefreshStarted{cache=%s, at=%s, currentExpiresAt=%s}"
        .formatted(cache(), at(), currentExpiresAt);
  }
}

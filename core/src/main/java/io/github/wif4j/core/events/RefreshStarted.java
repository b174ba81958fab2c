package io.github.wif4j.core.events;

import java.time.Instant;
import java.util.Optional;

/** A refresh of {@link #cache()} begins. Carries no secret. */
public final class RefreshStarted {
  private final String cache;
  private final Instant at;
  private final Instant currentExpiresAt;

  RefreshStarted(String cache, Instant at, Instant currentExpiresAt) {
    this.cache = cache;
    this.at = at;
    this.currentExpiresAt = currentExpiresAt;
  }

  /** The component's name, e.g. {@code "wif4j google token"}. */
  public String cache() {
    return cache;
  }

  /** When the refresh began, by the component's clock. */
  public Instant at() {
    return at;
  }

  /** When the value in hand expires; empty when there is none yet or its expiry is unknown. */
  public Optional<Instant> currentExpiresAt() {
    return Optional.ofNullable(currentExpiresAt);
  }

  @Override
  public String toString() {
    return "RefreshStarted{cache=%s, at=%s, currentExpiresAt=%s}"
        .formatted(cache, at, currentExpiresAt);
  }
}

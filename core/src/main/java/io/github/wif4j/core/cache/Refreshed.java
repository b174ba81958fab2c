package io.github.wif4j.core.cache;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A freshly obtained value and when it expires, as returned by a {@link RefreshingCache.Refresher}.
 *
 * <p>The cache derives its stale and prefetch instants from {@link #expiresAt()} and its policy; a
 * refresher that knows better (the AWS SDK's own prefetch time, say) can pin them with {@link
 * #withStaleAt(Instant)} and {@link #withPrefetchAt(Instant)}.
 */
public final class Refreshed<T> {
  private final T value;
  private final Instant expiresAt;
  private final Instant staleAt;
  private final Instant prefetchAt;

  private Refreshed(T value, Instant expiresAt, Instant staleAt, Instant prefetchAt) {
    this.value = Objects.requireNonNull(value, "value");
    this.expiresAt = expiresAt;
    this.staleAt = staleAt;
    this.prefetchAt = prefetchAt;
  }

  /** A value valid until {@code expiresAt}. */
  public static <T> Refreshed<T> expiringAt(T value, Instant expiresAt) {
    return new Refreshed<>(value, Objects.requireNonNull(expiresAt, "expiresAt"), null, null);
  }

  /** A value with no known expiry; the cache refreshes it after its default lifetime. */
  public static <T> Refreshed<T> withoutExpiry(T value) {
    return new Refreshed<>(value, null, null, null);
  }

  /** Overrides when the value must no longer be served. */
  public Refreshed<T> withStaleAt(Instant staleAt) {
    return new Refreshed<>(value, expiresAt, Objects.requireNonNull(staleAt), prefetchAt);
  }

  /** Overrides when a background refresh should start. */
  public Refreshed<T> withPrefetchAt(Instant prefetchAt) {
    return new Refreshed<>(value, expiresAt, staleAt, Objects.requireNonNull(prefetchAt));
  }

  /** The value. */
  public T value() {
    return value;
  }

  /** When the value expires, if known. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  Optional<Instant> staleAt() {
    return Optional.ofNullable(staleAt);
  }

  Optional<Instant> prefetchAt() {
    return Optional.ofNullable(prefetchAt);
  }

  @Override
  public String toString() {
    // The value may be a secret; its own toString() is responsible for redaction.
    return "Refreshed{value=" + value + ", expiresAt=" + expiresAt + "}";
  }
}

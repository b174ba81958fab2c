package io.github.wif4j.core.events;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A refresh of {@link #cache()} failed. Says where ({@link #step()}), how to fix it ({@link
 * #fix()}), whether retrying can help, and how long the value in hand still lasts. Carries no
 * secret: the message is the failure's own text, which wif4j keeps free of tokens and keys.
 */
public final class RefreshFailed extends RefreshEvent {
  private final Duration latency;
  private final Throwable failure;
  private final Instant currentExpiresAt;
  private final int consecutiveFailures;
  private final Instant nextRetryAt;

  RefreshFailed(
      String cache,
      Instant at,
      Duration latency,
      Throwable failure,
      Instant currentExpiresAt,
      int consecutiveFailures,
      Instant nextRetryAt) {
    super(cache, at);
    this.latency = latency;
    this.failure = failure;
    this.currentExpiresAt = currentExpiresAt;
    this.consecutiveFailures = consecutiveFailures;
    this.nextRetryAt = nextRetryAt;
  }

  /** How long the failed attempt took, retries inside its deadline included. */
  public Duration latency() {
    return latency;
  }

  /** The step that failed, when the failure is a {@link FederationException}. */
  public Optional<Step> step() {
    return federation().map(FederationException::step);
  }

  /** What to change, when wif4j knows. */
  public Optional<String> fix() {
    return federation().flatMap(FederationException::fix);
  }

  /**
   * Whether trying again may succeed (a 5xx, a throttle, a timeout); {@code false} for a refusal
   * that needs a configuration change. Failures that are not a {@link FederationException} count as
   * retryable.
   */
  public boolean retryable() {
    return federation().map(FederationException::isRetryable).orElse(true);
  }

  /** The failure's class, e.g. {@code io.github.wif4j.core.FederationException}. */
  public String errorType() {
    return failure.getClass().getName();
  }

  /** The failure's message (never a secret), or the class name when it has none. */
  public String message() {
    String m = failure.getMessage();
    return m == null ? errorType() : m;
  }

  /** The failure itself, for logging with its causes. */
  public Throwable failure() {
    return failure;
  }

  /** When the value in hand expires; empty when there is none or its expiry is unknown. */
  public Optional<Instant> currentExpiresAt() {
    return Optional.ofNullable(currentExpiresAt);
  }

  /** Time left on the value in hand at {@link #at()} (zero once expired); empty when none. */
  public Optional<Duration> timeLeft() {
    if (currentExpiresAt == null) {
      return Optional.empty();
    }
    Duration left = Duration.between(at(), currentExpiresAt);
    return Optional.of(left.isNegative() ? Duration.ZERO : left);
  }

  /** Failures in a row, this one included. */
  public int consecutiveFailures() {
    return consecutiveFailures;
  }

  /**
   * The earliest a background retry starts; empty when none is planned (no value in hand: the next
   * caller retries).
   */
  public Optional<Instant> nextRetryAt() {
    return Optional.ofNullable(nextRetryAt);
  }

  /**
   * Whether callers are left without a usable value: there is none, it has expired, or it expires
   * before the next retry.
   */
  public boolean exhausted() {
    if (currentExpiresAt == null || !at().isBefore(currentExpiresAt)) {
      return true;
    }
    return nextRetryAt != null && !nextRetryAt.isBefore(currentExpiresAt);
  }

  private Optional<FederationException> federation() {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < 5; depth++, t = t.getCause()) {
      if (t instanceof FederationException) {
        return Optional.of((FederationException) t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return ("RefreshFailed{cache=%s, at=%s, step=%s, retryable=%s, consecutiveFailures=%s,"
            + " currentExpiresAt=%s, nextRetryAt=%s}")
        .formatted(
            cache(),
            at(),
            step().map(Enum::name).orElse("-"),
            retryable(),
            consecutiveFailures,
            currentExpiresAt,
            nextRetryAt);
  }
}

package io.github.wif4j.core.http;

import io.github.wif4j.core.FederationException;
import java.time.Duration;
import java.util.Optional;

/**
 * One deadline for a whole operation (subject token, STS exchange, impersonation), however many
 * HTTP calls it makes: every {@link HttpExecutor} call on this thread inside {@link #start} ends by
 * the earlier of its own {@link TransportPolicy#deadline()} and this one.
 *
 * <pre>{@code
 * try (OperationDeadline d = OperationDeadline.start(Duration.ofSeconds(25))) {
 *   token = exchange(); // source, STS and IAM calls share the 25 s
 * }
 * }</pre>
 *
 * <p>Scopes nest; an inner scope never extends an outer one. A scope belongs to the thread that
 * opened it: close it in the same thread (try-with-resources).
 */
public final class OperationDeadline implements AutoCloseable {
  private static final ThreadLocal<OperationDeadline> CURRENT = new ThreadLocal<>();

  private final long deadlineNanos;
  private final Duration budget;
  private final OperationDeadline outer;

  private OperationDeadline(long deadlineNanos, Duration budget, OperationDeadline outer) {
    this.deadlineNanos = deadlineNanos;
    this.budget = budget;
    this.outer = outer;
  }

  /**
   * Opens a scope ending {@code budget} from now (or at the enclosing scope's end, if earlier).
   * Budgets beyond a day are treated as a day.
   */
  public static OperationDeadline start(Duration budget) {
    long nanos = saturatedNanos(budget);
    long now = System.nanoTime();
    OperationDeadline outer = CURRENT.get();
    long end = now + nanos;
    Duration effective = Duration.ofNanos(nanos);
    if (outer != null && outer.deadlineNanos - end < 0) {
      end = outer.deadlineNanos;
      effective = outer.budget;
    }
    OperationDeadline d = new OperationDeadline(end, effective, outer);
    CURRENT.set(d);
    return d;
  }

  /** The innermost open scope of this thread, if any. */
  public static Optional<OperationDeadline> current() {
    return Optional.ofNullable(CURRENT.get());
  }

  /**
   * The failure wif4j's transport gave up with inside a scope, if {@code thrown} (or one of its
   * causes) carries one. google-auth retries every {@code IOException} with its own backoff, so
   * inside a scope the transport throws an unchecked carrier instead, which google-auth passes
   * through; whoever opened the scope catches what google-auth threw and rethrows this failure,
   * which already names the endpoint, the step and the fix.
   */
  public static Optional<FederationException> carriedFailure(Throwable thrown) {
    return Optional.ofNullable(TransportAbort.carried(thrown));
  }

  /** Time left, zero when passed. */
  public Duration remaining() {
    long left = deadlineNanos - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  long deadlineNanos() {
    return deadlineNanos;
  }

  @Override
  public void close() {
    if (CURRENT.get() == this) {
      if (outer == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(outer);
      }
    }
  }

  @Override
  public String toString() {
    return "OperationDeadline{budget=" + budget + ", remaining=" + remaining() + "}";
  }

  /** {@code d} in nanoseconds, clamped to [1 ms, 1 day]: never overflows a nanoTime sum. */
  static long saturatedNanos(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      return Duration.ofMillis(1).toNanos();
    }
    if (d.compareTo(Duration.ofDays(1)) > 0) {
      return Duration.ofDays(1).toNanos();
    }
    return d.toNanos();
  }
}

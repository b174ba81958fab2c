package io.github.wif4j.core.http;

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

  /** Time left, zero when passed. */
  public Duration remaining() {
    long left = deadlineNanos - System.nanoTime();
    return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
  }

  /** The budget the scope started with. */
  public Duration budget() {
    return budget;
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

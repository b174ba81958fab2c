package io.github.wif4j.core.cache;

import java.util.Objects;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay: the timer a {@link RefreshingCache} refreshes ahead of expiry by when
 * nobody calls. One method, so tests can drive it with a fake clock.
 *
 * <pre>{@code
 * RefreshingCache.builder(refresher).scheduler(Scheduler.shared()).build();
 * }</pre>
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Runs {@code task} once, {@code delayMillis} from now (at once when not positive). The returned
   * future cancels it; the task must be quick (it only hands work to an executor).
   */
  Future<?> schedule(Runnable task, long delayMillis);

  /** wif4j's shared daemon timer thread ({@link SharedExecutors#scheduler()}). */
  static Scheduler shared() {
    return of(SharedExecutors.scheduler());
  }

  /** A scheduler backed by {@code executor}. */
  static Scheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (task, delayMillis) ->
        executor.schedule(task, Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
  }
}

package io.github.wif4j.core;

import io.github.wif4j.core.cache.Scheduler;
import io.github.wif4j.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} driven by a {@link FakeClock}: {@link #advance(Duration)} moves the clock
 * from one due task to the next and runs each, so an hour of background refresh takes no time. It
 * holds its tasks strongly, as a real scheduler's queue does.
 */
public final class ManualScheduler implements Scheduler {
  private final FakeClock clock;
  private final List<Task> tasks = new ArrayList<>();
  private int ran;

  public ManualScheduler(FakeClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized Future<?> schedule(Runnable task, long delayMillis) {
    Task t = new Task(task, clock.millis() + Math.max(0, delayMillis));
    tasks.add(t);
    return t;
  }

  /** Tasks scheduled and neither run nor cancelled. */
  public synchronized int pending() {
    tasks.removeIf(t -> t.cancelled);
    return tasks.size();
  }

  /** Tasks run so far. */
  public synchronized int ran() {
    return ran;
  }

  /** Runs every pending task now, whatever its due time; returns how many ran. */
  public int runAllNow() {
    int n = 0;
    for (Task t = next(Long.MAX_VALUE); t != null; t = next(Long.MAX_VALUE)) {
      t.task.run();
      n++;
    }
    return n;
  }

  /** Moves the clock forward by {@code d}, running each task when its due time is reached. */
  public int advance(Duration d) {
    long end = clock.millis() + d.toMillis();
    int n = 0;
    for (Task t = next(end); t != null; t = next(end)) {
      if (t.due > clock.millis()) {
        clock.advance(Duration.ofMillis(t.due - clock.millis()));
      }
      t.task.run();
      n++;
      if (n > 100_000) {
        throw new AssertionError("runaway scheduling: over 100000 tasks within " + d);
      }
    }
    if (end > clock.millis()) {
      clock.advance(Duration.ofMillis(end - clock.millis()));
    }
    return n;
  }

  private synchronized Task next(long until) {
    tasks.removeIf(t -> t.cancelled);
    Task first = null;
    for (Task t : tasks) {
      if (t.due <= until && (first == null || t.due < first.due)) {
        first = t;
      }
    }
    if (first != null) {
      tasks.remove(first);
      ran++;
    }
    return first;
  }

  private static final class Task implements Future<Object> {
    final Runnable task;
    final long due;
    volatile boolean cancelled;

    Task(Runnable task, long due) {
      this.task = task;
      this.due = due;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException();
    }
  }
}

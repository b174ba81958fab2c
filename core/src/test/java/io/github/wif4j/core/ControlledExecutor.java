package io.github.wif4j.core;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An executor a test drives: runs tasks inline while {@linkplain #direct() direct}, otherwise
 * queues them until {@link #runAll()}, so a test can prove the caller did not run a refresh.
 */
public final class ControlledExecutor implements Executor {
  private final Deque<Runnable> queue = new ArrayDeque<>();
  private final AtomicInteger submitted = new AtomicInteger();
  private volatile boolean direct = true;

  /** Runs submitted tasks inline from now on. */
  public ControlledExecutor direct() {
    direct = true;
    return this;
  }

  /** Queues submitted tasks from now on. */
  public ControlledExecutor hold() {
    direct = false;
    return this;
  }

  @Override
  public void execute(Runnable task) {
    submitted.incrementAndGet();
    if (direct) {
      task.run();
    } else {
      synchronized (queue) {
        queue.addLast(task);
      }
    }
  }

  /** Tasks waiting. */
  public int pending() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /** Tasks ever submitted. */
  public int submitted() {
    return submitted.get();
  }

  /** Runs the queued tasks on the calling thread; returns how many ran. */
  public int runAll() {
    int n = 0;
    while (true) {
      Runnable r;
      synchronized (queue) {
        r = queue.pollFirst();
      }
      if (r == null) {
        return n;
      }
      r.run();
      n++;
    }
  }
}

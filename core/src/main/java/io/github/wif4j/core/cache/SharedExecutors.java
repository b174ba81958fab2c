package io.github.wif4j.core.cache;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads wif4j refreshes on by default, created lazily on first use so that building
 * credentials starts no thread (Lambda cold starts stay cheap).
 */
public final class SharedExecutors {
  private SharedExecutors() {}

  /** An unbounded pool of daemon threads that idle out after 60 s. */
  public static Executor refresher() {
    return RefresherHolder.POOL;
  }

  /** One daemon scheduler thread for on-time prefetches. */
  public static ScheduledExecutorService scheduler() {
    return SchedulerHolder.SCHEDULER;
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static final class RefresherHolder {
    static final ThreadPoolExecutor POOL =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            60,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            daemon("wif4j-refresh-"));
  }

  private static final class SchedulerHolder {
    static final ScheduledThreadPoolExecutor SCHEDULER = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("wif4j-prefetch-"));
      s.setRemoveOnCancelPolicy(true);
      return s;
    }
  }
}

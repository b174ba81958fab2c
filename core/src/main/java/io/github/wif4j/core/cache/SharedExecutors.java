package io.github.wif4j.core.cache;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon threads wif4j refreshes on by default, created lazily on first use so that building
 * credentials starts no thread (Lambda cold starts stay cheap).
 *
 * <p>Both pools let their threads idle out after {@value #IDLE_SECONDS} s without work, so a web
 * application that is undeployed does not keep a wif4j thread (and its class loader) alive; the
 * timer thread stays only while a refresh is scheduled. Threads are named {@code wif4j-refresh-N}
 * and {@code wif4j-prefetch-N}.
 */
public final class SharedExecutors {
  /** How many refreshes run at once across the JVM; more wait in a queue, within their deadline. */
  public static final int MAX_CONCURRENT_REFRESHES = 16;

  /** Queued refreshes beyond which new ones are rejected (their callers get a retryable error). */
  public static final int MAX_QUEUED_REFRESHES = 1024;

  static final long IDLE_SECONDS = 30;

  private SharedExecutors() {}

  /**
   * A pool of at most {@value #MAX_CONCURRENT_REFRESHES} daemon threads with a bounded queue; the
   * threads idle out after {@value #IDLE_SECONDS} s.
   */
  public static Executor refresher() {
    return RefresherHolder.POOL;
  }

  /** One daemon timer thread for on-time prefetches; it idles out when nothing is scheduled. */
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
    static final ThreadPoolExecutor POOL = create();

    private static ThreadPoolExecutor create() {
      ThreadPoolExecutor p =
          new ThreadPoolExecutor(
              MAX_CONCURRENT_REFRESHES,
              MAX_CONCURRENT_REFRESHES,
              IDLE_SECONDS,
              TimeUnit.SECONDS,
              new LinkedBlockingQueue<>(MAX_QUEUED_REFRESHES),
              daemon("wif4j-refresh-"));
      p.allowCoreThreadTimeOut(true);
      return p;
    }
  }

  private static final class SchedulerHolder {
    static final ScheduledThreadPoolExecutor SCHEDULER = create();

    private static ScheduledThreadPoolExecutor create() {
      ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemon("wif4j-prefetch-"));
      s.setRemoveOnCancelPolicy(true);
      s.setKeepAliveTime(IDLE_SECONDS, TimeUnit.SECONDS);
      s.allowCoreThreadTimeOut(true);
      return s;
    }
  }
}

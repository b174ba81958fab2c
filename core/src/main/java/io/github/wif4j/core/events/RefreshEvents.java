package io.github.wif4j.core.events;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Emits the refresh events of one refreshing component to its {@link RefreshListener} and to JDK
 * Flight Recorder. {@code RefreshingCache} uses one per cache; a component with its own refresh
 * loop can use one too.
 *
 * <pre>{@code
 * RefreshEvents events = RefreshEvents.of("my token", clock, listener); // listener may be null
 * long started = events.started(currentExpiry);
 * try {
 *   Token t = fetch();
 *   events.succeeded(started, t.expiry(), 0);
 * } catch (IOException e) {
 *   events.failed(started, e, currentExpiry, 1, null);
 * }
 * }</pre>
 *
 * <p>Costs nothing on a cache's hot path (it is called only around refreshes); with no listener and
 * no Flight Recorder recording, a refresh pays a clock read and a few branches. Thread-safe.
 */
public final class RefreshEvents {
  private static final System.Logger LOG = System.getLogger(RefreshEvents.class.getName());

  private final String cache;
  private final Clock clock;
  private final RefreshListener listener;

  private RefreshEvents(String cache, Clock clock, RefreshListener listener) {
    this.cache = Objects.requireNonNull(cache, "cache");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = listener;
  }

  /**
   * Events for the component named {@code cache}, stamped by {@code clock}, delivered to {@code
   * listener} (null for Flight Recorder only).
   */
  public static RefreshEvents of(String cache, Clock clock, RefreshListener listener) {
    return new RefreshEvents(cache, clock, listener);
  }

  /**
   * A refresh begins. Returns the start time to hand to {@link #succeeded} or {@link #failed}.
   *
   * @param currentExpiresAt when the value in hand expires, or null
   */
  public long started(Instant currentExpiresAt) {
    long start = System.nanoTime();
    if (listener != null) {
      deliver(listener, new RefreshStarted(cache, clock.instant(), currentExpiresAt));
    }
    if (Jfr.on()) {
      Jfr.started(cache, currentExpiresAt);
    }
    return start;
  }

  /**
   * The refresh begun at {@code startNanos} produced a value.
   *
   * @param expiresAt the new value's expiry, or null when unknown
   * @param failuresBefore failed refreshes in a row before this one
   */
  public void succeeded(long startNanos, Instant expiresAt, int failuresBefore) {
    long latency = System.nanoTime() - startNanos;
    if (listener != null) {
      deliver(
          listener,
          new RefreshSucceeded(
              cache, clock.instant(), Duration.ofNanos(latency), expiresAt, failuresBefore));
    }
    if (Jfr.on()) {
      Jfr.succeeded(cache, latency, expiresAt, failuresBefore);
    }
  }

  /**
   * The refresh begun at {@code startNanos} failed.
   *
   * @param failure what the refresh threw
   * @param currentExpiresAt when the value still in hand expires, or null when there is none
   * @param consecutiveFailures failures in a row, this one included
   * @param nextRetryAt when a background retry may start, or null when none is planned
   */
  public void failed(
      long startNanos,
      Throwable failure,
      Instant currentExpiresAt,
      int consecutiveFailures,
      Instant nextRetryAt) {
    long latency = System.nanoTime() - startNanos;
    if (listener == null && !Jfr.on()) {
      return;
    }
    RefreshFailed event =
        new RefreshFailed(
            cache,
            clock.instant(),
            Duration.ofNanos(latency),
            Objects.requireNonNull(failure, "failure"),
            currentExpiresAt,
            consecutiveFailures,
            nextRetryAt);
    if (listener != null) {
      deliver(listener, event);
    }
    if (Jfr.on()) {
      Jfr.failed(event);
    }
  }

  static void deliver(RefreshListener l, RefreshEvent event) {
    try {
      if (event instanceof RefreshStarted started) {
        l.refreshStarted(started);
      } else if (event instanceof RefreshSucceeded succeeded) {
        l.refreshSucceeded(succeeded);
      } else {
        l.refreshFailed((RefreshFailed) event);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "refresh listener " + l.getClass().getName() + " threw; ignored", e);
    }
  }

  @Override
  public String toString() {
    return "RefreshEvents{cache=" + cache + ", listener=" + (listener != null) + "}";
  }

  /**
   * Flight Recorder, when the runtime image has the jdk.jfr module (a jlinked one may not) and a
   * recording has started in this JVM. In a JVM whose recorder never started, the first event
   * object costs 0.3-2 s (measured on JDK 17: the recorder initializes itself), far too much for a
   * first token; so event objects are only touched once Flight Recorder is up ({@code
   * -XX:StartFlightRecording}, {@code jcmd JFR.start}, a {@code Recording} in code), which a static
   * flag read tells.
   */
  private static final class Jfr {
    private static final boolean AVAILABLE = available();

    private static boolean available() {
      try {
        Class.forName("jdk.jfr.FlightRecorder", false, RefreshEvents.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }

    static boolean on() {
      return AVAILABLE && jdk.jfr.FlightRecorder.isInitialized();
    }

    static void started(String cache, Instant currentExpiresAt) {
      JfrEvents.Started e = new JfrEvents.Started();
      if (e.shouldCommit()) {
        e.cache = cache;
        e.currentExpiresAt = millis(currentExpiresAt);
        e.commit();
      }
    }

    static void succeeded(String cache, long latencyNanos, Instant expiresAt, int failuresBefore) {
      JfrEvents.Succeeded e = new JfrEvents.Succeeded();
      if (e.shouldCommit()) {
        e.cache = cache;
        e.latency = latencyNanos;
        e.expiresAt = millis(expiresAt);
        e.failuresBefore = failuresBefore;
        e.commit();
      }
    }

    static void failed(RefreshFailed f) {
      JfrEvents.Failed e = new JfrEvents.Failed();
      if (e.shouldCommit()) {
        e.cache = f.cache();
        e.latency = f.latency().toNanos();
        e.step = f.step().map(Enum::name).orElse(null);
        e.retryable = f.retryable();
        e.fix = f.fix().orElse(null);
        e.errorType = f.errorType();
        e.message = f.message();
        e.currentExpiresAt = millis(f.currentExpiresAt().orElse(null));
        e.timeLeft = f.timeLeft().map(Duration::toMillis).orElse(0L);
        e.consecutiveFailures = f.consecutiveFailures();
        e.nextRetryAt = millis(f.nextRetryAt().orElse(null));
        e.exhausted = f.exhausted();
        e.commit();
      }
    }

    private static long millis(Instant t) {
      return t == null ? Long.MIN_VALUE : t.toEpochMilli();
    }
  }
}

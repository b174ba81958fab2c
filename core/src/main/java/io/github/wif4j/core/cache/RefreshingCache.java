package io.github.wif4j.core.cache;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.events.RefreshEvents;
import io.github.wif4j.core.events.RefreshListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.DoubleSupplier;

/**
 * Caches a value that expires (an access token, AWS credentials, an Azure token) and renews it
 * ahead of time, so that callers never wait for a refresh in steady state.
 *
 * <p>Every value has two instants, derived from its expiry by this cache's policy unless the
 * refresher pins them:
 *
 * <ul>
 *   <li><b>prefetch</b> (default: at 75-80% of the lifetime, jittered): the first {@link #get()}
 *       after it starts one background refresh and returns the current value at once. With a
 *       {@linkplain Builder#scheduler(ScheduledExecutorService) scheduler} the refresh also starts
 *       on time without any caller.
 *   <li><b>stale</b> (default: one minute before expiry): the value is no longer served; callers
 *       wait for the one refresh in flight, at most {@linkplain Builder#deadline(Duration) the
 *       deadline}.
 * </ul>
 *
 * <p>Any number of concurrent callers cause one refresh (single flight). When a refresh fails while
 * the value is still valid, callers keep getting it, the failure is logged once and the refresh is
 * retried with exponential backoff and jitter; only a stale value surfaces the error.
 *
 * <pre>{@code
 * RefreshingCache<AccessToken> tokens = RefreshingCache.builder(() -> {
 *       AccessToken t = exchange();
 *       return Refreshed.expiringAt(t, t.getExpirationTime().toInstant());
 *     })
 *     .name("google-access-token")
 *     .build();
 * AccessToken token = tokens.get();
 * }</pre>
 *
 * <p>Thread-safe; share one instance per credential. {@link #close()} cancels scheduled work.
 *
 * @param <T> the cached value; its {@code toString()} must not reveal secrets
 */
public final class RefreshingCache<T> implements AutoCloseable {

  /** Obtains a new value. May block on I/O; called by one thread at a time. */
  @FunctionalInterface
  public interface Refresher<T> {
    /** Returns a fresh value, or throws; exceptions must not contain secrets. */
    Refreshed<T> refresh() throws IOException;
  }

  private static final System.Logger LOG = System.getLogger(RefreshingCache.class.getName());

  private final Refresher<T> refresher;
  private final String name;
  private final Clock clock;
  private final Executor executor;
  private final ScheduledExecutorService scheduler;
  private final Duration deadline;
  private final Duration staleMargin;
  private final Duration defaultLifetime;
  private final double prefetchFraction;
  private final double prefetchJitter;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final DoubleSupplier random;
  private final RefreshEvents events;

  private final Object lock = new Object();
  private volatile Entry<T> current;
  private CompletableFuture<Entry<T>> inFlight; // guarded by lock
  private ScheduledFuture<?> scheduled; // guarded by lock
  private int consecutiveFailures; // guarded by lock
  private long retryNotBeforeMillis; // guarded by lock
  private volatile boolean closed;

  private RefreshingCache(Builder<T> b) {
    this.refresher = b.refresher;
    this.name = b.name;
    this.clock = b.clock;
    this.executor = b.executor;
    this.scheduler = b.scheduler;
    this.deadline = b.deadline;
    this.staleMargin = b.staleMargin;
    this.defaultLifetime = b.defaultLifetime;
    this.prefetchFraction = b.prefetchFraction;
    this.prefetchJitter = b.prefetchJitter;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.random = b.random;
    this.events = RefreshEvents.of(b.name, b.clock, b.listener);
  }

  /** Starts a builder around {@code refresher}. */
  public static <T> Builder<T> builder(Refresher<T> refresher) {
    return new Builder<>(refresher);
  }

  /**
   * Returns a value that is not stale. Returns at once when one is cached (starting a background
   * refresh if its prefetch time has passed); otherwise waits for the single refresh in flight.
   *
   * @throws IOException the refresh's failure, or a {@link FederationException} when the deadline
   *     passes first
   */
  public T get() throws IOException {
    Entry<T> e = current;
    if (e != null) {
      long now = clock.millis();
      if (now < e.prefetchAtMillis) {
        return e.value; // hot path: two volatile reads and a clock read
      }
      if (now < e.staleAtMillis) {
        prefetchInBackground(now);
        return e.value;
      }
    }
    return await(startRefresh(false));
  }

  /** The cached value if it is not stale, without ever blocking or refreshing. */
  public Optional<T> peek() {
    Entry<T> e = current;
    if (e != null && clock.millis() < e.staleAtMillis) {
      return Optional.of(e.value);
    }
    return Optional.empty();
  }

  /** Forces a new value now, waiting for it (joins a refresh already in flight). */
  public T refreshNow() throws IOException {
    return await(startRefresh(true));
  }

  /** Forgets the cached value, e.g. after the server rejected it. */
  public void invalidate() {
    synchronized (lock) {
      current = null;
    }
  }

  /** When the cached value expires, if a value is cached and its expiry is known. */
  public Optional<Instant> expiresAt() {
    Entry<T> e = current;
    return e == null ? Optional.empty() : Optional.ofNullable(e.expiresAt);
  }

  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      if (scheduled != null) {
        scheduled.cancel(false);
        scheduled = null;
      }
    }
  }

  @Override
  public String toString() {
    Entry<T> e = current;
    return "RefreshingCache{name="
        + name
        + ", cached="
        + (e != null)
        + (e != null ? ", expiresAt=" + e.expiresAt : "")
        + "}";
  }

  private void prefetchInBackground(long now) {
    synchronized (lock) {
      if (inFlight != null || closed || now < retryNotBeforeMillis) {
        return;
      }
    }
    CompletableFuture<Entry<T>> f = startRefresh(false, true);
    if (f != null) {
      f.exceptionally(t -> null); // failures are handled in complete(); nothing waits here
    }
  }

  private CompletableFuture<Entry<T>> startRefresh(boolean force) {
    return startRefresh(force, false);
  }

  private CompletableFuture<Entry<T>> startRefresh(boolean force, boolean background) {
    CompletableFuture<Entry<T>> f;
    synchronized (lock) {
      if (inFlight != null) {
        return inFlight;
      }
      if (!force && !background) {
        Entry<T> e = current;
        if (e != null && clock.millis() < e.staleAtMillis) {
          return CompletableFuture.completedFuture(e);
        }
      }
      f = new CompletableFuture<>();
      inFlight = f;
    }
    CompletableFuture<Entry<T>> result = f;
    // Always refresh on the executor, so that even the first caller waits at most the deadline
    // when an endpoint hangs; other callers join the same future (single flight).
    try {
      executor.execute(() -> complete(result));
    } catch (RuntimeException rejected) {
      complete(result);
    }
    return result;
  }

  private void complete(CompletableFuture<Entry<T>> f) {
    Entry<T> fresh = null;
    Throwable failure = null;
    Entry<T> before = current; // refresh events
    long started = events.started(before == null ? null : before.expiresAt); // refresh events
    int failuresBefore; // refresh events
    try {
      fresh = toEntry(refresher.refresh());
    } catch (Throwable t) { // NOPMD: handed to every waiter unchanged
      failure = t;
    }
    synchronized (lock) {
      inFlight = null;
      failuresBefore = consecutiveFailures; // refresh events
      if (fresh != null) {
        current = fresh;
        consecutiveFailures = 0;
        retryNotBeforeMillis = 0;
        schedulePrefetch(fresh);
      } else {
        consecutiveFailures++;
        retryNotBeforeMillis = clock.millis() + backoffMillis(consecutiveFailures);
        Entry<T> e = current;
        if (e != null && clock.millis() < e.staleAtMillis) {
          if (consecutiveFailures == 1) {
            LOG.log(
                Level.WARNING,
                "{0}: background refresh failed; serving the cached value until {1} and retrying"
                    + " with backoff: {2}",
                name,
                Instant.ofEpochMilli(e.staleAtMillis),
                String.valueOf(failure));
          }
          scheduleRetry();
        }
      }
    }
    // refresh events, outside the lock: listeners may be slow
    if (fresh != null) {
      events.succeeded(started, fresh.expiresAt, failuresBefore);
    } else {
      Entry<T> e = current;
      boolean serving = e != null && clock.millis() < e.staleAtMillis;
      events.failed(
          started,
          failure,
          e == null ? null : e.expiresAt,
          failuresBefore + 1,
          serving && !closed ? Instant.ofEpochMilli(retryNotBeforeMillisSnapshot()) : null);
    }
    if (fresh != null) {
      f.complete(fresh);
    } else {
      f.completeExceptionally(failure);
    }
  }

  private long retryNotBeforeMillisSnapshot() {
    synchronized (lock) {
      return retryNotBeforeMillis;
    }
  }

  private Entry<T> toEntry(Refreshed<T> r) {
    Objects.requireNonNull(r, "refresher returned null");
    Instant now = clock.instant();
    Instant expires = r.expiresAt().orElse(null);
    Instant stale;
    Instant prefetch;
    if (expires == null) {
      stale = now.plus(defaultLifetime);
      prefetch = now.plus(scale(defaultLifetime, prefetchFraction));
    } else {
      stale = r.staleAt().orElse(expires.minus(staleMargin));
      Duration lifetime = Duration.between(now, expires);
      if (lifetime.isNegative()) {
        lifetime = Duration.ZERO;
      }
      double fraction = prefetchFraction + random.getAsDouble() * prefetchJitter;
      prefetch = r.prefetchAt().orElse(now.plus(scale(lifetime, fraction)));
    }
    if (prefetch.isAfter(stale)) {
      prefetch = stale;
    }
    return new Entry<>(r.value(), expires, stale.toEpochMilli(), prefetch.toEpochMilli());
  }

  private void schedulePrefetch(Entry<T> e) {
    if (scheduler == null || closed) {
      return;
    }
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    long delay = Math.max(0, e.prefetchAtMillis - clock.millis());
    scheduled = scheduler.schedule(() -> prefetchInBackground(clock.millis()), delay, MS);
  }

  private void scheduleRetry() {
    if (scheduler == null || closed) {
      return;
    }
    if (scheduled != null) {
      scheduled.cancel(false);
    }
    long delay = Math.max(0, retryNotBeforeMillis - clock.millis());
    scheduled = scheduler.schedule(() -> prefetchInBackground(clock.millis()), delay, MS);
  }

  private long backoffMillis(int failures) {
    double base = initialBackoff.toMillis() * Math.pow(2, Math.min(failures - 1, 20));
    double capped = Math.min(base, maxBackoff.toMillis());
    return (long) (capped / 2 + random.getAsDouble() * capped / 2); // "equal jitter"
  }

  private T await(CompletableFuture<Entry<T>> f) throws IOException {
    try {
      return f.get(deadline.toMillis(), MS).value;
    } catch (TimeoutException e) {
      throw FederationException.builder(
              Step.SOURCE,
              name + ": no token within the deadline of " + deadline.toMillis() + " ms")
          .fix("Check that the endpoints are reachable, or raise the deadline.")
          .retryable(true)
          .build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException ie = new InterruptedIOException(name + ": interrupted");
      ie.initCause(e);
      throw ie;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException) {
        throw (IOException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IOException(name + ": refresh failed", cause);
    }
  }

  private static Duration scale(Duration d, double fraction) {
    return Duration.ofMillis((long) (d.toMillis() * fraction));
  }

  private static final TimeUnit MS = TimeUnit.MILLISECONDS;

  private static final class Entry<T> {
    final T value;
    final Instant expiresAt;
    final long staleAtMillis;
    final long prefetchAtMillis;

    Entry(T value, Instant expiresAt, long staleAtMillis, long prefetchAtMillis) {
      this.value = value;
      this.expiresAt = expiresAt;
      this.staleAtMillis = staleAtMillis;
      this.prefetchAtMillis = prefetchAtMillis;
    }
  }

  /** Builder for {@link RefreshingCache}; every setting has a production default. */
  public static final class Builder<T> {
    private final Refresher<T> refresher;
    private String name = "cache";
    private Clock clock = Clock.systemUTC();
    private Executor executor = SharedExecutors.refresher();
    private ScheduledExecutorService scheduler;
    private Duration deadline = Duration.ofSeconds(30);
    private Duration staleMargin = Duration.ofMinutes(1);
    private Duration defaultLifetime = Duration.ofHours(1);
    private double prefetchFraction = 0.75;
    private double prefetchJitter = 0.05;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private RefreshListener listener;

    private Builder(Refresher<T> refresher) {
      this.refresher = Objects.requireNonNull(refresher, "refresher");
    }

    /** A name for log lines and errors, e.g. {@code "google-sts"}. Default {@code "cache"}. */
    public Builder<T> name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The time source. Default the system UTC clock; tests pass a fake. */
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs background refreshes. Default a shared pool of daemon threads. */
    public Builder<T> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Also starts refreshes on time without any caller (and retries failed ones). Default none: a
     * refresh then starts at the first access after the prefetch time.
     */
    public Builder<T> scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** The longest a caller waits for a refresh. Default 30 s. */
    public Builder<T> deadline(Duration deadline) {
      this.deadline = positive(deadline, "deadline");
      return this;
    }

    /** How long before expiry a value stops being served. Default 1 min. */
    public Builder<T> staleMargin(Duration staleMargin) {
      this.staleMargin = Objects.requireNonNull(staleMargin, "staleMargin");
      return this;
    }

    /** The lifetime assumed for values without an expiry. Default 1 h. */
    public Builder<T> defaultLifetime(Duration defaultLifetime) {
      this.defaultLifetime = positive(defaultLifetime, "defaultLifetime");
      return this;
    }

    /**
     * Prefetch at {@code fraction} of the remaining lifetime plus up to {@code jitter} more.
     * Default 0.75 and 0.05, i.e. 75-80%, so a fleet does not refresh in lock-step.
     */
    public Builder<T> prefetchAt(double fraction, double jitter) {
      if (fraction <= 0 || fraction > 1 || jitter < 0 || fraction + jitter > 1) {
        throw new IllegalArgumentException(
            "prefetchAt: fraction in (0,1] and fraction + jitter <= 1, got "
                + fraction
                + " and "
                + jitter);
      }
      this.prefetchFraction = fraction;
      this.prefetchJitter = jitter;
      return this;
    }

    /** Backoff between failed background refreshes. Default 1 s doubling up to 1 min. */
    public Builder<T> backoff(Duration initial, Duration max) {
      this.initialBackoff = positive(initial, "backoff.initial");
      this.maxBackoff = positive(max, "backoff.max");
      return this;
    }

    /** The random source for jitter, in [0,1). Tests pass a constant. */
    public Builder<T> random(DoubleSupplier random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Receives this cache's refresh events (started, succeeded, failed); they also go to JDK Flight
     * Recorder. Default none.
     */
    public Builder<T> listener(RefreshListener listener) {
      this.listener = listener;
      return this;
    }

    /** Builds the cache. Does no I/O: the first {@link #get()} refreshes. */
    public RefreshingCache<T> build() {
      return new RefreshingCache<>(this);
    }

    private static Duration positive(Duration d, String field) {
      Objects.requireNonNull(d, field);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be positive, got " + d);
      }
      return d;
    }
  }
}

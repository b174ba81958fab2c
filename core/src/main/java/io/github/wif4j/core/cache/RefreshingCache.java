package io.github.wif4j.core.cache;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.events.RefreshEvents;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.http.TransportPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
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
 *       {@linkplain Builder#scheduler(Scheduler) scheduler} the refresh also starts on time without
 *       any caller, provided someone read the current value (an idle cache stops refreshing).
 *   <li><b>stale</b> (default: one minute before expiry): the value is no longer served; callers
 *       wait for the one refresh in flight, at most {@linkplain Builder#deadline(Duration) the
 *       deadline}.
 * </ul>
 *
 * <p>Any number of concurrent callers cause one refresh (single flight). When a refresh fails while
 * the value is still valid, callers keep getting it, the failure is logged once and the refresh is
 * retried with exponential backoff and jitter; only a stale value surfaces the error.
 *
 * <p>Values are checked once, here: one that expires within {@link #MIN_REFRESH_INTERVAL} (a zero
 * or negative lifetime, an expiry in the past, a host clock that is ahead) is a {@link
 * FederationException} and never served; a lifetime beyond {@linkplain
 * Builder#maxLifetime(Duration) the maximum} is cut to it; a value that is valid but already inside
 * its stale margin (a 30 s token with a one-minute margin) is served for half its remaining life,
 * at least {@link #MIN_REFRESH_INTERVAL}, and background refreshes back off while the refresher
 * keeps returning such values. An attempt that outlives the deadline is abandoned: the next caller
 * starts a new one (at most {@value #MAX_ABANDONED} hung attempts per cache), and a late result is
 * still used if it is newer.
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
 * <p>Thread-safe; share one instance per credential. The scheduler holds the cache weakly, so a
 * cache nobody references stops refreshing and is collected. {@link #pause()} and {@link #resume()}
 * stop and re-arm background refresh (e.g. around a CRaC checkpoint); {@link #close()} stops it for
 * good. Neither affects {@link #get()}, which always refreshes on demand.
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

  /**
   * The shortest time a value is served: a refresher that keeps returning (nearly) stale values is
   * called at most this often, as the AWS SDK's {@code CachedSupplier} does.
   */
  public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

  /** Attempts that outlived the deadline and still run, per cache, before callers stop adding. */
  static final int MAX_ABANDONED = 2;

  private static final long MIN_INTERVAL_MS = MIN_REFRESH_INTERVAL.toMillis();
  private static final Duration STALE_EXTENSION = Duration.ofMinutes(1);
  private static final System.Logger LOG = System.getLogger(RefreshingCache.class.getName());

  private final Refresher<T> refresher;
  private final String name;
  private final Step step;
  private final Clock clock;
  private final Executor executor;
  private final Scheduler scheduler;
  private final Duration deadline;
  private final Duration staleMargin;
  private final Duration defaultLifetime;
  private final Duration maxLifetime;
  private final double prefetchFraction;
  private final double prefetchJitter;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final DoubleSupplier random;
  private final boolean serveStaleOnFailure;
  private final RefreshEvents events;
  private final WeakReference<RefreshingCache<T>> self = new WeakReference<>(this);

  private final Object lock = new Object();
  private volatile Entry<T> current;
  private Attempt<T> inFlight; // guarded by lock
  private int abandoned; // guarded by lock
  private Future<?> scheduled; // guarded by lock
  private int consecutiveFailures; // guarded by lock
  private int consecutiveShort; // guarded by lock
  private long retryNotBeforeMillis; // guarded by lock
  private boolean paused; // guarded by lock
  private volatile boolean closed;

  private RefreshingCache(Builder<T> b) {
    this.refresher = b.refresher;
    this.name = b.name;
    this.step = b.step;
    this.clock = b.clock;
    this.executor = b.executor != null ? b.executor : SharedExecutors.refresher();
    this.scheduler = b.scheduler;
    this.deadline = b.deadline;
    this.staleMargin = b.staleMargin;
    this.defaultLifetime = b.defaultLifetime;
    this.maxLifetime = b.maxLifetime;
    this.prefetchFraction = b.prefetchFraction;
    this.prefetchJitter = b.prefetchJitter;
    this.initialBackoff = b.initialBackoff;
    this.maxBackoff = b.maxBackoff;
    this.random = b.random;
    this.serveStaleOnFailure = b.serveStaleOnFailure;
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
        return e.read(); // hot path: two volatile reads and a clock read
      }
      if (now < e.staleAtMillis) {
        prefetchInBackground(now);
        return e.read();
      }
    }
    return await(startRefresh(false, false));
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
    return await(startRefresh(true, false));
  }

  /** Forgets the cached value, e.g. after the server rejected it or a snapshot was restored. */
  public void invalidate() {
    synchronized (lock) {
      current = null;
      cancelTimer();
    }
  }

  /** When the cached value expires, if a value is cached and its expiry is known. */
  public Optional<Instant> expiresAt() {
    Entry<T> e = current;
    return e == null ? Optional.empty() : Optional.ofNullable(e.expiresAt);
  }

  /**
   * Stops background refresh (timer and caller-triggered prefetch) until {@link #resume()}; {@link
   * #get()} still refreshes a stale value on demand. For checkpoints (CRaC, SnapStart).
   */
  public void pause() {
    synchronized (lock) {
      paused = true;
      cancelTimer();
    }
  }

  /** Re-arms background refresh after {@link #pause()}, from the cached value's prefetch time. */
  public void resume() {
    synchronized (lock) {
      paused = false;
      armTimer(clock.millis());
    }
  }

  /** Stops background refresh for good. Idempotent; {@link #get()} keeps working on demand. */
  @Override
  public void close() {
    closed = true;
    synchronized (lock) {
      cancelTimer();
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

  // ---- refresh ---------------------------------------------------------------------------------

  private void prefetchInBackground(long now) {
    synchronized (lock) {
      if (closed || paused || now < retryNotBeforeMillis) {
        return;
      }
    }
    startRefresh(false, true).future.exceptionally(t -> null); // handled in finish()
  }

  private Attempt<T> startRefresh(boolean force, boolean background) {
    Attempt<T> a;
    synchronized (lock) {
      Attempt<T> running = inFlight;
      if (running != null) {
        if (!running.outlived(deadline) || abandoned >= MAX_ABANDONED) {
          return running; // single flight; a cache with hung attempts does not add threads
        }
        running.abandoned = true;
        abandoned++;
        inFlight = null;
        LOG.log(
            Level.WARNING,
            "{0}: a refresh has run longer than the deadline of {1} ms; starting another",
            name,
            deadline.toMillis());
      }
      if (!force && !background) {
        Entry<T> e = current;
        if (e != null && clock.millis() < e.staleAtMillis) {
          return Attempt.done(e);
        }
      }
      a = new Attempt<>();
      inFlight = a;
    }
    // Always refresh on the executor, so that even the first caller waits at most the deadline
    // when an endpoint hangs; other callers join the same attempt (single flight).
    Attempt<T> attempt = a;
    try {
      executor.execute(() -> run(attempt));
    } catch (RuntimeException rejected) {
      finish(
          attempt,
          startedEvent(),
          null,
          FederationException.builder(
                  step,
                  name + ": could not start a refresh: the executor rejected it (" + rejected + ")")
              .fix(
                  "Too many refreshes are queued; retry later, or give the cache its own executor.")
              .retryable(true)
              .cause(rejected)
              .build());
    }
    return attempt;
  }

  private long startedEvent() {
    Entry<T> before = current;
    return events.started(before == null ? null : before.expiresAt);
  }

  private void run(Attempt<T> a) {
    long started = startedEvent(); // refresh events
    Entry<T> fresh = null;
    Throwable failure = null;
    try {
      fresh = toEntry(refresher.refresh());
    } catch (Throwable t) { // NOPMD: handed to every waiter unchanged
      failure = t;
    }
    finish(a, started, fresh, failure);
  }

  /** Every attempt ends here, once: success, failure or a late result of an abandoned attempt. */
  private void finish(Attempt<T> a, long started, Entry<T> fresh, Throwable failure) {
    int failuresBefore; // refresh events
    Instant nextRetry = null; // refresh events
    Instant servedExpiry; // refresh events
    synchronized (lock) {
      failuresBefore = consecutiveFailures;
      if (a.abandoned) {
        abandoned--;
      } else if (inFlight == a) {
        inFlight = null;
      }
      long now = clock.millis();
      Entry<T> e = current;
      if (fresh != null) {
        if (!a.abandoned || e == null || fresh.staleAtMillis > e.staleAtMillis) {
          current = fresh;
        }
        consecutiveFailures = 0;
        if (fresh.shortLived) {
          // the refresher returned a value already inside its stale margin: back off
          consecutiveShort++;
          retryNotBeforeMillis = now + backoffMillis(consecutiveShort);
        } else {
          consecutiveShort = 0;
          retryNotBeforeMillis = 0;
        }
      } else {
        consecutiveFailures++;
        long delay = backoffMillis(consecutiveFailures);
        retryNotBeforeMillis = now + delay;
        if (e != null && now < e.staleAtMillis) {
          if (consecutiveFailures == 1) {
            LOG.log(
                Level.WARNING,
                "{0}: background refresh failed; serving the cached value until {1} and retrying"
                    + " with backoff: {2}",
                name,
                Instant.ofEpochMilli(e.staleAtMillis),
                String.valueOf(failure));
          }
        } else if (e != null && serveStaleOnFailure) {
          current = e.extendedTo(now + delay + STALE_EXTENSION.toMillis(), now + delay);
          LOG.log(
              Level.WARNING,
              "{0}: refresh failed; serving the value that expired at {1} (static stability) and"
                  + " retrying in {2} ms: {3}",
              name,
              e.expiresAt,
              delay,
              String.valueOf(failure));
        }
      }
      armTimer(now);
      Entry<T> served = current;
      servedExpiry = served == null ? null : served.expiresAt;
      if (fresh == null && served != null && now < served.staleAtMillis && !closed) {
        nextRetry = Instant.ofEpochMilli(retryNotBeforeMillis);
      }
    }
    // refresh events, outside the lock: listeners may be slow
    if (fresh != null) {
      events.succeeded(started, fresh.expiresAt, failuresBefore);
    } else {
      events.failed(started, failure, servedExpiry, failuresBefore + 1, nextRetry);
    }
    if (fresh != null) {
      a.future.complete(fresh);
    } else {
      a.future.completeExceptionally(failure);
    }
  }

  private Entry<T> toEntry(Refreshed<T> r) throws FederationException {
    Objects.requireNonNull(r, "refresher returned null");
    Instant now = clock.instant();
    long nowMs = now.toEpochMilli();
    Optional<Instant> reported = r.expiresAt();
    if (reported.isEmpty()) {
      long stale = nowMs + defaultLifetime.toMillis();
      long prefetch = nowMs + (long) (defaultLifetime.toMillis() * prefetchFraction);
      return new Entry<>(r.value(), null, stale, prefetch, false);
    }
    Instant expires = reported.get();
    if (expires.isBefore(now.plus(MIN_REFRESH_INTERVAL))) {
      throw expired(expires, now);
    }
    if (expires.isAfter(now.plus(maxLifetime))) {
      LOG.log(
          Level.WARNING,
          "{0}: the value claims to be valid until {1}, beyond the maximum lifetime of {2} s;"
              + " treating it as expiring at {3}",
          name,
          expires,
          maxLifetime.getSeconds(),
          now.plus(maxLifetime));
      expires = now.plus(maxLifetime);
    }
    long expMs = expires.toEpochMilli();
    long lifetime = expMs - nowMs;
    long stale =
        r.staleAt().map(i -> clamp(i, nowMs, expMs)).orElse(expMs - staleMargin.toMillis());
    boolean shortLived = false;
    if (stale < nowMs + MIN_INTERVAL_MS) {
      // valid, but already inside the margin: serve it for half its remaining life (at least the
      // floor) instead of refreshing on every call
      shortLived = true;
      stale = Math.min(expMs, nowMs + Math.max(MIN_INTERVAL_MS, lifetime / 2));
    }
    double fraction = prefetchFraction + random.getAsDouble() * prefetchJitter;
    long prefetch =
        r.prefetchAt()
            .map(i -> clamp(i, nowMs, expMs))
            .orElse(nowMs + (long) (lifetime * fraction));
    return new Entry<>(r.value(), expires, stale, Math.min(prefetch, stale), shortLived);
  }

  private FederationException expired(Instant expires, Instant now) {
    return FederationException.builder(
            step,
            name
                + ": the value obtained expires at "
                + expires
                + ", not at least "
                + MIN_REFRESH_INTERVAL.getSeconds()
                + " s after this host's time "
                + now
                + "; it is not used")
        .fix(
            "The server returned a zero or negative lifetime (expires_in) or an expiry in the"
                + " past, or this host's clock is ahead: check the clock (NTP) and the endpoint.")
        .build();
  }

  private static long clamp(Instant i, long min, long max) {
    if (i.isBefore(Instant.ofEpochMilli(min))) {
      return min;
    }
    return i.isAfter(Instant.ofEpochMilli(max)) ? max : i.toEpochMilli();
  }

  private long backoffMillis(int failures) {
    return TransportPolicy.backoffMillis(
        initialBackoff, maxBackoff, failures, random.getAsDouble());
  }

  // ---- timer -----------------------------------------------------------------------------------

  /** Schedules the next background refresh of the current value; call with the lock held. */
  private void armTimer(long now) {
    cancelTimer();
    Entry<T> e = current;
    if (scheduler == null || closed || paused || e == null || now >= e.staleAtMillis) {
      return; // nothing valid to keep warm: the next get() refreshes
    }
    long due = Math.max(e.prefetchAtMillis, retryNotBeforeMillis);
    scheduled = scheduler.schedule(timer(self), Math.max(0, due - now));
  }

  private void cancelTimer() {
    if (scheduled != null) {
      scheduled.cancel(false);
      scheduled = null;
    }
  }

  private void onTimer() {
    long now = clock.millis();
    synchronized (lock) {
      scheduled = null;
      Entry<T> e = current;
      if (closed || paused || e == null || !e.used) {
        return; // nobody read this value: the next get() refreshes it if needed
      }
      if (now < Math.max(e.prefetchAtMillis, retryNotBeforeMillis)) {
        armTimer(now);
        return;
      }
    }
    prefetchInBackground(now);
  }

  /**
   * The scheduled task; holds the cache weakly (static: no {@code this}) so that a dropped cache
   * stops refreshing.
   */
  private static Runnable timer(WeakReference<? extends RefreshingCache<?>> cache) {
    return () -> {
      RefreshingCache<?> c = cache.get();
      if (c != null) {
        c.onTimer();
      }
    };
  }

  // ---- waiting ---------------------------------------------------------------------------------

  private T await(Attempt<T> a) throws IOException {
    try {
      return a.future.get(deadline.toMillis(), MS).read();
    } catch (TimeoutException e) {
      Optional<T> stale = staleFallback();
      if (stale.isPresent()) {
        return stale.get();
      }
      throw FederationException.builder(
              step, name + ": no token within the deadline of " + deadline.toMillis() + " ms")
          .fix("Check that the endpoints are reachable, or raise the deadline.")
          .retryable(true)
          .build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException ie = new InterruptedIOException(name + ": interrupted");
      ie.initCause(e);
      throw ie;
    } catch (ExecutionException e) {
      Optional<T> stale = staleFallback();
      if (stale.isPresent()) {
        return stale.get();
      }
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

  /** With static stability on, the last value (even expired) when a refresh fails. */
  private Optional<T> staleFallback() {
    Entry<T> e = current;
    return serveStaleOnFailure && e != null ? Optional.of(e.read()) : Optional.empty();
  }

  private static final TimeUnit MS = TimeUnit.MILLISECONDS;

  /** One call of the refresher; callers join it until it ends or outlives the deadline. */
  private static final class Attempt<T> {
    final CompletableFuture<Entry<T>> future = new CompletableFuture<>();
    final long startNanos = System.nanoTime();
    boolean abandoned; // guarded by the cache's lock

    static <T> Attempt<T> done(Entry<T> e) {
      Attempt<T> a = new Attempt<>();
      a.future.complete(e);
      return a;
    }

    boolean outlived(Duration deadline) {
      return System.nanoTime() - startNanos > deadline.toNanos();
    }
  }

  private static final class Entry<T> {
    final T value;
    final Instant expiresAt;
    final long staleAtMillis;
    final long prefetchAtMillis;
    final boolean shortLived;
    volatile boolean used; // read since installed: the timer keeps only used values warm

    Entry(
        T value, Instant expiresAt, long staleAtMillis, long prefetchAtMillis, boolean shortLived) {
      this.value = value;
      this.expiresAt = expiresAt;
      this.staleAtMillis = staleAtMillis;
      this.prefetchAtMillis = prefetchAtMillis;
      this.shortLived = shortLived;
    }

    T read() {
      if (!used) {
        used = true; // written once per value, so the hot path stays a read
      }
      return value;
    }

    Entry<T> extendedTo(long staleAt, long prefetchAt) {
      return new Entry<>(value, expiresAt, staleAt, prefetchAt, shortLived);
    }
  }

  /** Builder for {@link RefreshingCache}; every setting has a production default. */
  public static final class Builder<T> {
    private final Refresher<T> refresher;
    private String name = "cache";
    private Step step = Step.SUBJECT_TOKEN;
    private Clock clock = Clock.systemUTC();
    private Executor executor;
    private Scheduler scheduler;
    private Duration deadline = Duration.ofSeconds(30);
    private Duration staleMargin = Duration.ofMinutes(1);
    private Duration defaultLifetime = Duration.ofHours(1);
    private Duration maxLifetime = Duration.ofHours(36);
    private double prefetchFraction = 0.75;
    private double prefetchJitter = 0.05;
    private Duration initialBackoff = Duration.ofSeconds(1);
    private Duration maxBackoff = Duration.ofMinutes(1);
    private DoubleSupplier random = () -> ThreadLocalRandom.current().nextDouble();
    private boolean serveStaleOnFailure;
    private RefreshListener listener;

    private Builder(Refresher<T> refresher) {
      this.refresher = Objects.requireNonNull(refresher, "refresher");
    }

    /** A name for log lines and errors, e.g. {@code "google-sts"}. Default {@code "cache"}. */
    public Builder<T> name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * The step this cache's own failures (deadline, expired value) are labelled with. Default
     * {@link Step#SUBJECT_TOKEN}.
     */
    public Builder<T> step(Step step) {
      this.step = Objects.requireNonNull(step, "step");
      return this;
    }

    /** The time source. Default the system UTC clock; tests pass a fake. */
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Runs refreshes. Default {@link SharedExecutors#refresher()}, a bounded daemon pool. */
    public Builder<T> executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Also starts refreshes on time without any caller (and retries failed ones) while someone
     * reads the value. Default none: a refresh then starts at the first access after the prefetch
     * time.
     */
    public Builder<T> scheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** The longest a caller waits for a refresh. Default 30 s. */
    public Builder<T> deadline(Duration deadline) {
      this.deadline = positive(deadline, "deadline");
      return this;
    }

    /**
     * How long before expiry a value stops being served; zero or more. Default 1 min.
     *
     * @throws ConfigurationException when negative (that would serve expired values)
     */
    public Builder<T> staleMargin(Duration staleMargin) {
      Objects.requireNonNull(staleMargin, "staleMargin");
      if (staleMargin.isNegative()) {
        throw ConfigurationException.of(
            "staleMargin",
            "is negative (" + staleMargin + "), which would serve expired values",
            "zero or more, e.g. PT1M");
      }
      this.staleMargin = staleMargin;
      return this;
    }

    /** The lifetime assumed for values without an expiry. Default 1 h. */
    public Builder<T> defaultLifetime(Duration defaultLifetime) {
      this.defaultLifetime = positive(defaultLifetime, "defaultLifetime");
      return this;
    }

    /**
     * The longest lifetime believed; a value claiming more (a server answering {@code expires_in}
     * 10^19) is treated as expiring after this. Default 36 h.
     */
    public Builder<T> maxLifetime(Duration maxLifetime) {
      this.maxLifetime = positive(maxLifetime, "maxLifetime");
      return this;
    }

    /**
     * Prefetch at {@code fraction} of the remaining lifetime plus up to {@code jitter} more.
     * Default 0.75 and 0.05, i.e. 75-80%, so a fleet does not refresh in lock-step.
     */
    public Builder<T> prefetchAt(double fraction, double jitter) {
      if (fraction <= 0 || fraction > 1 || jitter < 0 || fraction + jitter > 1) {
        throw ConfigurationException.of(
            "prefetchAt",
            "fraction " + fraction + " and jitter " + jitter + " are out of range",
            "fraction in (0,1] and fraction + jitter <= 1, e.g. 0.75 and 0.05");
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
     * Static stability: when a refresh fails (or outlives the deadline) and the cached value is
     * stale or even expired, serve it anyway, log a warning and retry with backoff, instead of
     * failing. For metadata-backed credentials that outlive an outage of the metadata service, as
     * the AWS SDK's instance-profile provider does. Default false: stale values are never served.
     */
    public Builder<T> serveStaleOnFailure(boolean serveStaleOnFailure) {
      this.serveStaleOnFailure = serveStaleOnFailure;
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

    /** Builds the cache. Does no I/O and starts no thread: the first {@link #get()} refreshes. */
    public RefreshingCache<T> build() {
      return new RefreshingCache<>(this);
    }

    private static Duration positive(Duration d, String field) {
      Objects.requireNonNull(d, field);
      if (d.isNegative() || d.isZero()) {
        throw ConfigurationException.of(field, "must be positive, got " + d, "a positive duration");
      }
      return d;
    }
  }
}

package io.github.wif4j.core.http;

import io.github.wif4j.core.ConfigurationException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;

/**
 * Timeouts, deadline and retries for every HTTP call wif4j makes (Google STS, IAM Credentials,
 * metadata services, Azure identity endpoints).
 *
 * <p>Transient faults (connection errors, read timeouts, 408, 429, 5xx, a garbled success body) are
 * retried with exponential backoff and jitter, honouring {@code Retry-After} (clamped to the time
 * left), until {@link #maxAttempts()} or the per-call {@link #deadline()} is reached. A 4xx that
 * cannot succeed, and an untrusted TLS certificate, are never retried. Every connect, read and
 * backoff is bounded by the time left; a body still arriving at the deadline is abandoned; after a
 * read timeout, and on the last attempt, an attempt may wait for all the time left, so that a slow
 * endpoint answering within the deadline is served. Bodies are read up to {@link
 * HttpExecutor#MAX_RESPONSE_BYTES}.
 *
 * <pre>{@code
 * TransportPolicy policy = TransportPolicy.builder()
 *     .deadline(Duration.ofSeconds(5))
 *     .build();
 * }</pre>
 *
 * <p>Defaults: connect 2 s, read 10 s, deadline 20 s, 4 attempts, backoff 200 ms doubling to 2 s.
 * With them an endpoint that takes 6 s is served by its first attempt, and one that never answers
 * fails at 20 s. {@code FederatedCredentials} and {@code GoogleToAwsCredentialsProvider} also bound
 * a whole refresh (every call it makes) by their own deadline (see {@link OperationDeadline}).
 */
public final class TransportPolicy {
  private static final TransportPolicy DEFAULTS = builder().build();

  private final Builder values; // a copy no caller holds: build() and toBuilder() copy

  private TransportPolicy(Builder values) {
    this.values = values;
  }

  /** The defaults described above. */
  public static TransportPolicy defaults() {
    return DEFAULTS;
  }

  /**
   * One attempt whose connect and read each take at most {@code timeout}, within a deadline of
   * twice that: for probes, which must give up quickly.
   */
  public static TransportPolicy singleAttempt(Duration timeout) {
    return builder()
        .connectTimeout(timeout)
        .readTimeout(timeout)
        .deadline(timeout.multipliedBy(2))
        .maxAttempts(1)
        .build();
  }

  /** Starts a builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder initialised from this policy. */
  public Builder toBuilder() {
    return values.copy();
  }

  /** TCP connect timeout of one attempt. */
  public Duration connectTimeout() {
    return values.connectTimeout;
  }

  /** Read timeout of one attempt. */
  public Duration readTimeout() {
    return values.readTimeout;
  }

  /** The whole operation, all attempts and backoff included, never takes longer than this. */
  public Duration deadline() {
    return values.deadline;
  }

  /** Attempts per operation, the first included. */
  public int maxAttempts() {
    return values.maxAttempts;
  }

  /** Backoff before the second attempt; doubles per attempt up to {@link #maxBackoff()}. */
  public Duration initialBackoff() {
    return values.initialBackoff;
  }

  /** Upper bound of one backoff. */
  public Duration maxBackoff() {
    return values.maxBackoff;
  }

  /**
   * The pause after {@code failures} failed attempts: {@link #initialBackoff()} doubling per
   * failure up to {@link #maxBackoff()}, with equal jitter (half of it fixed, half random).
   */
  public long backoffMillis(int failures) {
    return backoffMillis(
        values.initialBackoff,
        values.maxBackoff,
        failures,
        ThreadLocalRandom.current().nextDouble());
  }

  /** As {@link #backoffMillis(int)} for any bounds, with {@code random} in [0, 1). */
  public static long backoffMillis(Duration initial, Duration max, int failures, double random) {
    double base = initial.toMillis() * Math.pow(2, Math.min(failures - 1, 20));
    double capped = Math.min(base, max.toMillis());
    return (long) (capped / 2 + random * capped / 2); // "equal jitter"
  }

  /** The TLS context for https endpoints, when not the JVM default (private CA, test CA). */
  public Optional<SSLContext> sslContext() {
    return Optional.ofNullable(values.sslContext);
  }

  @Override
  public String toString() {
    return ("TransportPolicy{connect=%s, read=%s, deadline=%s, maxAttempts=%s, backoff=%s..%s,"
            + " customTls=%s}")
        .formatted(
            values.connectTimeout,
            values.readTimeout,
            values.deadline,
            values.maxAttempts,
            values.initialBackoff,
            values.maxBackoff,
            values.sslContext != null);
  }

  /** Builder for {@link TransportPolicy}. */
  public static final class Builder implements Cloneable {
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration readTimeout = Duration.ofSeconds(10);
    private Duration deadline = Duration.ofSeconds(20);
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(200);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private SSLContext sslContext;

    private Builder() {}

    private Builder copy() {
      try {
        return (Builder) clone(); // every field is immutable
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e); // it is Cloneable
      }
    }

    /** Default 2 s. */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive("connectTimeout", connectTimeout);
      return this;
    }

    /**
     * Default 10 s: how long one attempt waits for data before the next attempt (which may then use
     * all the time left).
     */
    public Builder readTimeout(Duration readTimeout) {
      this.readTimeout = positive("readTimeout", readTimeout);
      return this;
    }

    /** Default 20 s, at most a day. */
    public Builder deadline(Duration deadline) {
      this.deadline = positive("deadline", deadline);
      return this;
    }

    /** Default 4; 1 disables retries. */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 20) {
        throw ConfigurationException.of(
            "TransportPolicy.maxAttempts", maxAttempts + " is out of range", "1 to 20");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** Default 200 ms and 2 s. */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = positive("backoff.initial", initial);
      this.maxBackoff = positive("backoff.max", max);
      return this;
    }

    /** TLS context for https endpoints; default the JVM's. */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
      return this;
    }

    /** Builds the policy. */
    public TransportPolicy build() {
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw ConfigurationException.of(
            "TransportPolicy.backoff",
            "max " + maxBackoff + " is below initial " + initialBackoff,
            "max >= initial");
      }
      return new TransportPolicy(copy());
    }

    private static Duration positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw ConfigurationException.of(
            "TransportPolicy." + field, "must be a positive duration, got " + d, "e.g. PT5S");
      }
      if (d.compareTo(MAX) > 0) {
        throw ConfigurationException.of(
            "TransportPolicy." + field, d + " is longer than a day", "e.g. PT20S, at most P1D");
      }
      if (d.compareTo(Duration.ofMillis(1)) < 0) {
        throw ConfigurationException.of(
            "TransportPolicy." + field, d + " is shorter than a millisecond", "e.g. PT5S");
      }
      return d;
    }

    private static final Duration MAX = Duration.ofDays(1);
  }
}

package io.github.wif4j.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Clock} tests move by hand, for every wif4j type that takes one (caches refresh ahead of
 * expiry by it). Thread-safe.
 *
 * <pre>{@code
 * FakeClock clock = FakeClock.now();
 * FederatedCredentials c = FederatedCredentials.builder()...clock(clock).build();
 * clock.advance(Duration.ofMinutes(61));   // the cached token is now expired
 * }</pre>
 */
public final class FakeClock extends Clock {
  private final AtomicLong millis;

  private FakeClock(Instant start) {
    this.millis = new AtomicLong(start.toEpochMilli());
  }

  /** A clock starting at {@code start}. */
  public static FakeClock at(Instant start) {
    return new FakeClock(start);
  }

  /** A clock starting at the real current time (for tokens whose expiry the fakes compute). */
  public static FakeClock now() {
    return new FakeClock(Instant.now());
  }

  /** Moves the clock forward. */
  public void advance(Duration d) {
    millis.addAndGet(d.toMillis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public long millis() {
    return millis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis.get());
  }
}

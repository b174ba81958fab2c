package io.github.wif4j.core.internal;

import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * The random source of refresh jitter, re-seeded after a snapshot restore. Internal.
 *
 * <p>{@link ThreadLocalRandom} alone is not enough there: its seeds live in the heap, so every JVM
 * restored from one snapshot would draw the same "random" refresh times and a fleet would refresh
 * in lock-step. {@link #reseed()} switches to a generator seeded from the operating system.
 */
public final class Jitter implements DoubleSupplier {
  private volatile Random random; // null: ThreadLocalRandom (no snapshot restored)

  /** A value in [0, 1). */
  @Override
  public double getAsDouble() {
    Random r = random;
    return r == null ? ThreadLocalRandom.current().nextDouble() : r.nextDouble();
  }

  /** Draws a new seed from the operating system; call after a restore. */
  public void reseed() {
    random = new Random(new SecureRandom().nextLong());
  }

  @Override
  public String toString() {
    return random == null ? "Jitter{thread-local}" : "Jitter{reseeded}";
  }
}

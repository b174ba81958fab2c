package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The throw-away signature that initialises google-auth's signer: quiet, once per JVM. */
class SigV4WarmupTest {
  @Test
  void signOnce_withDummyCredentials_returnsQuietly() {
    SigV4Warmup.signOnce(); // signing is local: no supplier I/O, nothing sent
  }

  @Test
  void start_oncePerJvm() {
    SigV4Warmup.start(); // may or may not be the first in this JVM (other tests build AWS sources)
    assertFalse(SigV4Warmup.start());
  }
}

package io.github.wif4j.core.http;

import io.github.wif4j.core.Environment;

/**
 * Whether start-up work may run on a second thread beside the caller's first request (the TLS
 * warm-up, google-auth's signer warm-up, the Google ID-token prefetch of Google -> AWS): only with
 * two or more processors (on one there is nothing to overlap with) and unless {@value #ENV} is
 * {@code false}. One place decides, for every module.
 */
public final class ParallelStart {
  /** {@code WIF4J_PARALLEL_START=false} turns every start-up helper thread off. */
  public static final String ENV = "WIF4J_PARALLEL_START";

  private ParallelStart() {}

  /** True unless {@value #ENV} is {@code false} or the JVM has a single processor. */
  public static boolean enabled(Environment environment) {
    return multiCore() && !environment.get(ENV).map("false"::equalsIgnoreCase).orElse(false);
  }

  /** Whether the JVM has two or more processors to overlap work on. */
  public static boolean multiCore() {
    return Runtime.getRuntime().availableProcessors() >= 2;
  }
}

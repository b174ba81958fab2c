package io.github.wif4j.core.spi;

/**
 * Where a workload's identity comes from: the common supertype of {@link SubjectTokenSource} and
 * {@link AwsSigningSource}.
 *
 * <p>Implementations are thread-safe, do no I/O in their constructors, and re-read rotating
 * material (token files, identity headers, metadata credentials) on every fetch unless they cache
 * it through {@link io.github.wif4j.core.cache.RefreshingCache} until its own expiry.
 */
public interface Source {

  /**
   * A short human description for diagnostics, e.g. {@code "EC2 instance profile (IMDS)"}. Never
   * contains secrets.
   */
  default String description() {
    return getClass().getSimpleName();
  }

  /**
   * Drops whatever this source caches (AWS credentials, region, managed-identity tokens), so that
   * the next fetch reads it anew. Called before a checkpoint (CRaC, Lambda SnapStart), so that no
   * snapshot holds it, and again after each restore; and when a server rejected what this source
   * gave (Google STS refusing an AWS signature made with a revoked or expired key), so that the
   * next attempt re-reads it. Default: nothing cached, nothing to drop.
   */
  default void forgetCached() {}
}

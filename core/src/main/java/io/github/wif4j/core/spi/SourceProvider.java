package io.github.wif4j.core.spi;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.SourceUnavailableException;

/**
 * Discovers a {@link Source} where the code runs. Registered by each source module through {@code
 * META-INF/services/io.github.wif4j.core.spi.SourceProvider} and consulted by {@link
 * io.github.wif4j.core.SourceDetector} in {@link #order()} order.
 *
 * <p>{@link #detect(Environment)} must be cheap: read environment variables, and only where a
 * platform has no other marker, probe a metadata endpoint with a short timeout.
 */
public interface SourceProvider {

  /** A stable id users can name explicitly, e.g. {@code aws}, {@code azure-app-service}. */
  String id();

  /** Lower runs first. Explicit environment markers (env vars) come before network probes. */
  int order();

  /**
   * Returns the source for this environment.
   *
   * @throws SourceUnavailableException when this provider does not apply here, with the reason
   * @throws FederationException when it applies but is misconfigured or failed
   */
  Source detect(Environment environment) throws FederationException;

  /**
   * Returns the source when the user chose this provider explicitly ({@code WIF4J_SOURCE} or {@code
   * SourceDetector.detect(env, id)}), skipping the "does it apply here" checks. Default: {@link
   * #detect(Environment)}.
   *
   * @throws FederationException when it cannot be built from this environment
   */
  default Source create(Environment environment) throws FederationException {
    return detect(environment);
  }
}

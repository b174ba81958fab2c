package io.github.wif4j.core;

/**
 * A subject-token source does not apply where the workload runs: its environment variables are
 * unset, its metadata endpoint did not answer the probe, its class-path module is missing.
 *
 * <p>Detection moves on to the next source when it sees this type; any other {@link
 * FederationException} means the source applies but failed, and detection stops there. Compare with
 * {@code instanceof}, never by class name.
 */
public class SourceUnavailableException extends FederationException {
  private static final long serialVersionUID = 1L;

  /** {@code reason} says why the source does not apply, e.g. "IDENTITY_ENDPOINT is not set". */
  public SourceUnavailableException(String reason) {
    super(FederationException.builder(Step.SOURCE, reason));
  }
}

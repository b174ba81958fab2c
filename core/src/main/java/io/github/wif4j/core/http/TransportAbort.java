package io.github.wif4j.core.http;

import io.github.wif4j.core.FederationException;

/**
 * Carries a final transport failure through google-auth unchanged. google-auth's IAM calls retry
 * every {@code IOException} with their own backoff, sleeping past wif4j's deadline and repeating
 * what wif4j already retried (or must not retry: an untrusted certificate, an oversized body).
 * Inside an {@link io.github.wif4j.core.http.OperationDeadline} the transport throws this unchecked
 * carrier instead; whoever opened the scope unwraps it with {@link
 * OperationDeadline#carriedFailure(Throwable)}.
 */
final class TransportAbort extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Wraps {@code failure}; the message is the failure's (already free of secrets). */
  TransportAbort(FederationException failure) {
    super(failure.getMessage(), failure, false, false);
  }

  /** The failure carried by {@code t} or one of its causes, or null. */
  static FederationException carried(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TransportAbort) {
        return (FederationException) c.getCause();
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}

package io.github.wif4j.azure.internal;

import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.spi.SubjectToken;
import java.io.IOException;

/**
 * One Azure identity endpoint: fetches a fresh token on every call (no caching here; {@link
 * io.github.wif4j.azure.AzureSource} composes the core cache around it) and re-reads rotating
 * inputs (identity header, token file) each time.
 */
public interface AzureTokenFetcher {
  /**
   * A fresh token and when it expires.
   *
   * @throws io.github.wif4j.core.FederationException with step SOURCE (missing input) or
   *     SUBJECT_TOKEN (the endpoint refused), never containing a secret
   */
  Refreshed<SubjectToken> fetch() throws IOException;

  /** What is asked for, without secrets. */
  String description();
}

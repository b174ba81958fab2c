package io.github.wif4j.core.events;

import java.time.Instant;

/**
 * What every refresh event says: which component refreshed and when. The three kinds are {@link
 * RefreshStarted}, {@link RefreshSucceeded} and {@link RefreshFailed}; none carries a secret.
 */
public abstract sealed class RefreshEvent permits RefreshStarted, RefreshSucceeded, RefreshFailed {
  private final String cache;
  private final Instant at;

  RefreshEvent(String cache, Instant at) {
    this.cache = cache;
    this.at = at;
  }

  /** The component's name, e.g. {@code "wif4j google token"}. */
  public String cache() {
    return cache;
  }

  /** When the refresh began (started) or ended (succeeded, failed), by the component's clock. */
  public Instant at() {
    return at;
  }
}

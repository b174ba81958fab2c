package io.github.wif4j.core.spi;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A subject token and its declared type. {@link #toString()} never prints the token: only its type,
 * expiry and a short fingerprint.
 */
public final class SubjectToken {
  private final String value;
  private final String type;
  private final Instant expiresAt;

  private SubjectToken(String value, String type, Instant expiresAt) {
    this.value = Objects.requireNonNull(value, "value");
    this.type = Objects.requireNonNull(type, "type");
    this.expiresAt = expiresAt;
  }

  /** A token without a known expiry. */
  public static SubjectToken of(String value, String type) {
    return new SubjectToken(value, type, null);
  }

  /** A token that expires at {@code expiresAt}; caches may keep it until then. */
  public static SubjectToken of(String value, String type, Instant expiresAt) {
    return new SubjectToken(value, type, Objects.requireNonNull(expiresAt, "expiresAt"));
  }

  /** The secret token itself. Handle with care: never log it. */
  public String value() {
    return value;
  }

  /** The {@code subject_token_type}. */
  public String type() {
    return type;
  }

  /** When the token expires, if known. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    return "SubjectToken{type=%s, expiresAt=%s, fingerprint=%s}"
        .formatted(type, expiresAt, Redaction.fingerprint(value));
  }
}

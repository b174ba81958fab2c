package io.github.wif4j.core;

import java.io.IOException;
import java.util.Optional;

/**
 * A token could not be obtained although the configuration was well formed: a source, a metadata
 * service, Google STS, IAM Credentials or AWS STS refused or failed.
 *
 * <p>It is an {@link IOException} so it travels unchanged through google-auth's {@code
 * refresh()}/{@code getRequestMetadata()} contracts. The message says which {@linkplain #step()
 * step} failed, what the server said (its {@code error_description}, with secrets redacted) and,
 * where the cause is a cloud setup mistake, {@linkplain #fix() the fix}: the attribute condition to
 * compare, the principal string to bind, the trust-policy key to change.
 *
 * <p>Never contains a token, key or identity header: tests scan every message for them.
 */
public class FederationException extends IOException {
  private static final long serialVersionUID = 1L;

  /** The step of a token acquisition that failed. */
  public enum Step {
    /** Detecting or configuring the subject-token source. */
    SOURCE,
    /** Fetching the subject token or AWS credentials where the workload runs. */
    SUBJECT_TOKEN,
    /** The Google STS token exchange. */
    STS,
    /** Service-account impersonation at IAM Credentials. */
    IMPERSONATION,
    /** Minting a Google ID token. */
    ID_TOKEN,
    /** AWS STS (AssumeRoleWithWebIdentity, GetWebIdentityToken). */
    AWS_STS,
    /** A call that used the federated credentials. */
    API_CALL
  }

  private final Step step;
  private final String fix;
  private final int httpStatus;
  private final String errorCode;
  private final boolean retryable;

  protected FederationException(Builder builder) {
    super(compose(builder), builder.cause);
    this.step = builder.step;
    this.fix = builder.fix;
    this.httpStatus = builder.httpStatus;
    this.errorCode = builder.errorCode;
    this.retryable = builder.retryable;
  }

  /** Starts a builder for a failure in {@code step} described by {@code message}. */
  public static Builder builder(Step step, String message) {
    return new Builder(step, message);
  }

  /** The failing step. */
  public Step step() {
    return step;
  }

  /** What to change so the step succeeds, when known. */
  public Optional<String> fix() {
    return Optional.ofNullable(fix);
  }

  /** The HTTP status the server answered with, or 0 when no response was received. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The server's error code ({@code invalid_grant}, {@code AccessDenied}, ...), when known. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** Whether trying again later may succeed (throttling, 5xx, timeouts). */
  public boolean isRetryable() {
    return retryable;
  }

  private static String compose(Builder b) {
    StringBuilder sb = new StringBuilder();
    sb.append('[').append(b.step.name().toLowerCase(java.util.Locale.ROOT)).append("] ");
    sb.append(b.message);
    if (b.fix != null && !b.fix.isEmpty()) {
      sb.append("\nFix: ").append(b.fix);
    }
    return sb.toString();
  }

  /** Builder for {@link FederationException} and its subclasses. */
  public static final class Builder {
    private final Step step;
    private final String message;
    private String fix;
    private int httpStatus;
    private String errorCode;
    private boolean retryable;
    private Throwable cause;

    private Builder(Step step, String message) {
      this.step = java.util.Objects.requireNonNull(step, "step");
      this.message = java.util.Objects.requireNonNull(message, "message");
    }

    /** What the user should change; may span lines and contain commands. */
    public Builder fix(String fix) {
      this.fix = fix;
      return this;
    }

    /** The HTTP status of the failing response. */
    public Builder httpStatus(int httpStatus) {
      this.httpStatus = httpStatus;
      return this;
    }

    /** The server's error code. */
    public Builder errorCode(String errorCode) {
      this.errorCode = errorCode;
      return this;
    }

    /** Marks the failure as transient. */
    public Builder retryable(boolean retryable) {
      this.retryable = retryable;
      return this;
    }

    /** The underlying cause; its message must not contain secrets. */
    public Builder cause(Throwable cause) {
      this.cause = cause;
      return this;
    }

    /** Builds the exception. */
    public FederationException build() {
      return new FederationException(this);
    }
  }
}

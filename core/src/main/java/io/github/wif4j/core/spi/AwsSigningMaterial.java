package io.github.wif4j.core.spi;

import io.github.wif4j.core.ConfigurationException;
import java.time.Instant;
import java.util.Optional;

/**
 * AWS credentials plus the region to sign for. {@link #toString()} shows the access key id's
 * fingerprint, the region and the expiry, never the secret key or session token.
 */
public final class AwsSigningMaterial {
  private final String accessKeyId;
  private final String secretAccessKey;
  private final String sessionToken;
  private final String region;
  private final Instant expiresAt;

  private AwsSigningMaterial(Builder b) {
    this.accessKeyId = b.accessKeyId;
    this.secretAccessKey = b.secretAccessKey;
    this.sessionToken = b.sessionToken;
    this.region = b.region;
    this.expiresAt = b.expiresAt;
  }

  /** Starts a builder; access key id, secret access key and region are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The access key id (ASIA... for temporary credentials). */
  public String accessKeyId() {
    return accessKeyId;
  }

  /** The secret access key. Never log it. */
  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** The session token of temporary credentials. Never log it. */
  public Optional<String> sessionToken() {
    return Optional.ofNullable(sessionToken);
  }

  /** The AWS region, e.g. {@code us-east-1}. */
  public String region() {
    return region;
  }

  /** When the credentials expire, if they do. */
  public Optional<Instant> expiresAt() {
    return Optional.ofNullable(expiresAt);
  }

  @Override
  public String toString() {
    return "AwsSigningMaterial{accessKeyId=%s, region=%s, temporary=%s, expiresAt=%s}"
        .formatted(Redaction.fingerprint(accessKeyId), region, sessionToken != null, expiresAt);
  }

  /** Builder for {@link AwsSigningMaterial}. */
  public static final class Builder {
    private String accessKeyId;
    private String secretAccessKey;
    private String sessionToken;
    private String region;
    private Instant expiresAt;

    private Builder() {}

    /** Required. */
    public Builder accessKeyId(String accessKeyId) {
      this.accessKeyId = accessKeyId;
      return this;
    }

    /** Required. */
    public Builder secretAccessKey(String secretAccessKey) {
      this.secretAccessKey = secretAccessKey;
      return this;
    }

    /** Optional: present for temporary credentials. */
    public Builder sessionToken(String sessionToken) {
      this.sessionToken = sessionToken;
      return this;
    }

    /** Required: the region whose STS endpoint verifies the signed request. */
    public Builder region(String region) {
      this.region = region;
      return this;
    }

    /** Optional expiry. */
    public Builder expiresAt(Instant expiresAt) {
      this.expiresAt = expiresAt;
      return this;
    }

    /** Validates and builds; a missing part names the builder method. */
    public AwsSigningMaterial build() {
      require(accessKeyId, "accessKeyId", "the AWS access key id, e.g. ASIA...");
      require(secretAccessKey, "secretAccessKey", "the AWS secret access key");
      require(region, "region", "an AWS region such as us-east-1");
      if (sessionToken != null && sessionToken.isBlank()) {
        sessionToken = null;
      }
      return new AwsSigningMaterial(this);
    }

    private static void require(String value, String field, String expected) {
      if (value == null || value.isBlank()) {
        throw ConfigurationException.missing("AwsSigningMaterial." + field, expected);
      }
    }
  }
}

package io.github.wif4j.core.config;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.internal.config.Checks;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The standard Google {@code external_account} credential configuration, as written by {@code
 * gcloud iam workload-identity-pools create-cred-config} and read by every Google auth library.
 *
 * <pre>{@code
 * ExternalAccountConfig config = ExternalAccountConfig.fromFile(Path.of("wif-aws.json"));
 * GoogleCredentials credentials = FederatedCredentials.fromConfig(config);
 *
 * // or write one for other tools:
 * String json = ExternalAccountConfig.builder()
 *     .settings(FederationSettings.builder().audience(audience).serviceAccount(sa).build())
 *     .subjectTokenType(SubjectTokenType.AWS4_REQUEST)
 *     .credentialSource(AwsCredentialSource.imds())
 *     .build()
 *     .toJson();
 * }</pre>
 *
 * <p>Parsing checks every field's JSON type and value and throws {@link ConfigurationException}
 * naming the JSON path ({@code credential_source.environment_id}, {@code
 * service_account_impersonation.token_lifetime_seconds}, ...), the bad value (never a secret: the
 * client secret and URL-source header values are not echoed) and the expected shape. It never
 * throws {@code ClassCastException}, {@code NullPointerException} or an {@code IOException}.
 * Unknown top-level fields are ignored, for forward compatibility. A {@code
 * service_account_impersonation.token_lifetime_seconds} without {@code
 * service_account_impersonation_url} is ignored with a warning, as google-auth does.
 *
 * <p>Immutable and thread-safe. {@link #toString()} redacts the client secret and header values.
 */
public final class ExternalAccountConfig {
  /** Environment variable holding the configuration JSON itself (e.g. from a parameter store). */
  public static final String ENV_CREDENTIAL_CONFIG = "WIF4J_CREDENTIAL_CONFIG";

  /** The standard variable holding the path of a credential file. */
  public static final String ENV_GOOGLE_APPLICATION_CREDENTIALS = "GOOGLE_APPLICATION_CREDENTIALS";

  /** The subject token type of certificate (mTLS) sources. */
  public static final String MTLS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:mtls";

  private final FederationSettings settings;
  private final String subjectTokenType;
  private final CredentialSource credentialSource;
  private final String clientId;
  private final String clientSecret;
  private final String originalJson;

  private ExternalAccountConfig(Builder b, String originalJson) {
    this.settings = b.settings;
    this.subjectTokenType = b.subjectTokenType;
    this.credentialSource = b.credentialSource;
    this.clientId = b.clientId;
    this.clientSecret = b.clientSecret;
    this.originalJson = originalJson;
  }

  private ExternalAccountConfig withOriginalJson(String json) {
    return new ExternalAccountConfig(toBuilder(), json);
  }

  /**
   * Parses a configuration.
   *
   * @throws ConfigurationException naming the JSON path of the first problem; for text that is not
   *     JSON, the line and column (never the content)
   */
  public static ExternalAccountConfig fromJson(String json) {
    return ExternalAccountJson.parse(json, null).withOriginalJson(json);
  }

  /**
   * Reads and parses a configuration file (UTF-8).
   *
   * @throws ConfigurationException when the file is missing, unreadable or invalid, naming the path
   */
  public static ExternalAccountConfig fromFile(Path path) {
    Objects.requireNonNull(path, "path");
    String text = ExternalAccountJson.readFile(path, null);
    return ExternalAccountJson.parse(text, path.toString()).withOriginalJson(text);
  }

  /**
   * Reads and parses a configuration from {@code in} (UTF-8); does not close the stream.
   *
   * @throws ConfigurationException when the stream cannot be read or its content is invalid
   */
  public static ExternalAccountConfig fromStream(InputStream in) {
    Objects.requireNonNull(in, "in");
    String text = ExternalAccountJson.readStream(in);
    return ExternalAccountJson.parse(text, "the input stream").withOriginalJson(text);
  }

  /**
   * The configuration named by the environment, if any:
   *
   * <ol>
   *   <li>{@code WIF4J_CREDENTIAL_CONFIG}: the configuration JSON itself;
   *   <li>else {@code GOOGLE_APPLICATION_CREDENTIALS}: the path of a credential file, used only
   *       when its {@code type} is {@code external_account}. The other credential types (a
   *       service-account key, gcloud user credentials, ...) are left to the libraries that
   *       understand them: the result is empty and a debug line is logged, because that variable is
   *       shared by every Google library in the process. A type that is none of them (e.g. the typo
   *       {@code external_acount}) is an error naming the value and the valid types.
   * </ol>
   *
   * <p>Blank values count as unset. The file decides the federation settings: a {@code WIF4J_*}
   * variable that says something else ({@code WIF4J_AUDIENCE} or its three parts, {@code
   * WIF4J_SERVICE_ACCOUNT}, {@code WIF4J_IMPERSONATION_URL}, {@code WIF4J_TOKEN_LIFETIME_SECONDS},
   * {@code WIF4J_TOKEN_URL}, {@code WIF4J_UNIVERSE_DOMAIN}, {@code WIF4J_QUOTA_PROJECT}), and any
   * {@code WIF4J_SCOPES} or {@code WIF4J_SOURCE}, is an error naming both rather than being
   * silently ignored; variables equal to the file's values are fine.
   *
   * @return empty when neither variable selects an {@code external_account} configuration
   * @throws ConfigurationException when {@code WIF4J_CREDENTIAL_CONFIG} is invalid, a {@code
   *     WIF4J_*} variable contradicts the configuration, or the file named by {@code
   *     GOOGLE_APPLICATION_CREDENTIALS} is missing, unreadable, not JSON, or an invalid {@code
   *     external_account} configuration
   */
  public static Optional<ExternalAccountConfig> fromEnvironment(Environment env) {
    Objects.requireNonNull(env, "env");
    if (env.get(ENV_CREDENTIAL_CONFIG).isEmpty()
        && env.get(ENV_GOOGLE_APPLICATION_CREDENTIALS).isEmpty()) {
      return Optional.empty(); // the JSON parser stays unloaded (cold start)
    }
    return ExternalAccountJson.fromEnvironment(
            env, ENV_CREDENTIAL_CONFIG, ENV_GOOGLE_APPLICATION_CREDENTIALS)
        .map(
            p -> {
              EnvironmentConflicts.check(env, p.config(), p.variable());
              return p.config().withOriginalJson(p.text());
            });
  }

  /** Starts a builder for writing a configuration. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.settings = settings;
    b.subjectTokenType = subjectTokenType;
    b.credentialSource = credentialSource;
    b.clientId = clientId;
    b.clientSecret = clientSecret;
    return b;
  }

  /** Audience, impersonation, endpoints and the other top-level settings. */
  public FederationSettings settings() {
    return settings;
  }

  /** The {@code subject_token_type}, e.g. {@code urn:ietf:params:oauth:token-type:jwt}. */
  public String subjectTokenType() {
    return subjectTokenType;
  }

  /** Where the subject token comes from. */
  public CredentialSource credentialSource() {
    return credentialSource;
  }

  /** The OAuth client ID sent to STS (workforce pools), when configured. */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  /** The OAuth client secret paired with {@link #clientId()}. A secret: never log it. */
  public Optional<String> clientSecret() {
    return Optional.ofNullable(clientSecret);
  }

  /**
   * The text this configuration was parsed from, unchanged, so that every field reaches google-auth
   * (including fields wif4j does not model); empty for a configuration made with {@link #builder()}
   * or {@link #toBuilder()}. Contains the client secret when the file has one.
   */
  public Optional<String> originalJson() {
    return Optional.ofNullable(originalJson);
  }

  /**
   * The configuration as gcloud writes it: pretty-printed JSON with gcloud's field names and order,
   * absent optional fields omitted. Contains the client secret when one is set.
   */
  public String toJson() {
    return ExternalAccountJson.write(this);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExternalAccountConfig c
        && settings.equals(c.settings)
        && subjectTokenType.equals(c.subjectTokenType)
        && credentialSource.equals(c.credentialSource)
        && Objects.equals(clientId, c.clientId)
        && Objects.equals(clientSecret, c.clientSecret);
  }

  @Override
  public int hashCode() {
    return Objects.hash(settings, subjectTokenType, credentialSource, clientId);
  }

  @Override
  public String toString() {
    return "ExternalAccountConfig{"
        + settings
        + ", subjectTokenType="
        + subjectTokenType
        + ", credentialSource="
        + credentialSource
        + (clientId == null ? "" : ", clientId=" + clientId)
        + (clientSecret == null ? "" : ", clientSecret=<redacted>")
        + "}";
  }

  /** Builder for {@link ExternalAccountConfig}; {@link #build()} validates. */
  public static final class Builder {
    private FederationSettings settings;
    private String subjectTokenType;
    private CredentialSource credentialSource;
    private String clientId;
    private String clientSecret;

    private Builder() {}

    /** Audience, impersonation and endpoints. Required. */
    public Builder settings(FederationSettings settings) {
      this.settings = settings;
      return this;
    }

    /** One of the {@link SubjectTokenType} values or {@link #MTLS_TOKEN_TYPE}. Required. */
    public Builder subjectTokenType(String subjectTokenType) {
      this.subjectTokenType = subjectTokenType;
      return this;
    }

    /** Where the subject token comes from. Required. */
    public Builder credentialSource(CredentialSource credentialSource) {
      this.credentialSource = credentialSource;
      return this;
    }

    /** OAuth client ID for STS (workforce pools). */
    public Builder clientId(String clientId) {
      this.clientId = clientId;
      return this;
    }

    /** OAuth client secret; requires {@link #clientId(String)}. */
    public Builder clientSecret(String clientSecret) {
      this.clientSecret = clientSecret;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws ConfigurationException naming the JSON field ({@code subject_token_type}, {@code
     *     credential_source}, {@code client_id}, ...)
     */
    public ExternalAccountConfig build() {
      if (settings == null) {
        throw ConfigurationException.missing(
            "audience", "federation settings with at least the audience");
      }
      String types =
          String.join(
              ", ",
              SubjectTokenType.JWT,
              SubjectTokenType.ID_TOKEN,
              SubjectTokenType.SAML2,
              SubjectTokenType.AWS4_REQUEST,
              MTLS_TOKEN_TYPE);
      Checks.nonBlank("subject_token_type", subjectTokenType, "one of " + types);
      if (!SubjectTokenType.isKnown(subjectTokenType)
          && !MTLS_TOKEN_TYPE.equals(subjectTokenType)) {
        throw ConfigurationException.of(
            "subject_token_type",
            "'" + subjectTokenType + "' is not a subject token type Google STS accepts",
            "one of " + types);
      }
      if (credentialSource == null) {
        throw ConfigurationException.missing(
            "credential_source",
            "an object with environment_id (AWS), file, url, executable or certificate");
      }
      boolean aws = credentialSource instanceof AwsCredentialSource;
      if (aws != SubjectTokenType.AWS4_REQUEST.equals(subjectTokenType)) {
        throw misfit(
            aws
                ? SubjectTokenType.AWS4_REQUEST + " for an AWS source (environment_id aws1)"
                : "a JWT, ID token or SAML type for a "
                    + credentialSource.kind()
                    + " source; "
                    + SubjectTokenType.AWS4_REQUEST
                    + " only with environment_id aws1");
      }
      boolean cert = credentialSource instanceof CertificateCredentialSource;
      if (cert != MTLS_TOKEN_TYPE.equals(subjectTokenType)) {
        throw misfit(MTLS_TOKEN_TYPE + (cert ? " for" : " only with") + " a certificate source");
      }
      if (clientId != null) {
        Checks.token("client_id", clientId, "the OAuth client ID");
      }
      if (clientSecret != null) {
        if (clientSecret.isBlank()) {
          throw ConfigurationException.of("client_secret", "is blank", "the OAuth client secret");
        }
        if (clientId == null) {
          throw ConfigurationException.of(
              "client_secret", "is set without client_id", "client_id as well, or neither");
        }
      }
      return new ExternalAccountConfig(this, null);
    }

    private ConfigurationException misfit(String expected) {
      return ConfigurationException.of(
          "subject_token_type",
          "'"
              + subjectTokenType
              + "' does not fit the "
              + credentialSource.kind()
              + " credential source",
          expected);
    }
  }
}

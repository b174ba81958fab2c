package io.github.wif4j.aws;

import io.github.wif4j.aws.internal.ConfigStoreReader;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.http.TransportPolicy;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * Reads the {@code external_account} credential configuration from AWS Systems Manager Parameter
 * Store or AWS Secrets Manager, as Lambda functions that share one configuration across many
 * functions keep it. Opt-in: add {@code software.amazon.awssdk:ssm} (or {@code secretsmanager}) to
 * the application; wif4j declares them optional and uses the SDK's own client over the light
 * url-connection HTTP client.
 *
 * <pre>{@code
 * ExternalAccountConfig config = AwsConfigStore.parameterStore("/wif4j/credential-config").load();
 * FederatedCredentials google = FederatedCredentials.fromConfig(config);
 * }</pre>
 *
 * <p>Defaults: the region from {@code AWS_REGION} / {@code AWS_DEFAULT_REGION}; AWS credentials
 * from the SDK's default provider chain (in Lambda, the function's role). A SecureString parameter
 * is decrypted. {@link Builder#load()} makes one request each call: load once at start-up (the
 * configuration holds no secret and does not rotate).
 *
 * @throws FederationException from {@link Builder#load()} when AWS refuses or the parameter or
 *     secret does not exist, naming the IAM permission ({@code ssm:GetParameter}, {@code
 *     kms:Decrypt}, {@code secretsmanager:GetSecretValue}) on the exact resource
 * @throws ConfigurationException when the value is not a valid configuration, or the SDK module is
 *     not on the class path (naming the artifact)
 */
public final class AwsConfigStore {
  private AwsConfigStore() {}

  /** Where the configuration lives. */
  public enum Store {
    /** AWS Systems Manager Parameter Store, {@code GetParameter} (String or SecureString). */
    PARAMETER_STORE,
    /** AWS Secrets Manager, {@code GetSecretValue} ({@code SecretString}). */
    SECRETS_MANAGER
  }

  /**
   * The configuration in the Parameter Store parameter {@code name}, e.g. {@code /wif4j/config}.
   */
  public static Builder parameterStore(String name) {
    return new Builder(Store.PARAMETER_STORE, name);
  }

  /** The configuration in the Secrets Manager secret {@code secretId} (name or ARN). */
  public static Builder secretsManager(String secretId) {
    return new Builder(Store.SECRETS_MANAGER, secretId);
  }

  /** Builder; {@link #load()} does the request. Not thread-safe. */
  public static final class Builder {
    private final Store store;
    private final String name;
    private String region;
    private URI endpoint;
    private AwsCredentialsProvider credentials;
    private TransportPolicy transportPolicy = TransportPolicy.defaults();
    private Environment environment = Environment.system();

    private Builder(Store store, String name) {
      this.store = store;
      if (name == null || name.isBlank()) {
        throw ConfigurationException.of(
            store == Store.PARAMETER_STORE ? "parameter name" : "secret id",
            "is empty",
            store == Store.PARAMETER_STORE
                ? "a parameter name such as /wif4j/credential-config"
                : "a secret name or ARN");
      }
      this.name = name.trim();
    }

    /**
     * The region of the parameter or secret. Default {@code AWS_REGION}, {@code
     * AWS_DEFAULT_REGION}.
     */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** An endpoint override (a VPC endpoint, a test fake). Default the regional endpoint. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** The AWS credentials to read with. Default the SDK's default credentials provider chain. */
    public Builder credentialsProvider(AwsCredentialsProvider credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** Timeouts, retries and deadline of the request. */
    public Builder transportPolicy(TransportPolicy transportPolicy) {
      this.transportPolicy = Objects.requireNonNull(transportPolicy, "transportPolicy");
      return this;
    }

    /** Where {@code AWS_REGION} is read. Default the process environment. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Reads and parses the configuration.
     *
     * @throws FederationException when AWS refuses (with the IAM permission to grant) or the
     *     parameter or secret does not exist
     * @throws ConfigurationException when the value is not a credential configuration, no region is
     *     known, or the SDK module is missing
     */
    public ExternalAccountConfig load() throws FederationException {
      String r = region;
      if (r == null) {
        r =
            environment
                .get("AWS_REGION")
                .or(() -> environment.get("AWS_DEFAULT_REGION"))
                .map(String::trim)
                .orElseThrow(
                    () ->
                        ConfigurationException.missing(
                            "AWS_REGION",
                            "the region of the "
                                + (store == Store.PARAMETER_STORE ? "parameter " : "secret ")
                                + name
                                + " (or AwsConfigStore.Builder.region(...))"));
      }
      String json =
          ConfigStoreReader.read(
              store == Store.PARAMETER_STORE, name, r, endpoint, credentials, transportPolicy);
      try {
        return ExternalAccountConfig.fromJson(json);
      } catch (ConfigurationException e) {
        throw ConfigurationException.of(
            (store == Store.PARAMETER_STORE ? "parameter " : "secret ") + name,
            "does not hold a valid credential configuration: " + e.getMessage(),
            "the JSON written by gcloud iam workload-identity-pools create-cred-config");
      }
    }
  }
}

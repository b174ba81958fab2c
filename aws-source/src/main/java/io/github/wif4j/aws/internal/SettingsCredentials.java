package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Keys from the {@code aws.*} system properties or the {@code AWS_*} environment variables (what
 * Lambda without SnapStart and most CI systems provide), read on every call, with the SDK's
 * precedence: the system-property link comes first. The SDK's {@code
 * SystemPropertyCredentialsProvider} and {@code EnvironmentVariableCredentialsProvider} read the
 * process directly and take no values, so these few lines read through {@link Environment}.
 */
public final class SettingsCredentials implements CredentialResolver {
  private final String name;
  private final Function<String, Optional<String>> read;
  private final Function<String, String> label;

  private SettingsCredentials(
      String name, Function<String, Optional<String>> read, Function<String, String> label) {
    this.name = name;
    this.read = read;
    this.label = label;
  }

  /** {@code aws.accessKeyId}, {@code aws.secretAccessKey}, {@code aws.sessionToken}. */
  public static SettingsCredentials systemProperties(Environment env) {
    return new SettingsCredentials(
        "system properties", v -> env.property(AwsEnv.propertyName(v)), AwsEnv::propertyName);
  }

  /** {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_SESSION_TOKEN}. */
  public static SettingsCredentials environmentVariables(Environment env) {
    return new SettingsCredentials("environment variables", env::get, v -> v);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<String> notApplicable() {
    if (read.apply(AwsEnv.ACCESS_KEY_ID).isEmpty()
        && read.apply(AwsEnv.SECRET_ACCESS_KEY).isEmpty()) {
      return Optional.of(
          label.apply(AwsEnv.ACCESS_KEY_ID)
              + " and "
              + label.apply(AwsEnv.SECRET_ACCESS_KEY)
              + " are not set");
    }
    return Optional.empty();
  }

  @Override
  public AwsCredentials resolve() {
    String id = required(AwsEnv.ACCESS_KEY_ID, AwsEnv.SECRET_ACCESS_KEY);
    String secret = required(AwsEnv.SECRET_ACCESS_KEY, AwsEnv.ACCESS_KEY_ID);
    Optional<String> token = read.apply(AwsEnv.SESSION_TOKEN);
    return token.isPresent()
        ? AwsSessionCredentials.builder()
            .accessKeyId(id)
            .secretAccessKey(secret)
            .sessionToken(token.get())
            .providerName("wif4j-" + name)
            .build()
        : AwsBasicCredentials.builder()
            .accessKeyId(id)
            .secretAccessKey(secret)
            .providerName("wif4j-" + name)
            .build();
  }

  private String required(String variable, String other) {
    return read.apply(variable)
        .orElseThrow(
            () ->
                ConfigurationException.missing(
                    label.apply(variable),
                    label.apply(other)
                        + " is set, so "
                        + label.apply(variable)
                        + " must be too (both come from the same credentials)"));
  }
}

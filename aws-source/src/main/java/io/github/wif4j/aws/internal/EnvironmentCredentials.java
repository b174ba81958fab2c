package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} (or the
 * {@code aws.*} system properties): what Lambda (without SnapStart) and many CI systems provide.
 * Read on every call, so rotation by the host is picked up.
 */
public final class EnvironmentCredentials implements CredentialResolver {
  private final Environment env;

  public EnvironmentCredentials(Environment env) {
    this.env = env;
  }

  @Override
  public String name() {
    return "environment variables";
  }

  @Override
  public Optional<String> notApplicable() {
    boolean id = AwsEnv.read(env, AwsEnv.ACCESS_KEY_ID).isPresent();
    boolean secret = AwsEnv.read(env, AwsEnv.SECRET_ACCESS_KEY).isPresent();
    if (!id && !secret) {
      return Optional.of(
          AwsEnv.ACCESS_KEY_ID + " and " + AwsEnv.SECRET_ACCESS_KEY + " are not set");
    }
    return Optional.empty();
  }

  @Override
  public AwsCredentials resolve() {
    String id =
        AwsEnv.read(env, AwsEnv.ACCESS_KEY_ID)
            .orElseThrow(() -> missing(AwsEnv.ACCESS_KEY_ID, AwsEnv.SECRET_ACCESS_KEY));
    String secret =
        AwsEnv.read(env, AwsEnv.SECRET_ACCESS_KEY)
            .orElseThrow(() -> missing(AwsEnv.SECRET_ACCESS_KEY, AwsEnv.ACCESS_KEY_ID));
    Optional<String> token = AwsEnv.read(env, AwsEnv.SESSION_TOKEN);
    if (token.isPresent()) {
      return AwsSessionCredentials.builder()
          .accessKeyId(id)
          .secretAccessKey(secret)
          .sessionToken(token.get())
          .providerName("wif4j-environment")
          .build();
    }
    return AwsBasicCredentials.builder()
        .accessKeyId(id)
        .secretAccessKey(secret)
        .providerName("wif4j-environment")
        .build();
  }

  private static ConfigurationException missing(String missing, String present) {
    return ConfigurationException.missing(
        missing,
        present + " is set, so " + missing + " must be too (both come from the same credentials)");
  }
}

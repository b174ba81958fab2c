package io.github.wif4j.aws.internal;

import io.github.wif4j.core.Environment;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables (and their {@code aws.*} system-property twins) the AWS SDK reads, in
 * one place, so wif4j reads them through the injectable {@link Environment} and hands the values to
 * the SDK's providers explicitly (builders, profile file suppliers, endpoint overrides).
 */
public final class AwsEnv {
  public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
  public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
  public static final String REGION = "AWS_REGION";
  public static final String DEFAULT_REGION = "AWS_DEFAULT_REGION";
  public static final String PROFILE = "AWS_PROFILE";
  public static final String CONFIG_FILE = "AWS_CONFIG_FILE";
  public static final String SHARED_CREDENTIALS_FILE = "AWS_SHARED_CREDENTIALS_FILE";
  public static final String WEB_IDENTITY_TOKEN_FILE = "AWS_WEB_IDENTITY_TOKEN_FILE";
  public static final String ROLE_ARN = "AWS_ROLE_ARN";
  public static final String ROLE_SESSION_NAME = "AWS_ROLE_SESSION_NAME";
  public static final String ENDPOINT_URL_STS = "AWS_ENDPOINT_URL_STS";
  public static final String CONTAINER_RELATIVE_URI = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI";
  public static final String CONTAINER_FULL_URI = "AWS_CONTAINER_CREDENTIALS_FULL_URI";
  public static final String CONTAINER_AUTH_TOKEN = "AWS_CONTAINER_AUTHORIZATION_TOKEN";
  public static final String CONTAINER_AUTH_TOKEN_FILE = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE";
  public static final String CONTAINER_SERVICE_ENDPOINT = "AWS_CONTAINER_SERVICE_ENDPOINT";
  public static final String IMDS_ENDPOINT = "AWS_EC2_METADATA_SERVICE_ENDPOINT";
  public static final String IMDS_ENDPOINT_MODE = "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE";
  public static final String IMDS_DISABLED = "AWS_EC2_METADATA_DISABLED";
  public static final String IMDS_V1_DISABLED = "AWS_EC2_METADATA_V1_DISABLED";
  public static final String IMDS_TIMEOUT = "AWS_METADATA_SERVICE_TIMEOUT";
  public static final String LAMBDA_FUNCTION_NAME = "AWS_LAMBDA_FUNCTION_NAME";

  private AwsEnv() {}

  /**
   * The SDK's system property for {@code variable} ({@code AWS_ACCESS_KEY_ID} → {@code
   * aws.accessKeyId}) if set, else the variable: the SDK's {@code SystemSetting} precedence.
   */
  public static Optional<String> read(Environment env, String variable) {
    String property = propertyName(variable);
    Optional<String> p = property == null ? Optional.empty() : env.property(property);
    return p.isPresent() ? p : env.get(variable);
  }

  /** Whether {@code variable} is set to {@code true} (case-insensitive). */
  public static boolean isTrue(Environment env, String variable) {
    return read(env, variable).map(v -> v.equalsIgnoreCase("true")).orElse(false);
  }

  /** The SDK's system property for {@code variable}, or {@code null}. */
  public static String propertyName(String variable) {
    return PROPERTIES.get(variable);
  }

  private static final Map<String, String> PROPERTIES =
      Map.ofEntries(
          Map.entry(ACCESS_KEY_ID, "aws.accessKeyId"),
          Map.entry(SECRET_ACCESS_KEY, "aws.secretAccessKey"),
          Map.entry(SESSION_TOKEN, "aws.sessionToken"),
          Map.entry(REGION, "aws.region"),
          Map.entry(PROFILE, "aws.profile"),
          Map.entry(WEB_IDENTITY_TOKEN_FILE, "aws.webIdentityTokenFile"),
          Map.entry(ROLE_ARN, "aws.roleArn"),
          Map.entry(ROLE_SESSION_NAME, "aws.roleSessionName"),
          Map.entry(CONTAINER_RELATIVE_URI, "aws.containerCredentialsPath"),
          Map.entry(CONTAINER_FULL_URI, "aws.containerCredentialsFullUri"),
          Map.entry(CONTAINER_AUTH_TOKEN, "aws.containerAuthorizationToken"),
          Map.entry(CONTAINER_AUTH_TOKEN_FILE, "aws.containerAuthorizationTokenFile"),
          Map.entry(CONTAINER_SERVICE_ENDPOINT, "aws.containerServiceEndpoint"),
          Map.entry(IMDS_ENDPOINT, "aws.ec2MetadataServiceEndpoint"),
          Map.entry(IMDS_ENDPOINT_MODE, "aws.ec2MetadataServiceEndpointMode"),
          Map.entry(IMDS_DISABLED, "aws.disableEc2Metadata"),
          Map.entry(IMDS_V1_DISABLED, "aws.disableEc2MetadataV1"),
          Map.entry(IMDS_TIMEOUT, "aws.ec2MetadataServiceTimeout"));
}

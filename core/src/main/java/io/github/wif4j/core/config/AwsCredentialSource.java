package io.github.wif4j.core.config;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.internal.config.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * An AWS credential source: google-auth signs an STS {@code GetCallerIdentity} request with AWS
 * credentials from the environment or EC2 metadata (IMDS) and sends it as the subject token ({@code
 * urn:ietf:params:aws:token-type:aws4_request}).
 *
 * <pre>{@code
 * "credential_source": {
 *   "environment_id": "aws1",
 *   "region_url": "http://169.254.169.254/latest/meta-data/placement/availability-zone",
 *   "url": "http://169.254.169.254/latest/meta-data/iam/security-credentials",
 *   "regional_cred_verification_url":
 *       "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15",
 *   "imdsv2_session_token_url": "http://169.254.169.254/latest/api/token"
 * }
 * }</pre>
 *
 * <p>{@link #imds()} gives the values gcloud writes with {@code --enable-imdsv2}. Immutable.
 */
public final class AwsCredentialSource implements CredentialSource {
  /** The only supported {@code environment_id}. */
  public static final String ENVIRONMENT_ID = "aws1";

  /** gcloud's region URL (EC2 metadata availability zone). */
  public static final String DEFAULT_REGION_URL =
      "http://169.254.169.254/latest/meta-data/placement/availability-zone";

  /** gcloud's credentials URL (EC2 metadata role credentials). */
  public static final String DEFAULT_URL =
      "http://169.254.169.254/latest/meta-data/iam/security-credentials";

  /** gcloud's regional GetCallerIdentity URL; {@code {region}} is substituted. */
  public static final String DEFAULT_REGIONAL_CRED_VERIFICATION_URL =
      "https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15";

  /** gcloud's IMDSv2 session token URL. */
  public static final String DEFAULT_IMDSV2_SESSION_TOKEN_URL =
      "http://169.254.169.254/latest/api/token";

  private static final String PREFIX = "credential_source.";

  private final String environmentId;
  private final String regionUrl;
  private final String url;
  private final String regionalCredVerificationUrl;
  private final String imdsv2SessionTokenUrl;

  private AwsCredentialSource(
      String environmentId,
      String regionUrl,
      String url,
      String regionalCredVerificationUrl,
      String imdsv2SessionTokenUrl) {
    this.environmentId = environmentId;
    this.regionUrl = regionUrl;
    this.url = url;
    this.regionalCredVerificationUrl = regionalCredVerificationUrl;
    this.imdsv2SessionTokenUrl = imdsv2SessionTokenUrl;
  }

  /** The EC2 metadata defaults gcloud writes, with IMDSv2 session tokens. */
  public static AwsCredentialSource imds() {
    return of(
        ENVIRONMENT_ID,
        DEFAULT_REGION_URL,
        DEFAULT_URL,
        DEFAULT_REGIONAL_CRED_VERIFICATION_URL,
        DEFAULT_IMDSV2_SESSION_TOKEN_URL);
  }

  /**
   * An AWS source. {@code regionUrl}, {@code url} and {@code imdsv2SessionTokenUrl} may be null
   * (google-auth then reads {@code AWS_REGION} and the {@code AWS_*} credential variables).
   *
   * @throws ConfigurationException naming {@code credential_source.environment_id}, {@code
   *     credential_source.regional_cred_verification_url} or the URL field that is malformed
   */
  public static AwsCredentialSource of(
      String environmentId,
      String regionUrl,
      String url,
      String regionalCredVerificationUrl,
      String imdsv2SessionTokenUrl) {
    String idField = PREFIX + "environment_id";
    Checks.token(idField, environmentId, "\"aws1\"");
    if (!ENVIRONMENT_ID.equals(environmentId)) {
      String problem =
          environmentId.matches("aws\\d+")
              ? "'" + environmentId + "' is not supported; only version 1 exists"
              : "'" + environmentId + "' is not an AWS environment id";
      throw ConfigurationException.of(idField, problem, "\"aws1\"");
    }
    Checks.httpUrl(
        PREFIX + "regional_cred_verification_url",
        regionalCredVerificationUrl,
        DEFAULT_REGIONAL_CRED_VERIFICATION_URL);
    if (regionUrl != null) {
      Checks.httpUrl(PREFIX + "region_url", regionUrl, DEFAULT_REGION_URL);
    }
    if (url != null) {
      Checks.httpUrl(PREFIX + "url", url, DEFAULT_URL);
    }
    if (imdsv2SessionTokenUrl != null) {
      Checks.httpUrl(
          PREFIX + "imdsv2_session_token_url",
          imdsv2SessionTokenUrl,
          DEFAULT_IMDSV2_SESSION_TOKEN_URL);
    }
    return new AwsCredentialSource(
        environmentId, regionUrl, url, regionalCredVerificationUrl, imdsv2SessionTokenUrl);
  }

  @Override
  public String kind() {
    return "aws";
  }

  /** Always {@code aws1}. */
  public String environmentId() {
    return environmentId;
  }

  /** Where the availability zone (hence region) is read, when not from {@code AWS_REGION}. */
  public Optional<String> regionUrl() {
    return Optional.ofNullable(regionUrl);
  }

  /** The EC2 metadata role-credentials URL, when not using {@code AWS_*} variables. */
  public Optional<String> url() {
    return Optional.ofNullable(url);
  }

  /** The STS GetCallerIdentity URL template Google replays, with {@code {region}}. */
  public String regionalCredVerificationUrl() {
    return regionalCredVerificationUrl;
  }

  /** The IMDSv2 session-token URL; present means IMDSv2 is used. */
  public Optional<String> imdsv2SessionTokenUrl() {
    return Optional.ofNullable(imdsv2SessionTokenUrl);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AwsCredentialSource a
        && environmentId.equals(a.environmentId)
        && Objects.equals(regionUrl, a.regionUrl)
        && Objects.equals(url, a.url)
        && regionalCredVerificationUrl.equals(a.regionalCredVerificationUrl)
        && Objects.equals(imdsv2SessionTokenUrl, a.imdsv2SessionTokenUrl);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        environmentId, regionUrl, url, regionalCredVerificationUrl, imdsv2SessionTokenUrl);
  }

  @Override
  public String toString() {
    return "AwsCredentialSource{"
        + environmentId
        + ", imdsv2="
        + (imdsv2SessionTokenUrl != null)
        + ", regionalCredVerificationUrl="
        + regionalCredVerificationUrl
        + "}";
  }
}

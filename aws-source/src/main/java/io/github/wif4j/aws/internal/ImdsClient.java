package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Redaction;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The one instance metadata read wif4j does itself: the region. Credentials come from the SDK's
 * {@code InstanceProfileCredentialsProvider}; its region twin, {@code
 * InstanceProfileRegionProvider}, reads through the static {@code EC2MetadataUtils}, whose endpoint
 * comes from the process environment only (no builder, no override) and whose answers are cached
 * JVM-wide, so it cannot honour the endpoint this source was given (or a test's fake). The SDK's
 * public {@code Ec2MetadataClient} (one more artifact, {@code imds}) takes an endpoint but has no
 * IMDSv1 fallback, which AgentCore needs. Measured cost ({@code Comparisons requests}): a token PUT
 * and one GET on the first acquisition, as the SDK's region provider makes; none after (cached).
 *
 * <p>Token rules are the SDK's: an IMDSv2 session token, and tokenless IMDSv1 reads when the token
 * PUT fails with anything but 400 or does not answer within the metadata timeout (Amazon Bedrock
 * AgentCore Runtime's MMDS answers 405), unless {@code AWS_EC2_METADATA_V1_DISABLED} is set.
 */
public final class ImdsClient {
  /** The link-local IMDS address. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");

  static final String TOKEN_PATH = "/latest/api/token";
  static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  private static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";

  private final URI endpoint;
  private final HttpExecutor reads;
  private final HttpExecutor tokenPut;
  private final boolean v1Disabled;

  /**
   * @param metadataTimeout the whole budget of the token PUT (the SDK's {@code
   *     AWS_METADATA_SERVICE_TIMEOUT}, default 1 s)
   */
  public ImdsClient(
      URI endpoint, TransportPolicy policy, Duration metadataTimeout, boolean v1Disabled) {
    this.endpoint = endpoint;
    this.reads = HttpExecutor.create(policy);
    this.tokenPut = HttpExecutor.create(TransportPolicy.singleAttempt(metadataTimeout));
    this.v1Disabled = v1Disabled;
  }

  /**
   * The metadata endpoint the environment names: {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, else
   * the IPv4 or (with {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6}) IPv6 link-local address.
   * No trailing slash.
   *
   * @throws ConfigurationException when the variable is not an absolute http(s) URI
   */
  public static URI endpointFrom(Environment env) {
    Optional<String> configured = AwsEnv.read(env, AwsEnv.IMDS_ENDPOINT);
    if (configured.isEmpty()) {
      boolean ipv6 =
          AwsEnv.read(env, AwsEnv.IMDS_ENDPOINT_MODE).filter("IPv6"::equalsIgnoreCase).isPresent();
      return ipv6 ? URI.create("http://[fd00:ec2::254]") : DEFAULT_ENDPOINT;
    }
    return checkHttp(AwsEnv.IMDS_ENDPOINT, configured.get(), "http://169.254.169.254");
  }

  /**
   * {@code value} as an absolute http(s) URI without a trailing slash, else names {@code field}.
   */
  public static URI checkHttp(String field, String value, String example) {
    String s = value.trim();
    s = s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    try {
      URI uri = URI.create(s);
      if (uri.getHost() != null
          && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return uri;
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw ConfigurationException.of(
        field, "'" + value + "' is not an absolute http(s) URI", "e.g. " + example);
  }

  /**
   * The instance's region: {@code placement/region}, else the availability zone minus its letter.
   */
  public String region() throws IOException {
    String token = token();
    try {
      return get("/latest/meta-data/placement/region", token).trim();
    } catch (FederationException e) {
      if (e.httpStatus() != 404) {
        throw e;
      }
      String zone = get("/latest/meta-data/placement/availability-zone", token).trim();
      return zone.substring(0, Math.max(0, zone.length() - 1)); // us-east-1a -> us-east-1
    }
  }

  private String get(String path, String token) throws IOException {
    HttpExecutor.Response r = read(path, token);
    if (r.status() == 401) {
      // IMDSv2 required after a v1 fallback, or a garbled token: one fresh token, as the SDK does
      String fresh = token();
      if (fresh == null) {
        throw failure("requires a session token but the token PUT failed", 401, true);
      }
      r = read(path, fresh);
    }
    if (r.status() != 200) {
      throw failure(
          "GET " + path + " answered HTTP " + r.status() + ": " + Redaction.excerpt(r.body(), 120),
          r.status(),
          r.status() >= 500);
    }
    return r.body();
  }

  private HttpExecutor.Response read(String path, String token) throws IOException {
    HttpExecutor.Request.Builder b =
        HttpExecutor.Request.get(URI.create(endpoint + path))
            .step(Step.SOURCE)
            .endpointName("EC2 instance metadata");
    if (token != null) {
      b.header(TOKEN_HEADER, token);
    }
    return reads.send(b.build());
  }

  /** A session token, or {@code null} for IMDSv1 (the SDK's rule: any failure but a 400). */
  private String token() throws IOException {
    int status;
    try {
      HttpExecutor.Response r =
          tokenPut.send(
              HttpExecutor.Request.newBuilder("PUT", URI.create(endpoint + TOKEN_PATH))
                  .header(TTL_HEADER, "21600")
                  .step(Step.SOURCE)
                  .endpointName("EC2 instance metadata token")
                  .build());
      if (r.status() == 200 && !r.body().isBlank()) {
        return r.body().trim();
      }
      status = r.status();
    } catch (FederationException e) {
      status = e.httpStatus();
    }
    if (status == 400) {
      throw failure("refused the session token request (HTTP 400)", 400, false);
    }
    if (v1Disabled) {
      throw failure(
          "gave no session token and IMDSv1 is disabled by " + AwsEnv.IMDS_V1_DISABLED,
          status,
          true);
    }
    return null;
  }

  private FederationException failure(String what, int status, boolean retryable) {
    return FederationException.builder(
            Step.SOURCE, "EC2 instance metadata at " + endpoint + " " + what)
        .fix(
            status == 400
                ? "A proxy between the workload and 169.254.169.254 adds X-Forwarded-For, which"
                    + " IMDS rejects; exclude 169.254.169.254 from the proxy (NO_PROXY)."
                : "If this runs in a container on EC2, the token PUT's reply is dropped after one"
                    + " network hop: aws ec2 modify-instance-metadata-options --instance-id"
                    + " <INSTANCE_ID> --http-put-response-hop-limit 2")
        .httpStatus(status)
        .retryable(retryable)
        .build();
  }
}

package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.internal.Redaction;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A small EC2 IMDS client that holds one session token for every read (credentials and region), so
 * a first acquisition costs one token PUT. Behaves like the AWS SDK's instance profile provider:
 * IMDSv2 first, and IMDSv1 (tokenless GETs) when the token PUT fails with anything but 400 or does
 * not answer within the metadata timeout, unless {@code AWS_EC2_METADATA_V1_DISABLED} is set. That
 * fallback is what makes Amazon Bedrock AgentCore Runtime work, whose Firecracker MMDS answers the
 * PUT with 405.
 *
 * <p>The fallback decision is remembered; a later 401 on a tokenless GET (IMDSv2 switched on) makes
 * the client try the PUT again. Thread-safe.
 */
public final class ImdsClient {
  /** The link-local IMDS address. */
  public static final URI DEFAULT_ENDPOINT = URI.create("http://169.254.169.254");

  static final String TOKEN_PATH = "/latest/api/token";
  static final String TTL_HEADER = "X-aws-ec2-metadata-token-ttl-seconds";
  static final String TOKEN_HEADER = "X-aws-ec2-metadata-token";
  private static final int TOKEN_TTL_SECONDS = 21600;
  private static final System.Logger LOG = System.getLogger(ImdsClient.class.getName());

  private final URI endpoint;
  private final HttpExecutor reads;
  private final HttpExecutor tokenPut;
  private final boolean v1Disabled;
  private final Clock clock;
  private final Object lock = new Object();
  private String token; // guarded by lock
  private Instant tokenExpiry; // guarded by lock
  private String v1Reason; // guarded by lock; non-null once the client fell back to IMDSv1

  /**
   * @param endpoint base URI, e.g. {@code http://169.254.169.254}
   * @param policy retries and deadline for reads
   * @param metadataTimeout connect timeout of reads and the whole budget of the token PUT (the
   *     SDK's {@code AWS_METADATA_SERVICE_TIMEOUT}, default 1 s)
   */
  public ImdsClient(
      URI endpoint,
      TransportPolicy policy,
      Duration metadataTimeout,
      boolean v1Disabled,
      Clock clock) {
    this.endpoint = stripTrailingSlash(endpoint);
    Duration connect =
        metadataTimeout.compareTo(policy.connectTimeout()) < 0
            ? metadataTimeout
            : policy.connectTimeout();
    this.reads = HttpExecutor.create(policy.toBuilder().connectTimeout(connect).build());
    this.tokenPut =
        HttpExecutor.create(
            TransportPolicy.builder()
                .connectTimeout(metadataTimeout)
                .readTimeout(metadataTimeout)
                .deadline(metadataTimeout.plus(metadataTimeout))
                .maxAttempts(1)
                .build());
    this.v1Disabled = v1Disabled;
    this.clock = clock;
  }

  /**
   * The metadata endpoint the environment names: {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, else
   * the IPv4 or (with {@code AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6}) IPv6 link-local address.
   *
   * @throws ConfigurationException when the variable is not an absolute http(s) URI
   */
  public static URI endpointFrom(Environment env) {
    Optional<String> configured = AwsEnv.read(env, AwsEnv.IMDS_ENDPOINT);
    if (configured.isPresent()) {
      URI uri;
      try {
        uri = URI.create(configured.get().trim());
      } catch (IllegalArgumentException e) {
        uri = null;
      }
      if (uri == null
          || uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        throw ConfigurationException.of(
            AwsEnv.IMDS_ENDPOINT,
            "'" + configured.get() + "' is not an absolute http(s) URI",
            "http://169.254.169.254 or http://[fd00:ec2::254]");
      }
      return uri;
    }
    boolean ipv6 =
        env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE")
            .map(m -> m.equalsIgnoreCase("IPv6"))
            .orElse(false);
    return ipv6 ? URI.create("http://[fd00:ec2::254]") : DEFAULT_ENDPOINT;
  }

  /** The base URI. */
  public URI endpoint() {
    return endpoint;
  }

  /** {@code IMDSv2}, or {@code IMDSv1} with the reason the client fell back. */
  public String mode() {
    synchronized (lock) {
      return v1Reason == null ? "IMDSv2" : "IMDSv1 (" + v1Reason + ")";
    }
  }

  /**
   * GETs {@code path} and returns the body of a 200.
   *
   * @throws FederationException with {@link FederationException#httpStatus()} 404 when the path
   *     does not exist, or explaining the failure
   */
  public String get(String path) throws IOException {
    return get(path, null);
  }

  /**
   * As {@link #get(String)}; a 200 whose body fails {@code wellFormed} is retried like a 5xx (a
   * truncated or garbled credentials document).
   */
  public String get(String path, Predicate<HttpExecutor.Response> wellFormed) throws IOException {
    String session = sessionToken(false);
    HttpExecutor.Response r = read(path, session, wellFormed);
    if (r.status() == 401) {
      // the token expired, or IMDSv2 became required after we fell back to v1: one fresh try
      session = sessionToken(true);
      if (session == null) {
        throw FederationException.builder(
                Step.SOURCE,
                "EC2 instance metadata requires a session token (HttpTokens=required) but the"
                    + " token request failed: "
                    + mode())
            .fix(
                "If this runs in a container on EC2, the token PUT's reply is dropped after one"
                    + " network hop: aws ec2 modify-instance-metadata-options --instance-id <id>"
                    + " --http-put-response-hop-limit 2 --http-tokens required")
            .httpStatus(401)
            .build();
      }
      r = read(path, session, wellFormed);
    }
    if (r.status() == 200) {
      return r.body();
    }
    throw FederationException.builder(
            Step.SOURCE,
            "EC2 instance metadata GET "
                + path
                + " answered HTTP "
                + r.status()
                + ": "
                + Redaction.excerpt(Redaction.scrub(r.body()), 120))
        .httpStatus(r.status())
        .retryable(r.status() >= 500)
        .fix(
            "Check the instance metadata options (aws ec2 describe-instances ... MetadataOptions).")
        .build();
  }

  private HttpExecutor.Response read(
      String path, String session, Predicate<HttpExecutor.Response> wellFormed) throws IOException {
    HttpExecutor.Request.Builder b =
        HttpExecutor.Request.get(URI.create(endpoint + path))
            .step(Step.SOURCE)
            .endpointName("EC2 instance metadata");
    if (wellFormed != null) {
      b.validate(wellFormed);
    }
    if (session != null) {
      b.header(TOKEN_HEADER, session);
    }
    return reads.send(b.build());
  }

  /** The session token, or {@code null} in IMDSv1 mode. */
  private String sessionToken(boolean forceNew) throws IOException {
    synchronized (lock) {
      Instant now = clock.instant();
      if (!forceNew) {
        if (v1Reason != null) {
          return null;
        }
        if (token != null && now.isBefore(tokenExpiry.minusSeconds(60))) {
          return token;
        }
      }
      token = null;
      v1Reason = null;
      String failure;
      try {
        HttpExecutor.Response r =
            tokenPut.send(
                HttpExecutor.Request.newBuilder("PUT", URI.create(endpoint + TOKEN_PATH))
                    .header(TTL_HEADER, Integer.toString(TOKEN_TTL_SECONDS))
                    .step(Step.SOURCE)
                    .endpointName("EC2 instance metadata token")
                    .build());
        if (r.status() == 200 && !r.body().isBlank()) {
          token = r.body().trim();
          tokenExpiry = now.plusSeconds(TOKEN_TTL_SECONDS);
          return token;
        }
        if (r.status() == 400) {
          throw FederationException.builder(
                  Step.SOURCE, "EC2 instance metadata refused the session token request (HTTP 400)")
              .fix(
                  "A proxy between the workload and 169.254.169.254 adds X-Forwarded-For, which"
                      + " IMDS rejects; exclude 169.254.169.254 from the proxy (NO_PROXY).")
              .httpStatus(400)
              .build();
        }
        failure = "token PUT answered HTTP " + r.status();
      } catch (FederationException e) {
        if (e.httpStatus() == 400) {
          throw e;
        }
        failure = "token PUT did not answer in time";
      }
      if (v1Disabled) {
        throw FederationException.builder(
                Step.SOURCE,
                "EC2 instance metadata session token unavailable ("
                    + failure
                    + ") and IMDSv1 fallback is disabled by "
                    + AwsEnv.IMDS_V1_DISABLED)
            .fix(
                "Raise the hop limit for containers (aws ec2 modify-instance-metadata-options"
                    + " --http-put-response-hop-limit 2) or unset "
                    + AwsEnv.IMDS_V1_DISABLED
                    + " where the metadata service only speaks IMDSv1.")
            .build();
      }
      v1Reason = failure;
      LOG.log(System.Logger.Level.DEBUG, "IMDS {0}: falling back to IMDSv1", failure);
      return null;
    }
  }

  private static URI stripTrailingSlash(URI uri) {
    String s = uri.toString();
    return s.endsWith("/") ? URI.create(s.substring(0, s.length() - 1)) : uri;
  }
}

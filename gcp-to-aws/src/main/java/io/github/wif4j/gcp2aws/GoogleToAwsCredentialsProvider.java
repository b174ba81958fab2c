package io.github.wif4j.gcp2aws;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.http.ParallelStart;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Json;
import io.github.wif4j.gcp2aws.internal.AssumeRoleRefresher;
import io.github.wif4j.gcp2aws.internal.LazyStsClient;
import io.github.wif4j.gcp2aws.internal.SessionNames;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * AWS credentials for workloads that hold Google credentials (Compute Engine, Cloud Run, Cloud Run
 * functions, GKE, a service account key, impersonation): it mints a Google ID token and exchanges
 * it at AWS STS {@code AssumeRoleWithWebIdentity}, with no AWS access key anywhere.
 *
 * <pre>{@code
 * try (GoogleToAwsCredentialsProvider aws = GoogleToAwsCredentialsProvider.builder()
 *         .roleArn("arn:aws:iam::123456789012:role/reports-reader")
 *         .build();
 *     S3Client s3 = S3Client.builder().credentialsProvider(aws).region(Region.EU_WEST_1).build()) {
 *   s3.listBuckets();
 * }
 * }</pre>
 *
 * <p>Every refresh mints a fresh ID token (by default from the metadata server if one answers, else
 * application default credentials; see {@link IdTokenSource}) and hands it to the AWS SDK's {@code
 * StsAssumeRoleWithWebIdentityCredentialsProvider} through {@code refreshRequest(Supplier)}. In
 * front sits wif4j's single-flight cache: any number of threads on expired credentials cause one
 * ID-token fetch and one STS call, however long STS takes, and no caller waits longer than the
 * {@linkplain Builder#deadline(Duration) deadline}. Credentials are served until {@code staleTime}
 * (1 min) before expiry and renewed in the background from {@code prefetchTime} (5 min) before, as
 * in the SDK. STS 5xx, {@code Throttling} and {@code IDPCommunicationError} are retried with
 * backoff inside the deadline.
 *
 * <p>Defaults: audience = the role ARN; session name = the service account email from the token
 * (sanitized for STS), so CloudTrail shows who assumed the role; duration = the STS default (1 h);
 * region from {@code AWS_REGION}/{@code AWS_DEFAULT_REGION}, else {@code us-east-1}. Session tags
 * are not supported: {@code AssumeRoleWithWebIdentity} takes tags only from the token, and Google
 * ID tokens carry none.
 *
 * <p>Share one instance per role; it is thread-safe. {@link #close()} releases its STS client. The
 * builder does no I/O. {@link #resolveCredentials()} throws {@link SdkClientException} (what AWS
 * clients expect from a provider) whose cause is a {@link io.github.wif4j.core.FederationException}
 * with the failing step and the fix; for a trust-policy refusal it shows the token's claims (never
 * the token), the condition keys AWS evaluated and a trust policy that would accept the token.
 */
public final class GoogleToAwsCredentialsProvider implements AwsCredentialsProvider, AutoCloseable {
  private static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::\\d{12}:role/(?:[\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}$");
  private static final Pattern POLICY_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::(?:\\d{12}|aws):policy/.+$");
  private static final Pattern REGION = Pattern.compile("^[a-z]{2}(?:-[a-z0-9]+)+-\\d+$");

  /**
   * Set to {@code false} to fetch the first ID token on the calling thread after the AWS SDK is
   * initialised, rather than on a short-lived daemon thread while it is (the default with two or
   * more processors; it shortens the first call in a fresh JVM, docs/BENCHMARKS.md, cold start).
   */
  public static final String ENV_PARALLEL_START = ParallelStart.ENV;

  private final Builder settings;
  private final LazyStsClient sts;
  private final AssumeRoleRefresher refresher;
  private final RefreshingCache<AwsSessionCredentials> cache;
  private final IdTokenSource idTokens;
  private final String endpointDescription;

  private GoogleToAwsCredentialsProvider(Builder b) {
    this.settings = b.copy();
    String region = b.resolvedRegion();
    this.idTokens =
        b.idTokenSource != null
            ? b.idTokenSource
            : IdTokenSource.detect(b.environment, b.transportPolicy);
    Duration deadline = b.resolvedDeadline();
    this.sts = new LazyStsClient(region, b.stsEndpoint, b.transportPolicy, deadline);
    this.endpointDescription =
        b.stsEndpoint != null ? b.stsEndpoint.toString() : "sts." + region + ".amazonaws.com";
    this.refresher =
        new AssumeRoleRefresher(
            sts,
            idTokens,
            b.roleArn,
            b.resolvedAudience(),
            b.roleSessionName,
            b.duration == null ? null : (int) b.duration.getSeconds(),
            b.sessionPolicy,
            b.policyArns,
            b.staleTime,
            b.prefetchTime,
            endpointDescription,
            deadline);
    this.cache =
        RefreshingCache.builder(refresher)
            .name("AWS credentials for " + b.roleArn)
            .step(FederationException.Step.AWS_STS)
            .clock(b.clock)
            .deadline(deadline)
            .listener(b.refreshListener)
            .build();
  }

  /** Starts a builder; {@link Builder#roleArn(String)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder with this provider's settings. */
  public Builder toBuilder() {
    return settings.copy();
  }

  /**
   * Returns session credentials for the role, from the cache while they are fresh.
   *
   * @throws SdkClientException when no credentials could be obtained within the deadline; its cause
   *     is the {@link io.github.wif4j.core.FederationException} with the explanation
   */
  @Override
  public AwsCredentials resolveCredentials() {
    try {
      if (!sts.isBuilt() && settings.parallelStart()) {
        refresher.prefetchIdToken(); // the ID token arrives while the AWS SDK initialises below
      }
      sts.get(); // the first call initialises the AWS SDK here, outside the deadline of the call
      return cache.get();
    } catch (IOException e) {
      throw SdkClientException.create(e.getMessage(), e);
    }
  }

  /** The role this provider assumes. */
  public String roleArn() {
    return settings.roleArn;
  }

  /** The audience of the Google ID tokens it requests. */
  public String audience() {
    return settings.resolvedAudience();
  }

  /** The ID token source in use. */
  public IdTokenSource idTokenSource() {
    return idTokens;
  }

  /** Releases the STS client and its HTTP client. Idempotent. */
  @Override
  public void close() {
    cache.close();
    sts.close();
  }

  @Override
  public String toString() {
    return "GoogleToAwsCredentialsProvider{roleArn="
        + settings.roleArn
        + ", audience="
        + settings.resolvedAudience()
        + ", sts="
        + endpointDescription
        + ", idTokenSource="
        + idTokens.description()
        + ", cache="
        + cache
        + "}";
  }

  /**
   * Builder for {@link GoogleToAwsCredentialsProvider}. Validation happens in {@link #build()},
   * which throws {@link ConfigurationException} naming the field.
   */
  public static final class Builder implements Cloneable {
    private String roleArn;
    private String audience;
    private String roleSessionName;
    private Duration duration;
    private String sessionPolicy;
    private List<String> policyArns = new ArrayList<>();
    private String stsRegion;
    private URI stsEndpoint;
    private IdTokenSource idTokenSource;
    private Environment environment = Environment.system();
    private TransportPolicy transportPolicy = TransportPolicy.defaults();
    private Duration deadline;
    private Duration staleTime = Duration.ofMinutes(1);
    private Duration prefetchTime = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();
    private RefreshListener refreshListener;

    private Builder() {}

    /** Required. The role to assume, {@code arn:aws:iam::123456789012:role/NAME}. */
    public Builder roleArn(String roleArn) {
      this.roleArn = roleArn;
      return this;
    }

    /**
     * The {@code aud} of the Google ID token; the trust policy matches it with {@code
     * accounts.google.com:oaud}. Default: the role ARN.
     */
    public Builder audience(String audience) {
      this.audience = audience;
      return this;
    }

    /**
     * The RoleSessionName ({@code [\w+=,.@-]}, 2-64 chars). Default: the service account email of
     * each token, sanitized.
     */
    public Builder roleSessionName(String roleSessionName) {
      this.roleSessionName = roleSessionName;
      return this;
    }

    /**
     * DurationSeconds, 15 min to 12 h, at most the role's maximum session duration. Default: not
     * sent (STS uses 1 h).
     */
    public Builder duration(Duration duration) {
      this.duration = duration;
      return this;
    }

    /** An inline session policy (JSON, at most 2048 characters) that narrows the role. */
    public Builder policy(String policyJson) {
      this.sessionPolicy = policyJson;
      return this;
    }

    /** Managed session policy ARNs (at most 10) that narrow the role. */
    public Builder policyArns(List<String> policyArns) {
      this.policyArns = new ArrayList<>(Objects.requireNonNull(policyArns, "policyArns"));
      return this;
    }

    /** The STS region. Default {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, else us-east-1. */
    public Builder stsRegion(String stsRegion) {
      this.stsRegion = stsRegion;
      return this;
    }

    /** An STS endpoint override (VPC endpoint, FIPS, a test fake). Default the regional one. */
    public Builder stsEndpoint(URI stsEndpoint) {
      this.stsEndpoint = stsEndpoint;
      return this;
    }

    /** Where Google ID tokens come from. Default {@link IdTokenSource#detect}. */
    public Builder idTokenSource(IdTokenSource idTokenSource) {
      this.idTokenSource = idTokenSource;
      return this;
    }

    /** Where env vars are read. Default {@link Environment#system()}. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Timeouts, retries and backoff for STS and the metadata server. Default {@link
     * TransportPolicy#defaults()} (connect 2 s, read 10 s, 4 attempts, deadline 20 s).
     */
    public Builder transportPolicy(TransportPolicy transportPolicy) {
      this.transportPolicy = Objects.requireNonNull(transportPolicy, "transportPolicy");
      return this;
    }

    /**
     * The longest a caller of {@link #resolveCredentials()} waits, and the STS API call timeout.
     * Default the transport policy's deadline.
     */
    public Builder deadline(Duration deadline) {
      this.deadline = deadline;
      return this;
    }

    /** Credentials are not served this long before expiry. Default 1 min, as in the AWS SDK. */
    public Builder staleTime(Duration staleTime) {
      this.staleTime = Objects.requireNonNull(staleTime, "staleTime");
      return this;
    }

    /** A background refresh starts this long before expiry. Default 5 min, as in the AWS SDK. */
    public Builder prefetchTime(Duration prefetchTime) {
      this.prefetchTime = Objects.requireNonNull(prefetchTime, "prefetchTime");
      return this;
    }

    /** The clock of the cache. Default the system UTC clock; tests pass a fake. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Receives the refresh events of the AWS credentials (they also go to JDK Flight Recorder); a
     * failed ID-token mint shows as a failure at step {@code ID_TOKEN}. Default none.
     */
    public Builder refreshListener(RefreshListener refreshListener) {
      this.refreshListener = refreshListener;
      return this;
    }

    /**
     * Validates and builds. Does no I/O.
     *
     * @throws ConfigurationException naming the first bad field
     */
    public GoogleToAwsCredentialsProvider build() {
      validate();
      return new GoogleToAwsCredentialsProvider(this);
    }

    private void validate() {
      if (roleArn == null || roleArn.isBlank()) {
        throw ConfigurationException.missing(
            "roleArn", "the ARN of the role to assume, e.g. arn:aws:iam::123456789012:role/app");
      }
      if (!ROLE_ARN.matcher(roleArn).matches()) {
        throw ConfigurationException.of(
            "roleArn",
            "'" + roleArn + "' is not an IAM role ARN",
            "arn:aws:iam::<12-digit account>:role/<name> (not an assumed-role or user ARN)");
      }
      if (audience != null && audience.isBlank()) {
        throw ConfigurationException.of(
            "audience", "is blank", "a non-blank audience, or leave unset for the role ARN");
      }
      if (roleSessionName != null && !SessionNames.VALID.matcher(roleSessionName).matches()) {
        throw ConfigurationException.of(
            "roleSessionName",
            "'" + roleSessionName + "' is not a valid RoleSessionName",
            "2 to 64 characters from letters, digits and +=,.@_- (or leave unset for the service"
                + " account email)");
      }
      if (duration != null
          && (duration.getNano() != 0
              || duration.getSeconds() < 900
              || duration.getSeconds() > 43200)) {
        throw ConfigurationException.of(
            "duration",
            duration + " is out of range",
            "whole seconds from 900 (15 min) to 43200 (12 h), at most the role's maximum session"
                + " duration");
      }
      if (sessionPolicy != null) {
        if (sessionPolicy.length() > 2048) {
          throw ConfigurationException.of(
              "policy",
              "is " + sessionPolicy.length() + " characters long",
              "a session policy JSON of at most 2048 characters");
        }
        if (Json.object(sessionPolicy).isEmpty()) {
          throw ConfigurationException.of(
              "policy", "is not valid JSON", "an IAM policy document JSON");
        }
      }
      if (policyArns.size() > 10) {
        throw ConfigurationException.of(
            "policyArns", policyArns.size() + " ARNs given", "at most 10 managed policy ARNs");
      }
      for (String arn : policyArns) {
        if (arn == null || !POLICY_ARN.matcher(arn).matches()) {
          throw ConfigurationException.of(
              "policyArns",
              "'" + arn + "' is not a managed policy ARN",
              "arn:aws:iam::<account|aws>:policy/<name>");
        }
      }
      String r = resolvedRegion();
      if (!REGION.matcher(r).matches()) {
        throw ConfigurationException.of(
            stsRegion != null ? "stsRegion" : "AWS_REGION",
            "'" + r + "' is not an AWS region",
            "a region code such as us-east-1 or eu-west-1");
      }
      if (stsEndpoint != null
          && (!stsEndpoint.isAbsolute()
              || stsEndpoint.getHost() == null
              || !List.of("http", "https")
                  .contains(stsEndpoint.getScheme().toLowerCase(Locale.ROOT)))) {
        throw ConfigurationException.of(
            "stsEndpoint",
            "'" + stsEndpoint + "' is not an absolute http(s) URI",
            "e.g. https://sts.eu-west-1.amazonaws.com");
      }
      if (deadline != null
          && (deadline.compareTo(Duration.ofMillis(1)) < 0
              || deadline.compareTo(Duration.ofDays(1)) > 0)) {
        throw ConfigurationException.of(
            "deadline", deadline + " is out of range", "from 1 ms to 1 day, e.g. 20s");
      }
      if (staleTime.isNegative() || prefetchTime.compareTo(staleTime) < 0) {
        throw ConfigurationException.of(
            "prefetchTime",
            "prefetchTime " + prefetchTime + " is shorter than staleTime " + staleTime,
            "0 <= staleTime <= prefetchTime (defaults 1 min and 5 min)");
      }
    }

    String resolvedAudience() {
      return audience != null ? audience : roleArn;
    }

    String resolvedRegion() {
      if (stsRegion != null) {
        return stsRegion.trim();
      }
      return environment
          .get("AWS_REGION")
          .or(() -> environment.get("AWS_DEFAULT_REGION"))
          .orElse("us-east-1");
    }

    /** See {@link ParallelStart#enabled}. */
    boolean parallelStart() {
      return ParallelStart.enabled(environment);
    }

    Duration resolvedDeadline() {
      return deadline != null ? deadline : transportPolicy.deadline();
    }

    Builder copy() {
      try {
        Builder c = (Builder) clone(); // every other field is immutable
        c.policyArns = new ArrayList<>(policyArns);
        return c;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e); // it is Cloneable
      }
    }
  }
}

package io.github.wif4j.aws;

import io.github.wif4j.aws.internal.RegionResolver;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Redaction;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetWebIdentityTokenResponse;
import software.amazon.awssdk.services.sts.model.OutboundWebIdentityFederationDisabledException;
import software.amazon.awssdk.services.sts.model.SessionDurationEscalationException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * An AWS-issued OIDC token (STS {@code GetWebIdentityToken}, "outbound identity federation") as the
 * subject token, for a Google pool whose provider is an <em>OIDC</em> provider trusting the AWS
 * account's issuer ({@code https://<id>.tokens.sts.global.api.aws}). Works wherever the workload
 * has AWS credentials (EC2, Lambda, ECS, EKS, AgentCore).
 *
 * <pre>{@code
 * FederatedCredentials google = FederatedCredentials.builder()
 *     .audience(WorkloadIdentityAudience.of("123456789012", "aws-pool", "aws-oidc"))
 *     .source(AwsOidcTokenSource.builder().build())   // credentials and region: AwsSource.create()
 *     .build();
 * }</pre>
 *
 * <p>Prerequisites on AWS: {@code aws iam enable-outbound-web-identity-federation} once per
 * account, and {@code sts:GetWebIdentityToken} allowed for the role. The token is requested with
 * {@code SigningAlgorithm=RS256} (Google STS does not accept ES384) from the <b>regional</b> STS
 * endpoint, with {@code aud} = the Google audience unless {@link Builder#tokenAudience(String)}
 * says otherwise. Tokens are cached until the prefetch point of their lifetime (default 5 minutes).
 *
 * <p>Thread-safe; {@link #close()} releases the STS client.
 */
public final class AwsOidcTokenSource implements SubjectTokenSource, AutoCloseable {
  private final AwsSource ownedSource;
  private final AwsCredentialsProvider credentials;
  private final String explicitRegion;
  private final AwsSource regionSource;
  private final URI stsEndpoint;
  private final TransportPolicy policy;
  private final Duration lifetime;
  private final String tokenAudience;
  private final RefreshingCache<SubjectToken> cache;
  private volatile String contextAudience;
  private volatile StsClient sts;

  private AwsOidcTokenSource(Builder b) {
    this.policy = b.transportPolicy;
    if (b.credentialsProvider != null) {
      this.credentials = b.credentialsProvider;
      this.ownedSource = null;
      this.regionSource = b.awsSource;
    } else {
      AwsSource source =
          b.awsSource != null ? b.awsSource : AwsSource.fromEnvironment(b.environment);
      this.ownedSource = b.awsSource == null ? source : null;
      this.regionSource = source;
      this.credentials = source.asCredentialsProvider();
    }
    this.explicitRegion = b.region;
    this.stsEndpoint =
        b.stsEndpoint != null
            ? b.stsEndpoint
            : b.environment
                .get("AWS_ENDPOINT_URL_STS")
                .map(AwsOidcTokenSource::stsUri)
                .orElse(null);
    this.lifetime = b.tokenLifetime;
    this.tokenAudience = b.tokenAudience;
    this.cache =
        RefreshingCache.<SubjectToken>builder(this::mint)
            .name("AWS web identity token")
            .clock(b.clock)
            .staleMargin(Duration.ofSeconds(30))
            .deadline(policy.deadline().plus(policy.deadline()))
            .build();
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String subjectTokenType() {
    return SubjectTokenType.JWT;
  }

  @Override
  public SubjectToken fetch(SourceContext context) throws IOException {
    if (contextAudience == null) {
      contextAudience = context.audience();
    }
    return cache.get();
  }

  @Override
  public String description() {
    return "AWS STS GetWebIdentityToken (outbound identity federation)";
  }

  private Refreshed<SubjectToken> mint() throws IOException {
    String audience = tokenAudience != null ? tokenAudience : contextAudience;
    if (audience == null) {
      throw ConfigurationException.missing(
          "AwsOidcTokenSource.Builder.tokenAudience", "the audience the Google provider allows");
    }
    GetWebIdentityTokenResponse r;
    try {
      r =
          client()
              .getWebIdentityToken(
                  q ->
                      q.audience(audience)
                          .signingAlgorithm("RS256")
                          .durationSeconds((int) lifetime.getSeconds()));
    } catch (OutboundWebIdentityFederationDisabledException e) {
      throw failure(
          "outbound identity federation is not enabled in this AWS account",
          "aws iam enable-outbound-web-identity-federation",
          e);
    } catch (SessionDurationEscalationException e) {
      throw failure(
          "the requested token lifetime ("
              + lifetime.getSeconds()
              + " s) outlives the caller's AWS session",
          "request a shorter token: AwsOidcTokenSource.builder().tokenLifetime(Duration.ofMinutes(5))",
          e);
    } catch (StsException e) {
      String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
      if (code != null && code.startsWith("AccessDenied")) {
        throw failure(
            "the role may not call sts:GetWebIdentityToken for audience " + audience,
            "allow sts:GetWebIdentityToken on the role, with sts:IdentityTokenAudience = \""
                + audience
                + "\" and sts:SigningAlgorithm = \"RS256\" if you condition on them",
            e);
      }
      throw failure("AWS STS refused GetWebIdentityToken", "see the AWS error above", e);
    } catch (SdkException e) {
      throw FederationException.builder(
              Step.SUBJECT_TOKEN,
              "AWS STS GetWebIdentityToken failed: "
                  + Redaction.scrub(String.valueOf(e.getMessage())))
          .fix(
              "Check that this host reaches the regional AWS STS endpoint (sts.REGION.amazonaws.com).")
          .retryable(true)
          .cause(e)
          .build();
    }
    SubjectToken token =
        SubjectToken.of(r.webIdentityToken(), SubjectTokenType.JWT, r.expiration());
    return Refreshed.expiringAt(token, r.expiration());
  }

  private static FederationException failure(String what, String fix, StsException e) {
    String code = e.awsErrorDetails() == null ? "?" : e.awsErrorDetails().errorCode();
    String message =
        e.awsErrorDetails() == null ? "" : Redaction.scrub(e.awsErrorDetails().errorMessage());
    return FederationException.builder(
            Step.SUBJECT_TOKEN,
            "AWS STS GetWebIdentityToken: " + what + " (" + code + ": " + message + ")")
        .fix(fix)
        .httpStatus(e.statusCode())
        .errorCode(code)
        .cause(e)
        .build();
  }

  private StsClient client() throws IOException {
    StsClient c = sts;
    if (c != null) {
      return c;
    }
    synchronized (this) {
      if (sts == null) {
        String region = explicitRegion != null ? explicitRegion : regionSource.region();
        sts = StsClients.create(region, credentials, stsEndpoint, policy);
      }
      return sts;
    }
  }

  @Override
  public void close() {
    cache.close();
    StsClient c = sts;
    if (c != null) {
      c.close();
    }
    if (ownedSource != null) {
      ownedSource.close();
    }
  }

  @Override
  public String toString() {
    return "AwsOidcTokenSource{lifetime=" + lifetime + "}";
  }

  /** Builder for {@link AwsOidcTokenSource}. */
  public static final class Builder {
    private AwsSource awsSource;
    private AwsCredentialsProvider credentialsProvider;
    private String region;
    private URI stsEndpoint;
    private Duration tokenLifetime = Duration.ofMinutes(5);
    private String tokenAudience;
    private Environment environment = Environment.system();
    private TransportPolicy transportPolicy = TransportPolicy.defaults();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Credentials and region from this source. Default {@link AwsSource#fromEnvironment}. */
    public Builder awsSource(AwsSource awsSource) {
      this.awsSource = Objects.requireNonNull(awsSource, "awsSource");
      return this;
    }

    /** Credentials from any SDK provider (then give {@link #region(String)} too). */
    public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
      this.credentialsProvider = Objects.requireNonNull(credentialsProvider, "credentialsProvider");
      return this;
    }

    /** The region whose STS endpoint mints the token. Default: the AWS source's region. */
    public Builder region(String region) {
      this.region = RegionResolver.validate("AwsOidcTokenSource.Builder.region", region);
      return this;
    }

    /** Overrides the STS endpoint (e.g. a VPC endpoint). Default {@code AWS_ENDPOINT_URL_STS}. */
    public Builder stsEndpoint(URI stsEndpoint) {
      this.stsEndpoint = Objects.requireNonNull(stsEndpoint, "stsEndpoint");
      return this;
    }

    /** {@code DurationSeconds}: 60 s to 1 h. Default 5 minutes. */
    public Builder tokenLifetime(Duration tokenLifetime) {
      long s = tokenLifetime.getSeconds();
      if (s < 60 || s > 3600) {
        throw ConfigurationException.of(
            "AwsOidcTokenSource.Builder.tokenLifetime",
            s + " s is outside what GetWebIdentityToken accepts",
            "between 60 s and 3600 s");
      }
      this.tokenLifetime = tokenLifetime;
      return this;
    }

    /**
     * The token's {@code aud}; must be in the Google provider's {@code --allowed-audiences}.
     * Default: the Google audience ({@code //iam.googleapis.com/projects/...}).
     */
    public Builder tokenAudience(String tokenAudience) {
      this.tokenAudience = Objects.requireNonNull(tokenAudience, "tokenAudience");
      return this;
    }

    /** Where environment variables are read. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Timeouts, retries and deadline for AWS STS. */
    public Builder transportPolicy(TransportPolicy transportPolicy) {
      this.transportPolicy = Objects.requireNonNull(transportPolicy, "transportPolicy");
      return this;
    }

    /** The cache's clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Builds; does no I/O. */
    public AwsOidcTokenSource build() {
      if (credentialsProvider != null && region == null && awsSource == null) {
        throw ConfigurationException.missing(
            "AwsOidcTokenSource.Builder.region",
            "the AWS region (GetWebIdentityToken is served by regional STS endpoints only)");
      }
      return new AwsOidcTokenSource(this);
    }
  }

  /** {@code AWS_ENDPOINT_URL_STS} as an absolute http(s) URI, or a ConfigurationException. */
  private static URI stsUri(String value) {
    try {
      URI u = new URI(value.trim());
      if (u.getHost() != null
          && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))) {
        return u;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw io.github.wif4j.core.ConfigurationException.of(
        "AWS_ENDPOINT_URL_STS",
        "'" + value.strip() + "' is not an absolute http(s) URL",
        "e.g. https://sts.us-east-1.amazonaws.com, or unset it");
  }
}

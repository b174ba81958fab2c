package io.github.wif4j.aws;

import io.github.wif4j.aws.internal.AwsEnv;
import io.github.wif4j.aws.internal.CredentialChain;
import io.github.wif4j.aws.internal.CredentialResolver;
import io.github.wif4j.aws.internal.DefaultChain;
import io.github.wif4j.aws.internal.ImdsClient;
import io.github.wif4j.aws.internal.Profiles;
import io.github.wif4j.aws.internal.RegionResolver;
import io.github.wif4j.aws.internal.SdkCredentials;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.AwsSigningMaterial;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.SourceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * AWS credentials and region as a subject-token source: Google's STS receives a GetCallerIdentity
 * request signed with them (google-auth builds and signs it).
 *
 * <p>By default the credentials come from the AWS SDK's own providers, in the order of its default
 * chain, each given its settings through {@link Environment}: system properties and environment
 * variables (Lambda), the web identity token file (EKS IRSA) through {@code
 * StsAssumeRoleWithWebIdentityCredentialsProvider}, {@code ProfileCredentialsProvider} (incl.
 * {@code credential_process}), the container endpoint (ECS, EKS Pod Identity, Lambda SnapStart)
 * with the SDK's credentials loader, then {@code InstanceProfileCredentialsProvider} (EC2 with
 * IMDSv2 and IMDSv1 fallback, and Amazon Bedrock AgentCore Runtime). wif4j adds what the SDK lacks:
 * retries of the metadata endpoints with backoff, a deadline, and one error listing every place
 * tried. Or pass any SDK {@link AwsCredentialsProvider}.
 *
 * <pre>{@code
 * FederatedCredentials google = FederatedCredentials.builder()
 *     .audience(WorkloadIdentityAudience.of("123456789012", "aws-pool", "aws-provider"))
 *     .serviceAccount("vertex-caller@my-project.iam.gserviceaccount.com")
 *     .source(AwsSource.create())
 *     .build();
 * }</pre>
 *
 * <p><b>Caching.</b> Credentials are reused until the prefetch point of their own expiry (75-80% of
 * their lifetime, renewed in the background) and the region is resolved once, so a steady-state
 * Google token refresh makes no AWS request at all. Nothing happens at construction: the first
 * {@link #fetch} resolves (no eager probing, which matters for Lambda cold starts).
 *
 * <p>Thread-safe; share one instance. {@link #close()} releases the SDK clients it built.
 *
 * @throws FederationException from {@link #fetch} when no credentials or region can be found,
 *     listing each place tried and the fix
 */
public final class AwsSource implements AwsSigningSource, AutoCloseable {
  private final CredentialResolver credentials;
  private final RegionResolver region;
  private final RefreshingCache<AwsSigningMaterial> cache;
  private final String description;

  private AwsSource(Builder b) {
    Environment env = b.environment;
    TransportPolicy policy = b.transportPolicy;
    URI imdsEndpoint = b.imdsEndpoint();
    Duration metadataTimeout = b.metadataTimeout();
    Profiles profiles = new Profiles(env);
    ImdsClient imds =
        AwsEnv.isTrue(env, AwsEnv.IMDS_DISABLED)
            ? null
            : new ImdsClient(
                imdsEndpoint, policy, metadataTimeout, AwsEnv.isTrue(env, AwsEnv.IMDS_V1_DISABLED));
    this.region = new RegionResolver(b.region, env, profiles, imds);
    if (b.provider != null) {
      this.credentials = SdkCredentials.of(b.provider);
      this.description = "AWS credentials from " + b.provider.getClass().getSimpleName();
    } else {
      this.credentials =
          DefaultChain.create(
              new DefaultChain.Settings(
                  env,
                  profiles,
                  policy,
                  imdsEndpoint,
                  metadataTimeout,
                  this::regionUnchecked,
                  b.stsEndpoint));
      this.description = "AWS credentials from the default chain";
    }
    this.cache =
        RefreshingCache.<AwsSigningMaterial>builder(this::load)
            .name("AWS credentials")
            .clock(b.clock)
            .deadline(policy.deadline().plus(policy.deadline()))
            .defaultLifetime(Duration.ofMinutes(15))
            .listener(b.refreshListener)
            .build();
  }

  /** The default chain, reading the process environment. */
  public static AwsSource create() {
    return builder().build();
  }

  /** The default chain, reading {@code environment}. */
  public static AwsSource fromEnvironment(Environment environment) {
    return builder().environment(environment).build();
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public AwsSigningMaterial fetch(SourceContext context) throws IOException {
    return cache.get();
  }

  /**
   * Drops the cached credentials and the SDK providers holding any (before a checkpoint, after a
   * restore): the next fetch builds them anew from the environment of the restored JVM.
   */
  @Override
  public void forgetCached() {
    invalidate();
  }

  /** The region, resolved on first use. */
  public String region() throws IOException {
    return region.resolve();
  }

  /** Where the credentials in use came from, e.g. {@code environment variables}. */
  public String credentialsOrigin() {
    return credentials.name();
  }

  @Override
  public String description() {
    return description
        + region.origin().map(o -> ", region from " + o).orElse("")
        + (credentials instanceof CredentialChain
            ? ((CredentialChain) credentials).lastUsed().map(l -> " (" + l.name() + ")").orElse("")
            : "");
  }

  /**
   * This source as an SDK {@link AwsCredentialsProvider}, sharing its cache (e.g. for an AWS client
   * in the same process).
   */
  public AwsCredentialsProvider asCredentialsProvider() {
    return () -> {
      try {
        AwsSigningMaterial m = cache.get();
        if (m.sessionToken().isEmpty()) {
          return AwsBasicCredentials.create(m.accessKeyId(), m.secretAccessKey());
        }
        AwsSessionCredentials.Builder b =
            AwsSessionCredentials.builder()
                .accessKeyId(m.accessKeyId())
                .secretAccessKey(m.secretAccessKey())
                .sessionToken(m.sessionToken().get())
                .providerName("wif4j-AwsSource");
        m.expiresAt().ifPresent(b::expirationTime);
        return b.build();
      } catch (IOException e) {
        throw software.amazon.awssdk.core.exception.SdkClientException.create(e.getMessage(), e);
      }
    };
  }

  private Refreshed<AwsSigningMaterial> load() throws IOException {
    String r = region.resolve();
    AwsCredentials c = credentials.resolve();
    AwsSigningMaterial.Builder m =
        AwsSigningMaterial.builder()
            .accessKeyId(c.accessKeyId())
            .secretAccessKey(c.secretAccessKey())
            .region(r);
    if (c instanceof AwsSessionCredentials) {
      m.sessionToken(((AwsSessionCredentials) c).sessionToken());
    }
    Optional<java.time.Instant> expiry = c.expirationTime();
    expiry.ifPresent(m::expiresAt);
    AwsSigningMaterial material = m.build();
    return expiry.isPresent()
        ? Refreshed.expiringAt(material, expiry.get())
        : Refreshed.withoutExpiry(material);
  }

  private String regionUnchecked() {
    try {
      return region.resolve();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Drops the cached credentials, including those the SDK providers hold, so the next {@link
   * #fetch} resolves fresh ones (e.g. after Google STS rejected their signature).
   */
  public void invalidate() {
    credentials.reset();
    cache.invalidate();
  }

  @Override
  public void close() {
    cache.close();
    credentials.reset(); // closes the SDK providers and the STS client they built
  }

  @Override
  public String toString() {
    return "AwsSource{" + description() + "}";
  }

  /** Builder for {@link AwsSource}. All settings optional. */
  public static final class Builder {
    private AwsCredentialsProvider provider;
    private String region;
    private Environment environment = Environment.system();
    private TransportPolicy transportPolicy = TransportPolicy.defaults();
    private URI imdsEndpoint;
    private Duration metadataTimeout;
    private URI stsEndpoint;
    private Clock clock = Clock.systemUTC();
    private RefreshListener refreshListener;

    private Builder() {}

    /**
     * Any AWS SDK provider instead of the default chain, e.g. {@code
     * DefaultCredentialsProvider.builder().build()} or a {@code StaticCredentialsProvider}.
     */
    public Builder credentialsProvider(AwsCredentialsProvider provider) {
      this.provider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /** The region to sign for. Default: {@code AWS_REGION}, profile, then instance metadata. */
    public Builder region(String region) {
      this.region = Objects.requireNonNull(region, "region");
      return this;
    }

    /** Where environment variables are read. Default {@link Environment#system()}. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Timeouts, retries and deadline of the metadata and container endpoints and AWS STS. */
    public Builder transportPolicy(TransportPolicy transportPolicy) {
      this.transportPolicy = Objects.requireNonNull(transportPolicy, "transportPolicy");
      return this;
    }

    /**
     * The instance metadata base URI. Default {@code AWS_EC2_METADATA_SERVICE_ENDPOINT}, else
     * {@code http://169.254.169.254} ({@code http://[fd00:ec2::254]} with {@code
     * AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6}).
     */
    public Builder imdsEndpoint(URI imdsEndpoint) {
      this.imdsEndpoint = Objects.requireNonNull(imdsEndpoint, "imdsEndpoint");
      return this;
    }

    /**
     * The connect and read timeout of each instance metadata request (the SDK's {@code
     * metadata_service_timeout}); a token request that takes longer falls back to IMDSv1. Default
     * {@code AWS_METADATA_SERVICE_TIMEOUT} seconds, else 1 s (the SDK's default).
     */
    public Builder metadataTimeout(Duration metadataTimeout) {
      this.metadataTimeout = Objects.requireNonNull(metadataTimeout, "metadataTimeout");
      return this;
    }

    /**
     * AWS STS endpoint for the web identity flow. Default {@code AWS_ENDPOINT_URL_STS}, else
     * regional.
     */
    public Builder stsEndpoint(URI stsEndpoint) {
      this.stsEndpoint = Objects.requireNonNull(stsEndpoint, "stsEndpoint");
      return this;
    }

    /** The cache's clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Receives the refresh events of this source's cache (they also go to JDK Flight Recorder).
     * Default none.
     */
    public Builder refreshListener(RefreshListener refreshListener) {
      this.refreshListener = refreshListener;
      return this;
    }

    /**
     * Validates and builds; does no I/O.
     *
     * @throws ConfigurationException naming the field: a malformed region or endpoint
     */
    public AwsSource build() {
      if (region != null) {
        RegionResolver.validate("AwsSource.Builder.region", region);
      }
      imdsEndpoint();
      metadataTimeout();
      if (stsEndpoint != null) {
        ImdsClient.checkHttp(
            "AwsSource.Builder.stsEndpoint",
            stsEndpoint.toString(),
            "https://sts.REGION.amazonaws.com");
      }
      return new AwsSource(this);
    }

    URI imdsEndpoint() {
      return imdsEndpoint != null
          ? ImdsClient.checkHttp(
              "AwsSource.Builder.imdsEndpoint", imdsEndpoint.toString(), "http://169.254.169.254")
          : ImdsClient.endpointFrom(environment);
    }

    Duration metadataTimeout() {
      if (metadataTimeout != null) {
        return metadataTimeout;
      }
      Optional<String> seconds = AwsEnv.read(environment, AwsEnv.IMDS_TIMEOUT);
      try {
        double s = seconds.map(v -> Double.parseDouble(v.trim())).orElse(1.0);
        if (s <= 0 || s > 60) {
          throw new NumberFormatException();
        }
        return Duration.ofMillis((long) (s * 1000));
      } catch (NumberFormatException e) {
        throw ConfigurationException.of(
            AwsEnv.IMDS_TIMEOUT,
            "'" + seconds.orElse("") + "' is not a timeout",
            "seconds, e.g. 1 or 2.5");
      }
    }
  }
}

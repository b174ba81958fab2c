package io.github.wif4j.core;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.AwsCredentials;
import com.google.auth.oauth2.AwsSecurityCredentials;
import com.google.auth.oauth2.AwsSecurityCredentialsSupplier;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.ExternalAccountSupplierContext;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdentityPoolCredentials;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.cache.SharedExecutors;
import io.github.wif4j.core.config.AwsCredentialSource;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.http.OperationDeadline;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.http.Wif4jTransportFactory;
import io.github.wif4j.core.internal.Diagnostics;
import io.github.wif4j.core.internal.Endpoints;
import io.github.wif4j.core.internal.SourceRejection;
import io.github.wif4j.core.spi.AwsSigningMaterial;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * Google credentials obtained by Workload Identity Federation: a drop-in {@link GoogleCredentials}
 * for any Google Cloud client, google-genai included.
 *
 * <p>A subject token from a {@link Source} (AWS, Azure, a file, ...) is exchanged at Google STS by
 * google-auth, optionally followed by service-account impersonation. wif4j adds what the stock
 * credentials lack:
 *
 * <ul>
 *   <li>the token is renewed in the background at 75-80% of its lifetime, so callers of {@link
 *       #getRequestMetadata(URI)}, {@link #refreshIfExpired()} and {@link #getAccessToken()} do not
 *       wait for a refresh in steady state;
 *   <li>any number of callers on an expired token cause exactly one exchange;
 *   <li>a failed refresh keeps serving the still-valid token, retrying with backoff;
 *   <li>every HTTP call has timeouts, retries with jitter and a deadline ({@link TransportPolicy});
 *   <li>errors say which step failed and how to fix the cloud setup.
 * </ul>
 *
 * <pre>{@code
 * GoogleCredentials credentials = FederatedCredentials.builder()
 *     .audience(WorkloadIdentityAudience.of("123456789012", "my-pool", "my-aws-provider"))
 *     .serviceAccount("vertex-caller@my-project.iam.gserviceaccount.com")
 *     .source(AwsSource.create())   // or omit: detected from the environment
 *     .build();
 * }</pre>
 *
 * <p>Share one instance per identity; it is thread-safe. Building does no I/O and starts no thread.
 * {@link #close()} stops background refreshes. Failures surface as {@link FederationException} (an
 * {@code IOException}); bad configuration as {@link ConfigurationException} at build time.
 */
public final class FederatedCredentials extends GoogleCredentials implements AutoCloseable {
  private static final long serialVersionUID = 1L;

  /**
   * Set to {@code true} for the TLS warm-up: the first exchange then starts TLS handshakes with
   * Google STS (and IAM Credentials when impersonating) on a background thread while the source
   * obtains the subject token. It shortens the first token in a fresh JVM when a second core is
   * idle; on a starved CPU it competes with the source's own requests (tight metadata timeouts), so
   * it is off by default (docs/BENCHMARKS.md, cold start).
   */
  public static final String ENV_TLS_WARMUP = "WIF4J_TLS_WARMUP";

  private final transient FederationSettings settings;
  private final transient Source source;
  private final transient ExternalAccountCredentials exchange;
  private final transient RefreshingCache<Snapshot> cache;
  private transient volatile AccessToken published;
  private final transient ThreadLocal<Snapshot> publishing = new ThreadLocal<>();
  private final transient Builder origin;
  private final transient Diagnostics diagnostics;
  private final transient Wif4jTransportFactory transport;
  private transient volatile List<URI> warmUp; // null once the first exchange has started

  private FederatedCredentials(
      Builder b,
      FederationSettings settings,
      ExternalAccountCredentials exchange,
      Wif4jTransportFactory transport) {
    super(parentBuilder(settings));
    this.origin = b;
    this.settings = settings;
    this.source = b.source != null ? b.source : b.fileSource;
    this.exchange = exchange;
    this.transport = transport;
    this.warmUp = b.tlsWarmUp(settings);
    this.diagnostics = new Diagnostics(settings, this.source, b.lastSubjectClaims);
    RefreshingCache.Builder<Snapshot> cb =
        RefreshingCache.builder(this::exchangeToken)
            .name("wif4j google token")
            .clock(b.clock)
            .deadline(b.refreshDeadline)
            .staleMargin(b.staleMargin)
            .listener(b.refreshListener);
    if (b.executor != null) {
      cb.executor(b.executor);
    }
    if (b.backgroundRefresh) {
      cb.scheduler(SharedExecutors.scheduler());
    }
    this.cache = cb.build();
  }

  private static GoogleCredentials.Builder parentBuilder(FederationSettings settings) {
    GoogleCredentials.Builder b = GoogleCredentials.newBuilder();
    b.setQuotaProjectId(settings.quotaProjectId().orElse(null));
    b.setUniverseDomain(settings.universeDomain());
    // The cache decides when to refresh; google-auth's own margins must not trigger a second,
    // blocking refresh first.
    b.setRefreshMargin(Duration.ZERO);
    b.setExpirationMargin(Duration.ZERO);
    return b;
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Credentials configured entirely from the environment: {@code WIF4J_CREDENTIAL_CONFIG} or {@code
   * GOOGLE_APPLICATION_CREDENTIALS} (an {@code external_account} file), else the {@code WIF4J_*}
   * variables of {@link FederationSettings#fromEnvironment(Environment)} with a detected source.
   */
  public static FederatedCredentials fromEnvironment() {
    return fromEnvironment(Environment.system());
  }

  /** As {@link #fromEnvironment()}, reading {@code environment}. */
  public static FederatedCredentials fromEnvironment(Environment environment) {
    Optional<ExternalAccountConfig> config = ExternalAccountConfig.fromEnvironment(environment);
    Builder b = builder().environment(environment);
    if (config.isPresent()) {
      return b.config(config.get()).build();
    }
    return b.settings(FederationSettings.fromEnvironment(environment)).build();
  }

  /**
   * Credentials from an {@code external_account} configuration. Its {@code credential_source} is
   * served by a wif4j source when a module on the class path serves that kind with the file's
   * settings (wif4j-aws-source: {@code aws1}; wif4j-azure-source: an Azure managed-identity {@code
   * url}), with wif4j's caching, retries and errors; otherwise google-auth reads it. Either way the
   * file's text reaches google-auth unchanged.
   */
  public static FederatedCredentials fromConfig(ExternalAccountConfig config) {
    return builder().config(config).build();
  }

  /**
   * A builder with this instance's configuration, for variations. ({@code toBuilder()} is taken by
   * {@link GoogleCredentials}.)
   */
  public Builder toFederatedBuilder() {
    return origin.copy();
  }

  /** The federation settings in force. */
  public FederationSettings settings() {
    return settings;
  }

  /**
   * The subject-token source: given, detected, or serving the config file's {@code
   * credential_source}; empty when google-auth runs the config file's own source.
   */
  public Optional<Source> source() {
    return Optional.ofNullable(source);
  }

  /** The underlying google-auth credentials that perform the exchange. */
  public ExternalAccountCredentials exchangeCredentials() {
    return exchange;
  }

  // ---- GoogleCredentials contract ------------------------------------------------------------

  @Override
  public Map<String, List<String>> getRequestMetadata(URI uri) throws IOException {
    return metadata();
  }

  private Map<String, List<String>> metadata() throws IOException {
    Snapshot s = cache.get();
    if (s.token != published) {
      publish(s); // once per new token: getAccessToken() then sees what callers use
    }
    return s.metadata;
  }

  @Override
  public void getRequestMetadata(
      URI uri, Executor executor, com.google.auth.RequestMetadataCallback callback) {
    if (cache.peek().isPresent()) {
      try {
        callback.onSuccess(metadata()); // does not block: the token is not stale
      } catch (IOException | RuntimeException e) {
        callback.onFailure(e);
      }
      return;
    }
    executor.execute(
        () -> {
          Map<String, List<String>> metadata;
          try {
            metadata = metadata();
          } catch (IOException | RuntimeException e) {
            callback.onFailure(e);
            return;
          }
          callback.onSuccess(metadata);
        });
  }

  @Override
  public void refreshIfExpired() throws IOException {
    publish(cache.get());
  }

  @Override
  public void refresh() throws IOException {
    publish(cache.refreshNow());
  }

  @Override
  public AccessToken refreshAccessToken() throws IOException {
    Snapshot p = publishing.get();
    return p != null ? p.token : cache.get().token;
  }

  @Override
  public boolean hasRequestMetadata() {
    return true;
  }

  @Override
  public boolean hasRequestMetadataOnly() {
    return true;
  }

  @Override
  public boolean createScopedRequired() {
    return false;
  }

  @Override
  public GoogleCredentials createScoped(Collection<String> scopes) {
    if (scopes == null
        || scopes.isEmpty()
        || new LinkedHashSet<>(scopes).equals(new LinkedHashSet<>(settings.scopes()))) {
      return this;
    }
    return toFederatedBuilder().scopes(List.copyOf(scopes)).build();
  }

  @Override
  public GoogleCredentials createScoped(
      Collection<String> scopes, Collection<String> defaultScopes) {
    return createScoped(scopes == null || scopes.isEmpty() ? defaultScopes : scopes);
  }

  /**
   * A copy billing {@code quotaProject} (Google client libraries call this when a quota project is
   * configured). google-auth's default would return plain credentials holding the current token,
   * which never refresh; this returns federated credentials of the same configuration.
   */
  @Override
  public GoogleCredentials createWithQuotaProject(String quotaProject) {
    if (quotaProject == null || quotaProject.equals(settings.quotaProjectId().orElse(null))) {
      return this;
    }
    return toFederatedBuilder().quotaProjectId(quotaProject).build();
  }

  /** Stops background refreshes. The credentials keep working, refreshing on demand. */
  @Override
  public void close() {
    cache.close();
  }

  @Override
  public boolean equals(Object obj) {
    return this == obj;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "FederatedCredentials{audience="
        + settings.audience()
        + ", serviceAccount="
        + settings.serviceAccountEmail().orElse("(direct access)")
        + ", source="
        + (source == null ? "external_account config" : source.description())
        + ", token expiresAt="
        + cache.expiresAt().map(Instant::toString).orElse("(none yet)")
        + "}";
  }

  // ---- internals -----------------------------------------------------------------------------

  /** Pushes the cached token into google-auth's own field, so getAccessToken() sees it. */
  private void publish(Snapshot s) throws IOException {
    if (super.getAccessToken() != s.token) {
      publishing.set(s);
      try {
        super.refresh(); // calls refreshAccessToken(), which returns s.token without I/O
      } finally {
        publishing.remove();
      }
    }
    published = s.token;
  }

  private Refreshed<Snapshot> exchangeToken() throws IOException {
    List<URI> endpoints = warmUp;
    if (endpoints != null) {
      warmUp = null;
      transport.warmUp(endpoints); // TLS set up on another core while the source runs
    }
    AccessToken token;
    // One deadline for the source, STS and IAM calls together, ending a little before the cache
    // gives up waiting, so the caller sees which step was slow rather than a bare timeout.
    try (OperationDeadline d = OperationDeadline.start(operationBudget(origin.refreshDeadline))) {
      token = exchange.refreshAccessToken();
    } catch (IOException | RuntimeException e) {
      FederationException explained = diagnostics.explain(e);
      if (source != null && SourceRejection.pointsAtSource(e)) {
        source
            .forgetCached(); // the next attempt re-reads the credentials instead of re-sending them
      }
      throw explained;
    }
    Snapshot s = new Snapshot(token, settings.quotaProjectId().orElse(null));
    Date exp = token.getExpirationTime();
    return exp == null ? Refreshed.withoutExpiry(s) : Refreshed.expiringAt(s, exp.toInstant());
  }

  private static Duration operationBudget(Duration refreshDeadline) {
    // room to build and hand over the explained error (a loaded host needs a few hundred ms)
    Duration margin = refreshDeadline.dividedBy(4);
    if (margin.compareTo(Duration.ofSeconds(1)) > 0) {
      margin = Duration.ofSeconds(1);
    }
    return refreshDeadline.minus(margin);
  }

  /** A token and the request headers derived from it, computed once per token. */
  private static final class Snapshot {
    final AccessToken token;
    final Map<String, List<String>> metadata;

    Snapshot(AccessToken token, String quotaProject) {
      this.token = token;
      Map<String, List<String>> m = new HashMap<>();
      m.put("Authorization", List.of("Bearer " + token.getTokenValue()));
      if (quotaProject != null) {
        m.put("x-goog-user-project", List.of(quotaProject));
      }
      this.metadata = Map.copyOf(m);
    }

    @Override
    public String toString() {
      return "Snapshot{expiresAt=" + token.getExpirationTime() + "}";
    }
  }

  /**
   * Builder for {@link FederatedCredentials}. Either {@link #settings(FederationSettings)} or the
   * shorthand setters; either a {@link #source(Source)} or a {@link #config(ExternalAccountConfig)}
   * (or neither: the source is then detected).
   */
  public static final class Builder {
    private FederationSettings.Builder settings = FederationSettings.builder();
    private boolean settingsTouched;
    private Source source;
    private Source fileSource; // serves config's credential_source; shared by copies
    private ExternalAccountConfig config;
    private Environment environment = Environment.system();
    private TransportPolicy transportPolicy = TransportPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private Duration refreshDeadline = Duration.ofSeconds(30);
    private Duration staleMargin = Duration.ofMinutes(1);
    private boolean backgroundRefresh = true;
    private Executor executor;
    private RefreshListener refreshListener;
    private String regionalCredentialVerificationUrl;
    private List<String> allowedEndpointHosts = List.of();
    private final Diagnostics.ClaimsHolder lastSubjectClaims = new Diagnostics.ClaimsHolder();

    private Builder() {}

    Builder copy() {
      Builder b = new Builder();
      b.settings = settings.build().toBuilder();
      b.settingsTouched = settingsTouched;
      b.source = source;
      b.config = config;
      b.fileSource = fileSource;
      b.environment = environment;
      b.transportPolicy = transportPolicy;
      b.clock = clock;
      b.refreshDeadline = refreshDeadline;
      b.staleMargin = staleMargin;
      b.backgroundRefresh = backgroundRefresh;
      b.executor = executor;
      b.refreshListener = refreshListener;
      b.regionalCredentialVerificationUrl = regionalCredentialVerificationUrl;
      b.allowedEndpointHosts = allowedEndpointHosts;
      return b;
    }

    /** All federation settings at once; replaces earlier shorthand calls. */
    public Builder settings(FederationSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings").toBuilder();
      this.settingsTouched = true;
      return this;
    }

    /** The provider's full resource name (see {@link WorkloadIdentityAudience}). */
    public Builder audience(String audience) {
      settings.audience(audience);
      settingsTouched = true;
      return this;
    }

    /** The provider. */
    public Builder audience(WorkloadIdentityAudience audience) {
      settings.audience(audience);
      settingsTouched = true;
      return this;
    }

    /** Impersonate this service account; omit for direct resource access. */
    public Builder serviceAccount(String email) {
      settings.serviceAccount(email);
      settingsTouched = true;
      return this;
    }

    /** Lifetime of impersonated tokens, 600 s to 43200 s. Default 3600 s. */
    public Builder tokenLifetime(Duration lifetime) {
      settings.tokenLifetime(lifetime);
      settingsTouched = true;
      return this;
    }

    /** OAuth scopes. Default cloud-platform. */
    public Builder scopes(List<String> scopes) {
      settings.scopes(scopes);
      settingsTouched = true;
      return this;
    }

    /** The project billed for quota ({@code x-goog-user-project}). */
    public Builder quotaProjectId(String quotaProjectId) {
      settings.quotaProjectId(quotaProjectId);
      settingsTouched = true;
      return this;
    }

    /** Google STS endpoint. Default {@code https://sts.googleapis.com/v1/token}. */
    public Builder tokenUrl(String tokenUrl) {
      settings.tokenUrl(tokenUrl);
      settingsTouched = true;
      return this;
    }

    /** Where the subject token comes from. Default: detected ({@link SourceDetector}). */
    public Builder source(Source source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * Settings and source from an {@code external_account} configuration. A later {@link
     * #source(Source)} replaces the file's source while keeping audience, impersonation and
     * lifetime (e.g. to upgrade a gcloud AWS file to the AWS SDK chain).
     */
    public Builder config(ExternalAccountConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      this.fileSource = null;
      this.settings = config.settings().toBuilder();
      this.settingsTouched = true;
      return this;
    }

    /** Where sources read env vars. Default {@link Environment#system()}. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Timeouts, retries and deadline of every HTTP call. */
    public Builder transportPolicy(TransportPolicy transportPolicy) {
      this.transportPolicy = Objects.requireNonNull(transportPolicy, "transportPolicy");
      return this;
    }

    /** The time source of the token cache. Default system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The longest a caller waits for a token exchange, and the budget of the whole exchange (every
     * HTTP call of the source, STS and IAM together). Default 30 s; 1 ms to 1 day.
     */
    public Builder refreshDeadline(Duration refreshDeadline) {
      Objects.requireNonNull(refreshDeadline, "refreshDeadline");
      if (refreshDeadline.compareTo(Duration.ofMillis(1)) < 0
          || refreshDeadline.compareTo(Duration.ofDays(1)) > 0) {
        throw ConfigurationException.of(
            "FederatedCredentials.Builder.refreshDeadline",
            refreshDeadline + " is out of range",
            "a duration from 1 ms to 1 day, e.g. PT30S");
      }
      this.refreshDeadline = refreshDeadline;
      return this;
    }

    /** How long before expiry a token stops being served. Default 1 min. */
    public Builder staleMargin(Duration staleMargin) {
      this.staleMargin = Objects.requireNonNull(staleMargin, "staleMargin");
      return this;
    }

    /** Also refresh on a timer when nobody calls. Default true. */
    public Builder backgroundRefresh(boolean backgroundRefresh) {
      this.backgroundRefresh = backgroundRefresh;
      return this;
    }

    /** Where background refreshes run. Default a shared daemon pool. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Receives the refresh events of the Google token (they also go to JDK Flight Recorder): a
     * failure of the source or of STS shows as a failed refresh with its step and fix. Copies made
     * by {@code createScoped} and friends report to the same listener. Default none.
     */
    public Builder refreshListener(RefreshListener refreshListener) {
      this.refreshListener = refreshListener;
      return this;
    }

    /**
     * For AWS sources: the STS GetCallerIdentity URL Google replays, with {@code {region}}; e.g. a
     * FIPS endpoint. Default {@code
     * https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15}.
     */
    public Builder regionalCredentialVerificationUrl(String url) {
      this.regionalCredentialVerificationUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * Also sends credentials to these hosts, beyond the default allow-list (Google STS and IAM
     * Credentials on the universe domain; metadata addresses and loopback for credential sources).
     * For a proxy, a private endpoint under another name, or a local fake in tests ({@code
     * "127.0.0.1"}); {@code "*.example.com"} allows the subdomains. The environment variable {@code
     * WIF4J_ALLOWED_ENDPOINT_HOSTS} (comma-separated) does the same. Check a configuration from
     * elsewhere before allowing its hosts: whoever runs them receives your tokens.
     */
    public Builder allowEndpointHost(String... hosts) {
      List<String> all = new java.util.ArrayList<>(allowedEndpointHosts);
      for (String h : hosts) {
        if (h == null || h.isBlank()) {
          throw ConfigurationException.of(
              "FederatedCredentials.Builder.allowEndpointHost", "is blank", "a host name");
        }
        all.add(h);
      }
      this.allowedEndpointHosts = List.copyOf(all);
      return this;
    }

    /**
     * Validates and builds. Does no I/O except, when no source or config is given, cheap source
     * detection (environment variables first).
     *
     * @throws ConfigurationException naming the field when the configuration cannot work, or an
     *     endpoint is not on the allow-list (see {@link #allowEndpointHost(String...)})
     * @throws IllegalStateException wrapping a {@link FederationException} when detection finds no
     *     source
     */
    public FederatedCredentials build() {
      if (!settingsTouched) {
        throw ConfigurationException.missing(
            "FederatedCredentials.Builder.audience",
            "the workload identity provider, e.g."
                + " //iam.googleapis.com/projects/123456789012/locations/global/"
                + "workloadIdentityPools/POOL/providers/PROVIDER, or settings(...) / config(...)");
      }
      FederationSettings s = settings.build();
      Wif4jTransportFactory transport = Wif4jTransportFactory.create(transportPolicy);
      Source src = source;
      if (src == null && config == null) {
        try {
          src = SourceDetector.detect(environment);
        } catch (FederationException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
        source = src;
      }
      // the file's credential_source is used (by google-auth or a wif4j module): its URLs too
      // must be on the allow-list, checked before anything is built
      Endpoints.of(environment, allowedEndpointHosts)
          .check(s, src == null ? config.credentialSource() : null);
      if (src == null && fileSource == null) {
        // a file whose credential_source a wif4j module serves better (AWS aws1, Azure url)
        fileSource =
            SourceDetector.forConfiguration(config, environment, transportPolicy).orElse(null);
      }
      if (src == null) {
        src = fileSource;
      }
      ExternalAccountCredentials exchange =
          src == null ? fromConfigFile(s, transport) : fromSource(s, src, transport);
      return new FederatedCredentials(this, s, exchange, transport);
    }

    /** The endpoints to shake hands with ahead of the first exchange; null unless switched on. */
    List<URI> tlsWarmUp(FederationSettings s) {
      if (!environment.get(ENV_TLS_WARMUP).map("true"::equalsIgnoreCase).orElse(false)) {
        return null;
      }
      List<URI> endpoints = new ArrayList<>();
      endpoints.add(s.tokenUrl());
      s.serviceAccountImpersonationUrl().ifPresent(endpoints::add);
      return endpoints;
    }

    private ExternalAccountCredentials fromConfigFile(
        FederationSettings s, Wif4jTransportFactory transport) {
      return ConfigFileCredentials.load(config, s, transport);
    }

    private ExternalAccountCredentials fromSource(
        FederationSettings s, Source src, Wif4jTransportFactory transport) {
      Map<String, Object> impersonationOptions = new HashMap<>();
      impersonationOptions.put("token_lifetime_seconds", (int) s.tokenLifetime().getSeconds());
      String impersonationUrl = s.serviceAccountImpersonationUrl().map(URI::toString).orElse(null);
      Environment env = environment;
      if (src instanceof AwsSigningSource) {
        AwsSigningSource aws = (AwsSigningSource) src;
        AwsCredentials.Builder b =
            AwsCredentials.newBuilder()
                .setAwsSecurityCredentialsSupplier(new AwsSupplier(aws, env))
                .setSubjectTokenType(SubjectTokenType.AWS4_REQUEST);
        String verificationUrl = regionalCredentialVerificationUrl;
        if (verificationUrl == null
            && config != null
            && config.credentialSource() instanceof AwsCredentialSource) {
          // a gcloud AWS file upgraded to another AWS source keeps its (e.g. FIPS) endpoint
          verificationUrl =
              ((AwsCredentialSource) config.credentialSource()).regionalCredVerificationUrl();
        }
        if (verificationUrl != null) {
          b.setRegionalCredentialVerificationUrlOverride(verificationUrl);
        }
        common(b, s, transport, impersonationUrl, impersonationOptions);
        return b.build();
      }
      if (src instanceof SubjectTokenSource) {
        SubjectTokenSource tokens = (SubjectTokenSource) src;
        IdentityPoolCredentials.Builder b =
            IdentityPoolCredentials.newBuilder()
                .setSubjectTokenSupplier(
                    ctx -> {
                      SubjectToken t = tokens.fetch(context(ctx, env));
                      lastSubjectClaims.remember(t.value());
                      return t.value();
                    })
                .setSubjectTokenType(tokens.subjectTokenType());
        common(b, s, transport, impersonationUrl, impersonationOptions);
        return b.build();
      }
      throw ConfigurationException.of(
          "FederatedCredentials.Builder.source",
          src.getClass().getName() + " implements neither SubjectTokenSource nor AwsSigningSource",
          "a source from wif4j-aws-source or wif4j-azure-source, or your own implementation of"
              + " one of the two interfaces");
    }

    private static void common(
        ExternalAccountCredentials.Builder b,
        FederationSettings s,
        Wif4jTransportFactory transport,
        String impersonationUrl,
        Map<String, Object> impersonationOptions) {
      b.setHttpTransportFactory(transport)
          .setAudience(s.audience().toString())
          .setTokenUrl(s.tokenUrl().toString())
          .setScopes(s.scopes())
          .setUniverseDomain(s.universeDomain());
      s.quotaProjectId().ifPresent(b::setQuotaProjectId);
      s.tokenInfoUrl().ifPresent(u -> b.setTokenInfoUrl(u.toString()));
      s.workforcePoolUserProject().ifPresent(b::setWorkforcePoolUserProject);
      if (impersonationUrl != null) {
        b.setServiceAccountImpersonationUrl(impersonationUrl);
        b.setServiceAccountImpersonationOptions(impersonationOptions);
      }
    }

    private static SourceContext context(ExternalAccountSupplierContext ctx, Environment env) {
      return SourceContext.of(ctx.getAudience(), ctx.getSubjectTokenType(), env);
    }

    /** Adapts an {@link AwsSigningSource} to google-auth's supplier. */
    private static final class AwsSupplier implements AwsSecurityCredentialsSupplier {
      private static final long serialVersionUID = 1L;
      private final transient AwsSigningSource source;
      private final transient Environment env;

      AwsSupplier(AwsSigningSource source, Environment env) {
        this.source = source;
        this.env = env;
      }

      @Override
      public String getRegion(ExternalAccountSupplierContext context) throws IOException {
        return source.fetch(context(context, env)).region();
      }

      @Override
      public AwsSecurityCredentials getCredentials(ExternalAccountSupplierContext context)
          throws IOException {
        AwsSigningMaterial m = source.fetch(context(context, env));
        return new AwsSecurityCredentials(
            m.accessKeyId(), m.secretAccessKey(), m.sessionToken().orElse(null));
      }
    }
  }
}

package io.github.wif4j.core;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.cache.Scheduler;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.http.OperationDeadline;
import io.github.wif4j.core.http.ParallelStart;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.internal.CheckpointHooks;
import io.github.wif4j.core.internal.Endpoints;
import io.github.wif4j.core.internal.Jitter;
import io.github.wif4j.core.internal.SourceRejection;
import io.github.wif4j.core.spi.Source;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
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
import java.util.concurrent.atomic.AtomicBoolean;

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
 *     .source(AwsSource.create())   // or omit: detected from the environment on first use
 *     .build();
 * }</pre>
 *
 * <p><b>An immutable value.</b> {@link Builder#build()} snapshots the configuration; changing the
 * builder afterwards changes nothing built from it. Building does no network I/O and starts no
 * thread: when no source is given, it is detected on the first refresh, and a failure to find one
 * is a {@link FederationException} from that call listing every place looked at.
 *
 * <p><b>Copies.</b> {@link #createScoped(Collection)}, {@link #createWithQuotaProject(String)} and
 * {@link #toBuilder()}{@code .build()} (the paths Google client libraries use) return federated
 * credentials that refresh themselves; they share this instance's source and transport and are
 * released with it.
 *
 * <p><b>Lifecycle.</b> Share one instance per identity; it is thread-safe. {@link #close()} stops
 * background refresh of this instance and of its copies and closes a source it detected (a source
 * you passed stays yours); it is idempotent, and the credentials keep working afterwards,
 * refreshing on demand. An instance dropped without {@code close()} stops refreshing and is
 * garbage-collected: the refresh timer holds it weakly.
 *
 * <p><b>Not serializable.</b> It holds a live source; serializing throws {@link
 * NotSerializableException}. Serialize the configuration instead (the {@code external_account} JSON
 * or the {@code WIF4J_*} variables) and build again.
 *
 * <p>Failures surface as {@link FederationException} (an {@code IOException}); bad configuration as
 * {@link ConfigurationException} at build time.
 */
public final class FederatedCredentials extends GoogleCredentials implements AutoCloseable {
  private static final long serialVersionUID = 1L;

  /**
   * Set to {@code false} to do all of the first exchange on one thread. By default, with two or
   * more processors, the first exchange starts TLS handshakes with Google STS (and IAM Credentials
   * when impersonating) on a short-lived daemon thread while the source obtains the subject token,
   * so that the first token in a fresh JVM does not wait for JSSE's start-up behind the source
   * (docs/BENCHMARKS.md, cold start). Once per JVM and endpoint; not for plain http or behind a
   * proxy; its failures are ignored (the real request reports its own). An AWS source that fetches
   * its credentials (EC2, containers) also has google-auth's signer initialised meanwhile, by
   * signing a throw-away request with dummy credentials that is never sent.
   */
  public static final String ENV_PARALLEL_START = ParallelStart.ENV;

  /**
   * Set to {@code keep} to keep a token obtained before a JVM snapshot (CRaC, Lambda SnapStart)
   * across the snapshot: every JVM restored from it then uses that token until its refresh. By
   * default ({@code drop}) the token is dropped before the snapshot and each restored JVM exchanges
   * on first use. AWS credentials and other source material are dropped either way.
   */
  public static final String ENV_SNAPSHOT_TOKEN = "WIF4J_SNAPSHOT_TOKEN";

  private final transient FederationSettings settings;
  private final transient FederationResources resources;
  private final transient boolean ownsResources;
  private final transient Builder options; // a copy of the builder this was built from
  private final transient RefreshingCache<Snapshot> cache;
  private final transient Object exchangeLock = new Object();
  private transient Exchange exchange; // guarded by exchangeLock
  private transient volatile AccessToken published;
  private transient volatile List<URI> warmUp; // null once the first exchange has started
  private final transient ThreadLocal<Snapshot> publishing = new ThreadLocal<>();
  private final transient AtomicBoolean closed = new AtomicBoolean();
  private final transient Jitter jitter = new Jitter();
  private final transient boolean keepTokenAcrossSnapshot;
  private final transient Object checkpointRegistration; // null without the org.crac API

  private FederatedCredentials(
      Builder b,
      FederationSettings settings,
      FederationResources resources,
      boolean owner,
      Exchange initial) {
    super(parentBuilder(settings));
    this.exchange = initial;
    this.settings = settings;
    this.resources = resources;
    this.ownsResources = owner;
    this.options = b.copy();
    this.warmUp = b.tlsWarmUp(settings);
    Duration longest =
        settings.serviceAccountEmail().isPresent() && settings.tokenLifetime().toHours() >= 1
            ? settings.tokenLifetime()
            : Duration.ofHours(1);
    RefreshingCache.Builder<Snapshot> cb =
        RefreshingCache.builder(this::exchangeToken)
            .name("wif4j google token")
            .step(tokenStep())
            .clock(b.clock)
            .deadline(b.refreshDeadline)
            .staleMargin(b.staleMargin)
            .listener(b.refreshListener)
            .maxLifetime(longest.plusMinutes(5));
    if (b.executor != null) {
      cb.executor(b.executor);
    }
    if (b.backgroundRefresh) {
      cb.scheduler(b.scheduler != null ? b.scheduler : Scheduler.shared());
    }
    cb.random(jitter);
    this.cache = cb.build();
    if (!owner) {
      resources.register(cache);
    }
    this.keepTokenAcrossSnapshot =
        b.environment.get(ENV_SNAPSHOT_TOKEN).map("keep"::equalsIgnoreCase).orElse(false);
    // held here: the CRaC context holds resources weakly, so dropped credentials unregister
    this.checkpointRegistration =
        CheckpointHooks.register(
            "FederatedCredentials{" + settings.audience() + "}",
            this::beforeCheckpoint,
            this::afterRestore,
            b.environment);
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
   * variables of {@link FederationSettings#fromEnvironment(Environment)} with a source detected on
   * first use.
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
   * A builder holding this instance's configuration. Built unchanged (or with other settings) it
   * gives federated credentials sharing this instance's source and transport; after {@link
   * Builder#source(Source)}, {@link Builder#config(ExternalAccountConfig)}, {@link
   * Builder#environment(Environment)} or {@link Builder#transportPolicy(TransportPolicy)} it gives
   * independent ones.
   */
  @Override
  public Builder toBuilder() {
    Builder b = options.copy();
    b.shared = resources;
    return b.settings(settings);
  }

  /** The federation settings in force. */
  public FederationSettings settings() {
    return settings;
  }

  /**
   * The subject-token source once known: the one given, one serving the config file's {@code
   * credential_source}, or the one detected by the first refresh. Empty before detection and when
   * google-auth runs the config file's own source.
   */
  public Optional<Source> source() {
    return resources.knownSource();
  }

  // ---- GoogleCredentials contract ------------------------------------------------------------

  @Override
  public Map<String, List<String>> getRequestMetadata(URI uri) throws IOException {
    return metadata();
  }

  private Map<String, List<String>> metadata() throws IOException {
    if (warmUp != null) {
      startWarmUp(); // before the cache hands the refresh to its thread: JSSE starts sooner
    }
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

  /** Federated credentials with {@code scopes}, sharing this instance's source and transport. */
  @Override
  public GoogleCredentials createScoped(Collection<String> scopes) {
    if (scopes == null
        || scopes.isEmpty()
        || new LinkedHashSet<>(scopes).equals(new LinkedHashSet<>(settings.scopes()))) {
      return this;
    }
    return toBuilder().scopes(List.copyOf(scopes)).build();
  }

  @Override
  public GoogleCredentials createScoped(
      Collection<String> scopes, Collection<String> defaultScopes) {
    return createScoped(scopes == null || scopes.isEmpty() ? defaultScopes : scopes);
  }

  /**
   * A copy billing {@code quotaProject} (Google client libraries call this when a quota project is
   * configured): federated credentials of the same configuration, sharing this instance's source
   * and transport.
   */
  @Override
  public GoogleCredentials createWithQuotaProject(String quotaProject) {
    if (quotaProject == null || quotaProject.equals(settings.quotaProjectId().orElse(null))) {
      return this;
    }
    return toBuilder().quotaProjectId(quotaProject).build();
  }

  /**
   * Stops background refresh of this instance and of the copies made from it, and closes a source
   * this instance detected. Idempotent. The credentials keep working, refreshing on demand (a
   * closed detected source is detected again if needed).
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    cache.close();
    if (ownsResources) {
      resources.close();
    }
  }

  /**
   * Stops background refresh until {@link #resumeBackgroundRefresh()}, e.g. before a CRaC or
   * SnapStart checkpoint; calls still refresh on demand.
   */
  public void pauseBackgroundRefresh() {
    cache.pause();
  }

  /** Re-arms background refresh after {@link #pauseBackgroundRefresh()}. */
  public void resumeBackgroundRefresh() {
    cache.resume();
  }

  /**
   * Forgets the cached token, so that the next call obtains a new one (e.g. after restoring a
   * snapshot, whose token may belong to another instance's lifetime).
   */
  public void invalidate() {
    cache.invalidate();
    published = null;
  }

  /**
   * Prepares for a JVM snapshot (CRaC, AWS Lambda SnapStart): stops background refresh and drops
   * the token (unless {@value #ENV_SNAPSHOT_TOKEN}{@code =keep}), google-auth's intermediate STS
   * token and what the source caches (AWS credentials), so that no snapshot holds them. wif4j calls
   * this itself through {@code org.crac} when that API ({@code io.github.crac:org-crac}) is on the
   * class path; call it from your own checkpoint hook otherwise. The credentials keep working: a
   * call afterwards refreshes on demand.
   */
  public void beforeCheckpoint() {
    cache.pause();
    forgetForSnapshot();
  }

  /**
   * In a JVM restored from a snapshot: re-seeds the refresh jitter from the operating system (so
   * restored JVMs do not refresh in lock-step), drops what may have been cached since {@link
   * #beforeCheckpoint()} (the next fetch reads the restored environment) and re-arms background
   * refresh.
   */
  public void afterRestore() {
    jitter.reseed();
    forgetForSnapshot();
    cache.resume();
  }

  private void forgetForSnapshot() {
    if (!keepTokenAcrossSnapshot) {
      invalidate();
    }
    synchronized (exchangeLock) {
      exchange = null; // google-auth caches the STS token it impersonates with
    }
    resources.knownSource().ifPresent(Source::forgetCached);
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
    String src =
        source()
            .map(Source::description)
            .orElse(options.config != null ? "external_account config" : "(detected on first use)");
    return "FederatedCredentials{audience=%s, serviceAccount=%s, source=%s, token expiresAt=%s}"
        .formatted(
            settings.audience(),
            settings.serviceAccountEmail().orElse("(direct access)"),
            src,
            cache.expiresAt().map(Instant::toString).orElse("(none yet)"));
  }

  // ---- serialization: refused on purpose ---------------------------------------------------

  /**
   * Refuses before anything is written: google-auth's fields (the current token among them) would
   * otherwise reach the stream before a {@code writeObject} of this class could object.
   */
  private Object writeReplace() throws ObjectStreamException {
    throw new NotSerializableException(
        "FederatedCredentials cannot be serialized: it holds a live subject-token source and"
            + " caches. Serialize its configuration instead (the external_account JSON, or the"
            + " WIF4J_* variables) and build the credentials again where they are needed.");
  }

  private void readObject(ObjectInputStream in) throws IOException {
    throw new InvalidObjectException("FederatedCredentials is not serializable");
  }

  // ---- internals -----------------------------------------------------------------------------

  private Step tokenStep() {
    return settings.serviceAccountEmail().isPresent() ? Step.IMPERSONATION : Step.STS;
  }

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

  /** The google-auth credentials for the current source, created on the first refresh. */
  private Exchange exchange() throws FederationException {
    Source src = resources.source(); // may detect: runs inside the refresh, within its deadline
    synchronized (exchangeLock) {
      Exchange e = exchange;
      if (e == null || e.source() != src) {
        e = new Exchange(src, resources.exchange(settings, src));
        exchange = e;
      }
      return e;
    }
  }

  /** Starts the TLS warm-up of the first exchange, if not started yet (once). */
  private void startWarmUp() {
    List<URI> endpoints = warmUp;
    if (endpoints != null) {
      warmUp = null;
      resources.transport().warmUp(endpoints); // TLS set up on another core while the source runs
    }
  }

  private Refreshed<Snapshot> exchangeToken() throws IOException {
    startWarmUp();
    AccessToken token;
    Source used = null;
    // One deadline for the source, STS and IAM calls together, ending a little before the cache
    // gives up waiting, so the caller sees which step was slow rather than a bare timeout.
    try (OperationDeadline d = OperationDeadline.start(operationBudget(options.refreshDeadline))) {
      Exchange e = exchange();
      used = e.source();
      token = e.credentials().refreshAccessToken();
    } catch (IOException | RuntimeException e) {
      FederationException explained = resources.diagnostics(settings, options.clock).explain(e);
      if (used != null && SourceRejection.pointsAtSource(e)) {
        used.forgetCached(); // the next attempt re-reads the credentials instead of re-sending them
      }
      throw explained;
    }
    checkTokenValue(token.getTokenValue());
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

  /** Refuses a token that would make a malformed or empty {@code Authorization} header. */
  private void checkTokenValue(String value) throws FederationException {
    String endpoint =
        tokenStep() == Step.IMPERSONATION ? "IAM generateAccessToken" : "the STS token endpoint";
    String problem =
        value == null || value.isBlank()
            ? "an empty access token"
            : value.chars().anyMatch(c -> c <= ' ' || c == 0x7f)
                ? "an access token containing a line break, space or control character"
                : null;
    if (problem != null) {
      throw FederationException.builder(tokenStep(), endpoint + " returned " + problem)
          .fix(
              "The endpoint is misbehaving (or is not Google's): check the configured token URL"
                  + " and impersonation URL. The token is not used.")
          .build();
    }
  }

  /** google-auth credentials and the source they were built for. */
  private record Exchange(Source source, ExternalAccountCredentials credentials) {}

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
   * Builder for {@link FederatedCredentials}; also the {@link GoogleCredentials.Builder} that
   * {@link FederatedCredentials#toBuilder()} returns, so google-auth's and client libraries' copy
   * paths keep federating. Either {@link #settings(FederationSettings)} or the shorthand setters;
   * either a {@link #source(Source)} or a {@link #config(ExternalAccountConfig)} (or neither: the
   * source is then detected on first use). Not thread-safe; {@link #build()} does not change it and
   * may be called again.
   */
  public static final class Builder extends GoogleCredentials.Builder implements Cloneable {
    private FederationSettings.Builder settings = FederationSettings.builder();
    private boolean settingsTouched;
    private Source source;
    private ExternalAccountConfig config;
    private Environment environment = Environment.system();
    private TransportPolicy transportPolicy = TransportPolicy.defaults();
    private Clock clock = Clock.systemUTC();
    private Duration refreshDeadline = Duration.ofSeconds(30);
    private Duration staleMargin = Duration.ofMinutes(1);
    private boolean backgroundRefresh = true;
    private Executor executor;
    private Scheduler scheduler;
    private RefreshListener refreshListener;
    private String regionalCredentialVerificationUrl;
    private List<String> allowedEndpointHosts = List.of();
    private FederationResources shared; // from toBuilder(): the owner's, while unchanged

    private Builder() {}

    private Builder touched() {
      settingsTouched = true;
      return this;
    }

    /** A copy that later calls on this builder do not change. */
    private Builder copy() {
      try {
        Builder b = (Builder) clone();
        b.settings = settings.copy();
        return b;
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e); // it is Cloneable
      }
    }

    /** All federation settings at once; replaces earlier shorthand calls. */
    public Builder settings(FederationSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings").toBuilder();
      return touched();
    }

    /** The provider's full resource name (see {@link WorkloadIdentityAudience}). */
    public Builder audience(String audience) {
      settings.audience(audience);
      return touched();
    }

    /** The provider. */
    public Builder audience(WorkloadIdentityAudience audience) {
      settings.audience(audience);
      return touched();
    }

    /** Impersonate this service account; omit for direct resource access. */
    public Builder serviceAccount(String email) {
      settings.serviceAccount(email);
      return touched();
    }

    /** Lifetime of impersonated tokens, 600 s to 43200 s. Default 3600 s. */
    public Builder tokenLifetime(Duration lifetime) {
      settings.tokenLifetime(lifetime);
      return touched();
    }

    /** OAuth scopes. Default cloud-platform. */
    public Builder scopes(List<String> scopes) {
      settings.scopes(scopes);
      return touched();
    }

    /** The project billed for quota ({@code x-goog-user-project}). */
    public Builder quotaProjectId(String quotaProjectId) {
      settings.quotaProjectId(quotaProjectId);
      return touched();
    }

    /** Same as {@link #quotaProjectId(String)}; google-auth's name for it. */
    @Override
    public Builder setQuotaProjectId(String quotaProjectId) {
      return quotaProjectId(quotaProjectId);
    }

    /** The universe domain; must match the audience's. Default the audience's. */
    @Override
    public Builder setUniverseDomain(String universeDomain) {
      settings.universeDomain(universeDomain);
      return touched();
    }

    /** The quota project set so far, from any setter. */
    @Override
    public String getQuotaProjectId() {
      return settings.quotaProjectIdValue();
    }

    /** The universe domain set so far, if any (else the audience's applies). */
    @Override
    public String getUniverseDomain() {
      return settings.universeDomainValue();
    }

    /** Ignored: federated credentials obtain their own tokens. */
    @Override
    public Builder setAccessToken(AccessToken token) {
      return this;
    }

    /** Ignored: background refresh decides when to refresh (75-80% of the lifetime). */
    @Override
    public Builder setRefreshMargin(Duration refreshMargin) {
      return this;
    }

    /** Same as {@link #staleMargin(Duration)}; google-auth's name for it. */
    @Override
    public Builder setExpirationMargin(Duration expirationMargin) {
      return staleMargin(expirationMargin);
    }

    /** Google STS endpoint. Default {@code https://sts.googleapis.com/v1/token}. */
    public Builder tokenUrl(String tokenUrl) {
      settings.tokenUrl(tokenUrl);
      return touched();
    }

    /**
     * Where the subject token comes from. Default: detected on first use ({@link SourceDetector}).
     */
    public Builder source(Source source) {
      this.source = Objects.requireNonNull(source, "source");
      this.shared = null;
      return this;
    }

    /**
     * Settings and source from an {@code external_account} configuration. A later {@link
     * #source(Source)} replaces the file's source while keeping audience, impersonation and
     * lifetime (e.g. to upgrade a gcloud AWS file to the AWS SDK chain).
     */
    public Builder config(ExternalAccountConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      this.settings = config.settings().toBuilder();
      this.settingsTouched = true;
      this.shared = null;
      return this;
    }

    /** Where sources read env vars. Default {@link Environment#system()}. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      this.shared = null;
      return this;
    }

    /** Timeouts, retries and deadline of every HTTP call. */
    public Builder transportPolicy(TransportPolicy transportPolicy) {
      this.transportPolicy = Objects.requireNonNull(transportPolicy, "transportPolicy");
      this.shared = null;
      return this;
    }

    /** The time source of the token cache. Default system UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The longest a caller waits for a token exchange (source detection included), and the budget
     * of the whole exchange (every HTTP call of the source, STS and IAM together). Default 30 s; 1
     * ms to 1 day.
     */
    public Builder refreshDeadline(Duration refreshDeadline) {
      this.refreshDeadline = Objects.requireNonNull(refreshDeadline, "refreshDeadline");
      return this;
    }

    /** How long before expiry a token stops being served; zero or more. Default 1 min. */
    public Builder staleMargin(Duration staleMargin) {
      this.staleMargin = Objects.requireNonNull(staleMargin, "staleMargin");
      return this;
    }

    /** Also refresh on a timer while the token is in use. Default true. */
    public Builder backgroundRefresh(boolean backgroundRefresh) {
      this.backgroundRefresh = backgroundRefresh;
      return this;
    }

    /** Where refreshes run. Default a shared, bounded daemon pool. */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** The timer of background refresh. Default {@link Scheduler#shared()}; tests pass a fake. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
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
      this.shared = null;
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
      List<String> all = new ArrayList<>(allowedEndpointHosts);
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

    /** The endpoints to shake hands with ahead of the first exchange; null when switched off. */
    List<URI> tlsWarmUp(FederationSettings s) {
      if (!ParallelStart.enabled(environment)) {
        return null;
      }
      List<URI> endpoints = new ArrayList<>();
      endpoints.add(s.tokenUrl());
      s.serviceAccountImpersonationUrl().ifPresent(endpoints::add);
      return endpoints;
    }

    /**
     * Validates and builds. Does no network I/O and starts no thread: a source not given is
     * detected on the first refresh.
     *
     * @throws ConfigurationException naming the field when the configuration cannot work ({@code
     *     WIF4J_SOURCE} naming a source no module provides included), or an endpoint is not on the
     *     allow-list (see {@link #allowEndpointHost(String...)})
     */
    @Override
    public FederatedCredentials build() {
      if (!settingsTouched) {
        throw ConfigurationException.missing(
            "FederatedCredentials.Builder.audience",
            "the workload identity provider, e.g."
                + " //iam.googleapis.com/projects/123456789012/locations/global/"
                + "workloadIdentityPools/POOL/providers/PROVIDER, or settings(...) / config(...)");
      }
      if (refreshDeadline.compareTo(Duration.ofMillis(1)) < 0
          || refreshDeadline.compareTo(Duration.ofDays(1)) > 0) {
        throw ConfigurationException.of(
            "FederatedCredentials.Builder.refreshDeadline",
            "must be from 1 ms to 1 day, got " + refreshDeadline,
            "a positive duration, e.g. PT30S");
      }
      if (staleMargin.isNegative()) {
        throw ConfigurationException.of(
            "FederatedCredentials.Builder.staleMargin",
            "is negative (" + staleMargin + "), which would serve expired tokens",
            "zero or more, e.g. PT1M (the default)");
      }
      FederationSettings s = settings.build();
      // every URL credentials may go to, the file's credential_source included, before anything
      Endpoints.of(environment, allowedEndpointHosts)
          .check(s, source == null && config != null ? config.credentialSource() : null);
      FederationResources r = shared;
      boolean owner = r == null;
      if (owner && source == null && config == null) {
        SourceDetector.checkConfiguredId(environment); // a typo fails here; detection waits
      }
      if (owner) {
        r =
            new FederationResources(
                source, config, environment, transportPolicy, regionalCredentialVerificationUrl);
      }
      // a given source or file is validated now (no I/O); a detected one on the first refresh
      Exchange initial = null;
      if (!r.detects()) {
        Source src = r.configuredSource(); // given, or serving the file: no I/O
        initial = new Exchange(src, r.exchange(s, src));
      }
      return new FederatedCredentials(this, s, r, owner, initial);
    }
  }
}

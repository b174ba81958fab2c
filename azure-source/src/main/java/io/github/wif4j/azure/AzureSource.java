package io.github.wif4j.azure;

import io.github.wif4j.azure.internal.AksWorkloadIdentitySource;
import io.github.wif4j.azure.internal.AppServiceManagedIdentitySource;
import io.github.wif4j.azure.internal.AzureEnv;
import io.github.wif4j.azure.internal.AzureHttp;
import io.github.wif4j.azure.internal.AzureTokenFetcher;
import io.github.wif4j.azure.internal.IdentitySelector;
import io.github.wif4j.azure.internal.ImdsManagedIdentitySource;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;

/**
 * An Azure identity as the subject token ({@code urn:ietf:params:oauth:token-type:jwt}) for a
 * Google OIDC provider that trusts Entra ID (or, for AKS, the cluster's OIDC issuer).
 *
 * <ul>
 *   <li>{@link Kind#APP_SERVICE}: App Service, Functions, Container Apps ({@code IDENTITY_ENDPOINT}
 *       + {@code IDENTITY_HEADER}, api-version 2019-08-01), both read on every fetch since the
 *       platform rotates them;
 *   <li>{@link Kind#LEGACY_MSI}: {@code MSI_ENDPOINT} + {@code MSI_SECRET} (2017-09-01);
 *   <li>{@link Kind#VM_IMDS}: VM / VMSS instance metadata (2018-02-01), retrying 404, 410, 429 and
 *       5xx as Azure advises;
 *   <li>{@link Kind#AKS_DIRECT}: the projected service account token in {@code
 *       AZURE_FEDERATED_TOKEN_FILE} (re-read per fetch) for a provider trusting the cluster issuer;
 *   <li>{@link Kind#AKS_ENTRA}: that token exchanged at Entra ({@code AZURE_AUTHORITY_HOST}, {@code
 *       AZURE_TENANT_ID}, {@code AZURE_CLIENT_ID}) for an Entra token, for a provider trusting
 *       Entra.
 * </ul>
 *
 * <pre>{@code
 * FederatedCredentials google = FederatedCredentials.builder()
 *     .audience(WorkloadIdentityAudience.of("123456789012", "azure-pool", "entra"))
 *     .source(AzureSource.builder().resource("api://my-google-federation").build())
 *     .build();
 * }</pre>
 *
 * <p><b>Resource.</b> The Azure token's audience is the requested resource; the Google provider
 * must list it in {@code --allowed-audiences}. Prefer an application ID URI ({@code api://...}) of
 * an app registration made for this: the token is good for nothing but this federation, and with
 * {@code appRoleAssignmentRequired} Entra issues it only to identities you assigned. {@code
 * https://management.azure.com/} needs no registration, but any principal of the tenant can get
 * such a token, and it is also an Azure Resource Manager bearer token, which you would then hand to
 * a third party; the provider's attribute condition must pin the object ids. Default: {@code
 * WIF4J_AZURE_RESOURCE}, else management (logged at INFO).
 *
 * <p><b>Errors.</b> {@link #fetch} throws {@link FederationException} with step {@code SOURCE} when
 * a variable the kind needs is missing, and {@code SUBJECT_TOKEN} when the Azure endpoint or Entra
 * refuses (HTTP status, Azure's error code and description, and a fix; {@code AADSTS70021} is
 * explained as a missing federated identity credential). 429 and 5xx are retryable. No message or
 * {@code toString()} contains the identity header, the MSI secret or a token.
 *
 * <p>Tokens are cached until the prefetch point of their lifetime, so a Google refresh re-uses a
 * valid Azure token. Thread-safe; nothing happens at construction.
 */
public final class AzureSource implements SubjectTokenSource, AutoCloseable {
  /** Which Azure identity endpoint serves the token. */
  public enum Kind {
    /** App Service / Functions / Container Apps managed identity. */
    APP_SERVICE,
    /** The legacy MSI endpoint (Cloud Shell, older App Service). */
    LEGACY_MSI,
    /** VM / VMSS instance metadata service. */
    VM_IMDS,
    /** AKS workload identity, the cluster's service account token used directly. */
    AKS_DIRECT,
    /** AKS workload identity, exchanged at Entra ID for an Entra access token. */
    AKS_ENTRA;

    /**
     * The AKS kind {@code env} selects: {@code WIF4J_AZURE_AKS_MODE} ({@code direct} or {@code
     * entra}), else {@code entra} when {@code WIF4J_AZURE_RESOURCE} names a resource to exchange
     * for, else {@code direct}.
     *
     * @throws ConfigurationException naming the variable for another value
     */
    public static Kind aks(Environment env) {
      String mode =
          env.get(AzureEnv.AKS_MODE).orElse(env.has(AzureEnv.RESOURCE) ? "entra" : "direct");
      return switch (mode.toLowerCase(Locale.ROOT)) {
        case "direct" -> AKS_DIRECT;
        case "entra" -> AKS_ENTRA;
        default ->
            throw ConfigurationException.of(
                AzureEnv.AKS_MODE, "'" + mode + "' is not a mode", "direct or entra");
      };
    }
  }

  private static final System.Logger LOG = System.getLogger(AzureSource.class.getName());

  /** The VM IMDS address. */
  public static final URI DEFAULT_IMDS = URI.create("http://169.254.169.254");

  private final Builder settings; // as build() resolved them, for toBuilder()
  private final AzureTokenFetcher fetcher;
  private final RefreshingCache<SubjectToken> cache;

  private AzureSource(Builder b) {
    this.settings = b.copy();
    Kind kind = b.kind;
    String resource = b.resource;
    Environment env = b.environment;
    Clock clock = b.clock;
    TransportPolicy p = b.transportPolicy;
    IdentitySelector identity = new IdentitySelector(b.clientId, b.objectId, b.resourceId);
    this.fetcher =
        switch (kind) {
          case APP_SERVICE, LEGACY_MSI ->
              new AppServiceManagedIdentitySource(
                  env, kind == Kind.LEGACY_MSI, resource, identity, HttpExecutor.create(p), clock);
          // Azure retries IMDS 404/410/429/5xx: allow more attempts within the caller's deadline.
          // A 410 (IMDS updating) can last ~70 s; callers who would rather wait set a longer one.
          case VM_IMDS ->
              new ImdsManagedIdentitySource(
                  b.imdsEndpoint,
                  resource,
                  identity,
                  HttpExecutor.create(
                      p.toBuilder().maxAttempts(Math.max(p.maxAttempts(), 6)).build()),
                  clock);
          default ->
              new AksWorkloadIdentitySource(
                  env, kind == Kind.AKS_ENTRA, resource, b.clientId, HttpExecutor.create(p), clock);
        };
    this.cache =
        RefreshingCache.<SubjectToken>builder(fetcher::fetch)
            .name("Azure " + kind.name().toLowerCase(Locale.ROOT) + " token")
            .clock(clock)
            .deadline(p.deadline().plus(p.deadline()))
            .listener(b.refreshListener)
            .build();
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this source's resolved settings (kind, resource, identity selector,
   * environment, transport, IMDS endpoint, clock), for variations. The new source has its own
   * cache.
   */
  public Builder toBuilder() {
    return settings.copy();
  }

  /**
   * The source for this environment: App Service, legacy MSI, AKS (by their variables), else VM
   * IMDS; resource from {@code WIF4J_AZURE_RESOURCE}.
   */
  public static AzureSource fromEnvironment(Environment environment) {
    return builder().environment(environment).build();
  }

  /** The kind of endpoint in use. */
  public Kind kind() {
    return settings.kind;
  }

  /** The resource (token audience) requested. */
  public String resource() {
    return settings.resource;
  }

  @Override
  public String subjectTokenType() {
    return SubjectTokenType.JWT;
  }

  @Override
  public SubjectToken fetch(SourceContext context) throws IOException {
    return cache.get();
  }

  @Override
  public String description() {
    return fetcher.description();
  }

  @Override
  public void close() {
    cache.close();
  }

  @Override
  public String toString() {
    return "AzureSource{" + description() + "}";
  }

  /** Builder for {@link AzureSource}. */
  public static final class Builder implements Cloneable {
    private Kind kind;
    private String resource;
    private String clientId;
    private String objectId;
    private String resourceId;
    private Environment environment = Environment.system();
    private TransportPolicy transportPolicy = TransportPolicy.defaults();
    private URI imdsEndpoint;
    private Clock clock = Clock.systemUTC();
    private RefreshListener refreshListener;

    private Builder() {}

    /** The endpoint kind. Default: detected from the environment variables, else VM IMDS. */
    public Builder kind(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /**
     * The resource (audience of the Azure token), e.g. {@code api://my-google-federation}. Default
     * {@code WIF4J_AZURE_RESOURCE}, else {@code https://management.azure.com/}.
     */
    public Builder resource(String resource) {
      this.resource = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /**
     * A user-assigned identity by client id. Default {@code AZURE_CLIENT_ID} for managed
     * identities.
     */
    public Builder clientId(String clientId) {
      this.clientId = Objects.requireNonNull(clientId, "clientId");
      return this;
    }

    /** A user-assigned identity by object (principal) id. */
    public Builder objectId(String objectId) {
      this.objectId = Objects.requireNonNull(objectId, "objectId");
      return this;
    }

    /** A user-assigned identity by ARM resource id. */
    public Builder resourceId(String resourceId) {
      this.resourceId = Objects.requireNonNull(resourceId, "resourceId");
      return this;
    }

    /** Where variables are read. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Timeouts, retries and deadline. */
    public Builder transportPolicy(TransportPolicy transportPolicy) {
      this.transportPolicy = Objects.requireNonNull(transportPolicy, "transportPolicy");
      return this;
    }

    /**
     * The VM IMDS base URI. Default {@code AZURE_POD_IDENTITY_AUTHORITY_HOST}, else
     * 169.254.169.254.
     */
    public Builder imdsEndpoint(URI imdsEndpoint) {
      this.imdsEndpoint = Objects.requireNonNull(imdsEndpoint, "imdsEndpoint");
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
     * @throws ConfigurationException naming the field when a setting cannot work
     */
    public AzureSource build() {
      if (kind == null) {
        kind = detectKind(environment);
        if (kind == Kind.AKS_DIRECT
            && resource != null
            && environment.get(AzureEnv.AKS_MODE).isEmpty()) {
          kind = Kind.AKS_ENTRA; // a resource given in code means "exchange at Entra for it"
        }
      }
      if (resource == null) {
        resource = environment.get(AzureEnv.RESOURCE).orElse(null);
      }
      if (resource == null && kind != Kind.AKS_DIRECT) {
        // works without an app registration, but any identity in any tenant can get a token for
        // it: the Google provider must then pin tid/oid in its attribute condition
        LOG.log(
            System.Logger.Level.INFO,
            "No Azure resource set (AzureSource.builder().resource(..) or "
                + AzureEnv.RESOURCE
                + "); requesting "
                + AzureEnv.MANAGEMENT_RESOURCE
                + ". Prefer an application ID URI (api://...) made for Google federation, and pin"
                + " tid/oid in the provider's attribute condition either way.");
      }
      if (resource == null) {
        resource = AzureEnv.MANAGEMENT_RESOURCE;
      }
      if (!resource.matches("(api|https?)://\\S+") && !resource.matches("[0-9a-fA-F-]{36}")) {
        throw ConfigurationException.of(
            "resource",
            "'" + resource + "' is not an Entra resource",
            "an application ID URI such as api://my-google-federation, an app id GUID, or"
                + " https://management.azure.com/");
      }
      int selectors =
          (clientId != null ? 1 : 0) + (objectId != null ? 1 : 0) + (resourceId != null ? 1 : 0);
      if (selectors > 1) {
        throw ConfigurationException.of(
            "clientId/objectId/resourceId",
            "more than one user-assigned identity selector is set",
            "at most one of them (none selects the system-assigned identity)");
      }
      if (selectors == 0 && kind != Kind.AKS_DIRECT && kind != Kind.AKS_ENTRA) {
        clientId = environment.get(AzureEnv.CLIENT_ID).orElse(null);
      }
      if (imdsEndpoint == null) {
        imdsEndpoint =
            environment
                .get(AzureEnv.POD_IDENTITY_AUTHORITY_HOST)
                .map(v -> AzureHttp.httpUri(AzureEnv.POD_IDENTITY_AUTHORITY_HOST, v))
                .orElse(DEFAULT_IMDS);
      }
      imdsEndpoint = URI.create(AzureHttp.stripSlash(imdsEndpoint.toString()));
      return new AzureSource(this);
    }

    private Builder copy() {
      try {
        return (Builder) clone(); // every field is immutable
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e); // it is Cloneable
      }
    }

    static Kind detectKind(Environment env) {
      if (env.has(AzureEnv.IDENTITY_ENDPOINT) && env.has(AzureEnv.IDENTITY_HEADER)) {
        return Kind.APP_SERVICE;
      }
      if (env.has(AzureEnv.MSI_ENDPOINT)) {
        return Kind.LEGACY_MSI;
      }
      if (env.has(AzureEnv.FEDERATED_TOKEN_FILE)) {
        return Kind.aks(env);
      }
      return Kind.VM_IMDS;
    }
  }
}

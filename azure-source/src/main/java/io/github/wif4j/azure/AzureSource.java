package io.github.wif4j.azure;

import io.github.wif4j.azure.internal.AzureEnv;
import io.github.wif4j.azure.internal.AzureTokens;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
    AKS_ENTRA
  }

  private static final System.Logger LOG = System.getLogger(AzureSource.class.getName());

  /** The VM IMDS address. */
  public static final URI DEFAULT_IMDS = URI.create("http://169.254.169.254");

  private final Kind kind;
  private final String resource;
  private final String clientId;
  private final String objectId;
  private final String resourceId;
  private final Environment env;
  private final URI imdsEndpoint;
  private final Clock clock;
  private final TransportPolicy transportPolicy;
  private final HttpExecutor http;
  private final HttpExecutor imdsHttp;
  private final RefreshingCache<SubjectToken> cache;

  private AzureSource(Builder b) {
    this.kind = b.kind;
    this.resource = b.resource;
    this.clientId = b.clientId;
    this.objectId = b.objectId;
    this.resourceId = b.resourceId;
    this.env = b.environment;
    this.imdsEndpoint = b.imdsEndpoint;
    this.clock = b.clock;
    this.transportPolicy = b.transportPolicy;
    this.http = HttpExecutor.create(b.transportPolicy);
    // Azure retries IMDS 404/410/429/5xx; allow more attempts within the caller's deadline. A 410
    // (IMDS updating) can last ~70 s: callers who would rather wait than fail set a longer
    // deadline.
    TransportPolicy p = b.transportPolicy;
    this.imdsHttp =
        HttpExecutor.create(
            p.deadline().compareTo(Duration.ofSeconds(80)) >= 0
                ? p
                : p.toBuilder().maxAttempts(Math.max(p.maxAttempts(), 6)).build());
    this.cache =
        RefreshingCache.<SubjectToken>builder(this::load)
            .name("Azure " + kind.name().toLowerCase(Locale.ROOT) + " token")
            .clock(clock)
            .deadline(p.deadline().plus(p.deadline()))
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
    Builder b = new Builder();
    b.kind = kind;
    b.resource = resource;
    b.clientId = clientId;
    b.objectId = objectId;
    b.resourceId = resourceId;
    b.environment = env;
    b.transportPolicy = transportPolicy;
    b.imdsEndpoint = imdsEndpoint;
    b.clock = clock;
    return b;
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
    return kind;
  }

  /** The resource (token audience) requested. */
  public String resource() {
    return resource;
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
    switch (kind) {
      case AKS_DIRECT:
        return "Azure AKS workload identity (cluster token)";
      case AKS_ENTRA:
        return "Azure AKS workload identity via Entra ID, resource " + resource;
      default:
        return "Azure managed identity ("
            + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')
            + (clientId != null ? ", client id " + clientId : "")
            + "), resource "
            + resource;
    }
  }

  private Refreshed<SubjectToken> load() throws IOException {
    AzureTokens.Token t;
    switch (kind) {
      case APP_SERVICE:
        t = appService(false);
        break;
      case LEGACY_MSI:
        t = appService(true);
        break;
      case VM_IMDS:
        t = imds();
        break;
      case AKS_DIRECT:
        String jwt = readTokenFile();
        Instant exp = expiry(jwt).orElse(clock.instant().plus(Duration.ofMinutes(5)));
        // the kubelet rewrites the file at 80% of its lifetime: re-read well before expiry
        return Refreshed.expiringAt(SubjectToken.of(jwt, SubjectTokenType.JWT, exp), exp)
            .withPrefetchAt(
                min(exp.minus(Duration.ofMinutes(5)), clock.instant().plus(Duration.ofMinutes(5))));
      case AKS_ENTRA:
        t = entra();
        break;
      default:
        throw new IllegalStateException(kind.name());
    }
    return Refreshed.expiringAt(
        SubjectToken.of(t.value(), SubjectTokenType.JWT, t.expiresAt()), t.expiresAt());
  }

  private AzureTokens.Token appService(boolean legacy) throws IOException {
    String endpointVar = legacy ? AzureEnv.MSI_ENDPOINT : AzureEnv.IDENTITY_ENDPOINT;
    String secretVar = legacy ? AzureEnv.MSI_SECRET : AzureEnv.IDENTITY_HEADER;
    // read on every fetch: the platform rotates both
    String endpoint = env.get(endpointVar).orElseThrow(() -> missing(endpointVar));
    Optional<String> secret = env.get(secretVar);
    if (!legacy && secret.isEmpty()) {
      throw missing(secretVar);
    }
    URI base = httpUri(endpointVar, endpoint);
    Map<String, String> q = new LinkedHashMap<>();
    q.put("resource", resource);
    q.put("api-version", legacy ? "2017-09-01" : "2019-08-01");
    if (clientId != null) {
      q.put(legacy ? "clientid" : "client_id", clientId);
    } else if (objectId != null && !legacy) {
      q.put("object_id", objectId);
    } else if (resourceId != null && !legacy) {
      q.put("mi_res_id", resourceId);
    }
    HttpExecutor.Request.Builder request =
        HttpExecutor.Request.get(URI.create(base + "?" + query(q)))
            .step(Step.SUBJECT_TOKEN)
            .endpointName(legacy ? "Azure MSI endpoint" : "Azure managed identity endpoint")
            .header("Metadata", "true");
    secret.ifPresent(s -> request.header(legacy ? "Secret" : "X-IDENTITY-HEADER", s));
    HttpExecutor.Response r = http.send(request.build());
    if (!r.isSuccessful()) {
      throw AzureTokens.failure(r, "The Azure managed identity endpoint", resource);
    }
    return AzureTokens.parse(r, "The Azure managed identity endpoint", clock);
  }

  private AzureTokens.Token imds() throws IOException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("api-version", "2018-02-01");
    q.put("resource", resource);
    if (clientId != null) {
      q.put("client_id", clientId);
    } else if (objectId != null) {
      q.put("object_id", objectId);
    } else if (resourceId != null) {
      q.put("msi_res_id", resourceId);
    }
    HttpExecutor.Response r =
        imdsHttp.send(
            HttpExecutor.Request.get(
                    URI.create(imdsEndpoint + "/metadata/identity/oauth2/token?" + query(q)))
                .header("Metadata", "true")
                .step(Step.SUBJECT_TOKEN)
                .endpointName("Azure instance metadata (IMDS)")
                .retryOnStatus(404, 410)
                .build());
    if (!r.isSuccessful()) {
      throw AzureTokens.failure(r, "Azure IMDS", resource, true);
    }
    return AzureTokens.parse(r, "Azure IMDS", clock);
  }

  private AzureTokens.Token entra() throws IOException {
    String tenant = env.get(AzureEnv.TENANT_ID).orElseThrow(() -> missing(AzureEnv.TENANT_ID));
    String client =
        clientId != null
            ? clientId
            : env.get(AzureEnv.CLIENT_ID).orElseThrow(() -> missing(AzureEnv.CLIENT_ID));
    String authority =
        env.get(AzureEnv.AUTHORITY_HOST).orElse("https://login.microsoftonline.com/");
    URI base =
        httpUri(AzureEnv.AUTHORITY_HOST, authority.endsWith("/") ? authority : authority + "/");
    if (!"https".equals(base.getScheme())) {
      throw ConfigurationException.of(
          AzureEnv.AUTHORITY_HOST,
          "'" + authority + "' is not https",
          "https://login.microsoftonline.com/");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", client);
    form.put("scope", scopeFor(resource));
    form.put("grant_type", "client_credentials");
    form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.put("client_assertion", readTokenFile());
    HttpExecutor.Response r =
        http.send(
            HttpExecutor.Request.newBuilder(
                    "POST", URI.create(base + tenant + "/oauth2/v2.0/token"))
                .form(form)
                .step(Step.SUBJECT_TOKEN)
                .endpointName("Entra ID token endpoint")
                .build());
    if (!r.isSuccessful()) {
      throw AzureTokens.failure(r, "Entra ID", resource);
    }
    return AzureTokens.parse(r, "Entra ID", clock);
  }

  private String readTokenFile() throws FederationException {
    String file =
        env.get(AzureEnv.FEDERATED_TOKEN_FILE)
            .orElseThrow(() -> missing(AzureEnv.FEDERATED_TOKEN_FILE));
    try {
      String token = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
      if (token.isEmpty()) {
        throw FederationException.builder(
                Step.SUBJECT_TOKEN, AzureEnv.FEDERATED_TOKEN_FILE + " (" + file + ") is empty")
            .fix("Check the azure-identity-token projected volume of the pod.")
            .retryable(true)
            .build();
      }
      return token;
    } catch (IOException e) {
      if (e instanceof FederationException) {
        throw (FederationException) e;
      }
      throw FederationException.builder(
              Step.SUBJECT_TOKEN,
              "Cannot read " + AzureEnv.FEDERATED_TOKEN_FILE + " (" + file + ")")
          .fix(
              "Label the pod azure.workload.identity/use: \"true\" and annotate its service account"
                  + " with azure.workload.identity/client-id, so the webhook mounts the token.")
          .cause(e)
          .build();
    }
  }

  static String scopeFor(String resource) {
    String r = resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource;
    return r + "/.default";
  }

  private static Optional<Instant> expiry(String jwt) {
    Object exp = io.github.wif4j.azure.internal.Claims.of(jwt).get("exp");
    return exp instanceof Number
        ? Optional.of(Instant.ofEpochSecond(((Number) exp).longValue()))
        : Optional.empty();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static FederationException missing(String variable) {
    return FederationException.builder(Step.SOURCE, variable + " is not set")
        .fix(
            "This Azure source needs "
                + variable
                + "; the platform sets it when the identity is enabled.")
        .build();
  }

  private static URI httpUri(String field, String value) {
    try {
      URI u = URI.create(value.trim());
      if (u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        return u;
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw ConfigurationException.of(
        field,
        "'" + value + "' is not an absolute http(s) URL",
        "e.g. http://localhost:42356/msi/token");
  }

  private static String query(Map<String, String> q) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : q.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(e.getKey())
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
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
  public static final class Builder {
    private Kind kind;
    private String resource;
    private String clientId;
    private String objectId;
    private String resourceId;
    private Environment environment = Environment.system();
    private TransportPolicy transportPolicy = TransportPolicy.defaults();
    private URI imdsEndpoint;
    private Clock clock = Clock.systemUTC();

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
     * Validates and builds; does no I/O.
     *
     * @throws ConfigurationException naming the field when a setting cannot work
     */
    public AzureSource build() {
      if (kind == null) {
        kind = detectKind(environment);
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
                .map(v -> httpUri(AzureEnv.POD_IDENTITY_AUTHORITY_HOST, v))
                .orElse(DEFAULT_IMDS);
      }
      String s = imdsEndpoint.toString();
      if (s.endsWith("/")) {
        imdsEndpoint = URI.create(s.substring(0, s.length() - 1));
      }
      return new AzureSource(this);
    }

    static Kind detectKind(Environment env) {
      if (env.has(AzureEnv.IDENTITY_ENDPOINT) && env.has(AzureEnv.IDENTITY_HEADER)) {
        return Kind.APP_SERVICE;
      }
      if (env.has(AzureEnv.MSI_ENDPOINT)) {
        return Kind.LEGACY_MSI;
      }
      if (env.has(AzureEnv.FEDERATED_TOKEN_FILE)) {
        String mode =
            env.get(AzureEnv.AKS_MODE).orElse(env.has(AzureEnv.RESOURCE) ? "entra" : "direct");
        switch (mode.toLowerCase(Locale.ROOT)) {
          case "direct":
            return Kind.AKS_DIRECT;
          case "entra":
            return Kind.AKS_ENTRA;
          default:
            throw ConfigurationException.of(
                AzureEnv.AKS_MODE, "'" + mode + "' is not a mode", "direct or entra");
        }
      }
      return Kind.VM_IMDS;
    }
  }
}

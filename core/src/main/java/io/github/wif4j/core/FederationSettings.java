package io.github.wif4j.core;

import io.github.wif4j.core.internal.config.Checks;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a federated token exchange needs except the subject-token source: the provider
 * ({@linkplain #audience() audience}), optional service-account impersonation, scopes, quota
 * project and endpoints.
 *
 * <pre>{@code
 * FederationSettings settings = FederationSettings.builder()
 *     .audience("//iam.googleapis.com/projects/123456789012/locations/global/"
 *         + "workloadIdentityPools/my-pool/providers/my-aws-provider")
 *     .serviceAccount("vertex-caller@my-project.iam.gserviceaccount.com")
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe; share freely. {@link Builder#build()} and {@link
 * #fromEnvironment(Environment)} validate everything up front and throw {@link
 * ConfigurationException} naming the field (builder method or environment variable), quoting the
 * value and saying what is expected. Nothing here does I/O.
 *
 * <p>Defaults: no impersonation (the federated token accesses resources directly); token lifetime
 * 3600 s (only with impersonation); scope {@code https://www.googleapis.com/auth/cloud-platform};
 * universe {@code googleapis.com} or the audience's; token URL {@code
 * https://sts.UNIVERSE/v1/token}; impersonation URL {@code
 * https://iamcredentials.UNIVERSE/v1/projects/-/serviceAccounts/EMAIL:generateAccessToken}.
 */
public final class FederationSettings {
  /** Audience as one value. */
  public static final String ENV_AUDIENCE = "WIF4J_AUDIENCE";

  /** Project number, with {@link #ENV_POOL_ID} and {@link #ENV_PROVIDER_ID}. */
  public static final String ENV_PROJECT_NUMBER = "WIF4J_PROJECT_NUMBER";

  /** Workload identity pool ID. */
  public static final String ENV_POOL_ID = "WIF4J_POOL_ID";

  /** Provider ID. */
  public static final String ENV_PROVIDER_ID = "WIF4J_PROVIDER_ID";

  /** Service account to impersonate. */
  public static final String ENV_SERVICE_ACCOUNT = "WIF4J_SERVICE_ACCOUNT";

  /** Impersonated token lifetime in seconds. */
  public static final String ENV_TOKEN_LIFETIME_SECONDS = "WIF4J_TOKEN_LIFETIME_SECONDS";

  /** Scopes, comma or space separated. */
  public static final String ENV_SCOPES = "WIF4J_SCOPES";

  /** Quota project. */
  public static final String ENV_QUOTA_PROJECT = "WIF4J_QUOTA_PROJECT";

  /** Quota project fallback shared with other Google libraries. */
  public static final String ENV_GOOGLE_QUOTA_PROJECT = "GOOGLE_CLOUD_QUOTA_PROJECT";

  /** Universe domain. */
  public static final String ENV_UNIVERSE_DOMAIN = "WIF4J_UNIVERSE_DOMAIN";

  /** STS token endpoint. */
  public static final String ENV_TOKEN_URL = "WIF4J_TOKEN_URL";

  /**
   * Full IAM Credentials {@code generateAccessToken} URL (e.g. a Private Service Connect endpoint);
   * implies impersonation of the service account it names.
   */
  public static final String ENV_IMPERSONATION_URL = "WIF4J_IMPERSONATION_URL";

  private static final String AUDIENCE_SHAPE =
      "//iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/"
          + "POOL_ID/providers/PROVIDER_ID";

  private final WorkloadIdentityAudience audience;
  private final String serviceAccountEmail;
  private final URI serviceAccountImpersonationUrl;
  private final Duration tokenLifetime;
  private final List<String> scopes;
  private final String quotaProjectId;
  private final String universeDomain;
  private final URI tokenUrl;
  private final URI tokenInfoUrl;
  private final String workforcePoolUserProject;
  private final Builder origin;

  /** The values {@link Builder#build()} validated and derived; the builder keeps none. */
  private FederationSettings(
      Builder b,
      WorkloadIdentityAudience audience,
      String serviceAccountEmail,
      URI impersonationUrl,
      List<String> scopes,
      URI tokenUrl,
      URI tokenInfoUrl) {
    this.audience = audience;
    this.universeDomain = audience.universeDomain();
    this.quotaProjectId = b.quotaProjectId;
    this.workforcePoolUserProject = b.workforcePoolUserProject;
    this.scopes = scopes == null ? List.of(Checks.CLOUD_PLATFORM) : scopes;
    this.tokenUrl =
        tokenUrl != null ? tokenUrl : URI.create("https://sts." + universeDomain + "/v1/token");
    this.tokenInfoUrl = tokenInfoUrl;
    this.tokenLifetime = b.tokenLifetime == null ? Checks.DEFAULT_LIFETIME : b.tokenLifetime;
    this.serviceAccountEmail = serviceAccountEmail;
    this.serviceAccountImpersonationUrl = impersonationUrl;
    this.origin = b.copy();
  }

  /** Starts an empty builder; {@link Builder#audience(String)} is required. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this instance's values. */
  public Builder toBuilder() {
    return origin.copy();
  }

  /**
   * Settings from environment variables. Blank values count as unset.
   *
   * <table>
   *   <caption>Variables</caption>
   *   <tr><th>Variable</th><th>Meaning</th><th>Default</th></tr>
   *   <tr><td>{@code WIF4J_AUDIENCE}</td><td>full provider name {@code
   *       //iam.googleapis.com/projects/NUM/locations/global/workloadIdentityPools/POOL/providers/PROV}
   *       </td><td>required, or the three below</td></tr>
   *   <tr><td>{@code WIF4J_PROJECT_NUMBER}, {@code WIF4J_POOL_ID}, {@code
   *       WIF4J_PROVIDER_ID}</td><td>the audience in parts (all three)</td><td>-</td></tr>
   *   <tr><td>{@code WIF4J_SERVICE_ACCOUNT}</td><td>email of the service account to
   *       impersonate</td><td>none: direct resource access</td></tr>
   *   <tr><td>{@code WIF4J_TOKEN_LIFETIME_SECONDS}</td><td>impersonated token lifetime,
   *       600-43200; needs {@code WIF4J_SERVICE_ACCOUNT}</td><td>3600</td></tr>
   *   <tr><td>{@code WIF4J_SCOPES}</td><td>OAuth scopes, comma or space separated</td><td>{@code
   *       https://www.googleapis.com/auth/cloud-platform}</td></tr>
   *   <tr><td>{@code WIF4J_QUOTA_PROJECT}</td><td>quota/billing project; falls back to {@code
   *       GOOGLE_CLOUD_QUOTA_PROJECT}</td><td>none</td></tr>
   *   <tr><td>{@code WIF4J_UNIVERSE_DOMAIN}</td><td>universe domain</td><td>{@code
   *       googleapis.com}</td></tr>
   *   <tr><td>{@code WIF4J_TOKEN_URL}</td><td>STS endpoint (https)</td><td>{@code
   *       https://sts.UNIVERSE/v1/token}</td></tr>
   * </table>
   *
   * <p>When both {@code WIF4J_AUDIENCE} and the three parts are set, they must agree.
   *
   * @throws ConfigurationException naming the variable when one is missing or malformed
   */
  public static FederationSettings fromEnvironment(Environment env) {
    Objects.requireNonNull(env, "env");
    Builder b = builder();
    Optional<String> universe = env.get(ENV_UNIVERSE_DOMAIN);
    universe.ifPresent(
        u -> Checks.universeDomain(ENV_UNIVERSE_DOMAIN, u)); // the audience carries it
    WorkloadIdentityAudience audience =
        audienceFromEnvironment(env, universe.orElse(Checks.DEFAULT_UNIVERSE));
    if (universe.isPresent() && !universe.get().equals(audience.universeDomain())) {
      throw ConfigurationException.of(
          ENV_UNIVERSE_DOMAIN,
          "'"
              + universe.get()
              + "' disagrees with the universe of "
              + ENV_AUDIENCE
              + " ('"
              + audience.universeDomain()
              + "')",
          "the domain after //iam. in the audience, or leave " + ENV_UNIVERSE_DOMAIN + " unset");
    }
    b.audience(audience);

    Optional<String> sa = env.get(ENV_SERVICE_ACCOUNT);
    sa.ifPresent(b::serviceAccount);
    Optional<String> lifetime = env.get(ENV_TOKEN_LIFETIME_SECONDS);
    if (lifetime.isPresent()) {
      long seconds =
          Checks.integer(
              ENV_TOKEN_LIFETIME_SECONDS,
              lifetime.get(),
              "an integer number of seconds from 600 to 43200, e.g. 3600");
      if (sa.isEmpty()) {
        throw ConfigurationException.of(
            ENV_TOKEN_LIFETIME_SECONDS,
            "is set to " + seconds + " but " + ENV_SERVICE_ACCOUNT + " is not set",
            "set "
                + ENV_SERVICE_ACCOUNT
                + " to the service account to impersonate (the lifetime only applies to"
                + " impersonated tokens), or unset "
                + ENV_TOKEN_LIFETIME_SECONDS);
      }
      b.tokenLifetime(Duration.ofSeconds(seconds));
    }
    Optional<String> scopes = env.get(ENV_SCOPES);
    if (scopes.isPresent()) {
      List<String> list =
          Arrays.stream(scopes.get().split("[,\\s]+")).filter(s -> !s.isEmpty()).toList();
      if (list.isEmpty()) {
        throw ConfigurationException.of(
            ENV_SCOPES,
            "'" + scopes.get() + "' contains no scope",
            "OAuth scopes separated by commas or spaces, e.g. " + Checks.CLOUD_PLATFORM);
      }
      b.scopes(list);
    }
    String quotaVar = env.has(ENV_QUOTA_PROJECT) ? ENV_QUOTA_PROJECT : ENV_GOOGLE_QUOTA_PROJECT;
    env.get(quotaVar).ifPresent(b::quotaProjectId);
    env.get(ENV_TOKEN_URL).ifPresent(b::tokenUrl);
    env.get(ENV_IMPERSONATION_URL).ifPresent(b::serviceAccountImpersonationUrl);
    try {
      return b.build(); // the builder owns the checks; its messages name the variables
    } catch (ConfigurationException e) {
      throw Checks.renamed(
          e,
          Map.of(
              "serviceAccount", ENV_SERVICE_ACCOUNT,
              "tokenLifetime", ENV_TOKEN_LIFETIME_SECONDS,
              "scopes", ENV_SCOPES,
              "quotaProjectId", quotaVar,
              "tokenUrl", ENV_TOKEN_URL,
              "serviceAccountImpersonationUrl", ENV_IMPERSONATION_URL));
    }
  }

  private static WorkloadIdentityAudience audienceFromEnvironment(
      Environment env, String universe) {
    Optional<String> full = env.get(ENV_AUDIENCE);
    String[] names = {ENV_PROJECT_NUMBER, ENV_POOL_ID, ENV_PROVIDER_ID};
    List<String> set = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String n : names) {
      (env.has(n) ? set : missing).add(n);
    }
    WorkloadIdentityAudience fromParts = null;
    if (!set.isEmpty()) {
      if (!missing.isEmpty()) {
        String first = missing.get(0);
        boolean blank = env.getenv(first) != null;
        throw ConfigurationException.of(
            String.join(", ", missing),
            (blank ? first + " is set but blank" : "is not set")
                + "; "
                + String.join(" and ", set)
                + (set.size() == 1 ? " is" : " are")
                + " set, so all three of "
                + String.join(", ", names)
                + " are needed",
            "set "
                + String.join(" and ", missing)
                + ", or set "
                + ENV_AUDIENCE
                + " to the full provider name "
                + AUDIENCE_SHAPE);
      }
      fromParts =
          WorkloadIdentityAudience.of(
              env.get(ENV_PROJECT_NUMBER).get(),
              env.get(ENV_POOL_ID).get(),
              env.get(ENV_PROVIDER_ID).get(),
              universe,
              ENV_PROJECT_NUMBER,
              ENV_POOL_ID,
              ENV_PROVIDER_ID);
    }
    if (full.isPresent()) {
      WorkloadIdentityAudience a = WorkloadIdentityAudience.parse(full.get(), ENV_AUDIENCE);
      if (fromParts != null && !fromParts.equals(a)) {
        throw ConfigurationException.of(
            ENV_AUDIENCE,
            "'" + a + "' disagrees with " + String.join("/", names) + " ('" + fromParts + "')",
            "set either " + ENV_AUDIENCE + " or the three parts, not both");
      }
      return a;
    }
    if (fromParts != null) {
      return fromParts;
    }
    if (env.getenv(ENV_AUDIENCE) != null) {
      throw ConfigurationException.of(
          ENV_AUDIENCE, "is set but blank", "the full provider name " + AUDIENCE_SHAPE);
    }
    for (String n : names) {
      if (env.getenv(n) != null) {
        throw ConfigurationException.of(
            n,
            "is set but blank",
            "all three of " + String.join(", ", names) + ", or " + ENV_AUDIENCE);
      }
    }
    throw ConfigurationException.missing(
        ENV_AUDIENCE,
        "the full provider name "
            + AUDIENCE_SHAPE
            + ", or "
            + String.join(" + ", names)
            + "; or point WIF4J_CREDENTIAL_CONFIG / GOOGLE_APPLICATION_CREDENTIALS at an"
            + " external_account configuration");
  }

  /** The workload (or workforce) identity pool provider. */
  public WorkloadIdentityAudience audience() {
    return audience;
  }

  /** The service account to impersonate; empty for direct resource access. */
  public Optional<String> serviceAccountEmail() {
    return Optional.ofNullable(serviceAccountEmail);
  }

  /** The IAM Credentials {@code generateAccessToken} URL; empty without impersonation. */
  public Optional<URI> serviceAccountImpersonationUrl() {
    return Optional.ofNullable(serviceAccountImpersonationUrl);
  }

  /** Lifetime of impersonated tokens. Default 3600 s; unused without impersonation. */
  public Duration tokenLifetime() {
    return tokenLifetime;
  }

  /** OAuth scopes. Default {@code https://www.googleapis.com/auth/cloud-platform}. */
  public List<String> scopes() {
    return scopes;
  }

  /** The project billed for quota ({@code x-goog-user-project}). */
  public Optional<String> quotaProjectId() {
    return Optional.ofNullable(quotaProjectId);
  }

  /** The universe domain. Default {@code googleapis.com}, or the audience's. */
  public String universeDomain() {
    return universeDomain;
  }

  /** The STS endpoint. Default {@code https://sts.UNIVERSE/v1/token}. */
  public URI tokenUrl() {
    return tokenUrl;
  }

  /** The STS token-introspection endpoint, when configured. */
  public Optional<URI> tokenInfoUrl() {
    return Optional.ofNullable(tokenInfoUrl);
  }

  /** For workforce pools: the project billed for the exchange. */
  public Optional<String> workforcePoolUserProject() {
    return Optional.ofNullable(workforcePoolUserProject);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FederationSettings s
        && audience.equals(s.audience)
        && Objects.equals(serviceAccountEmail, s.serviceAccountEmail)
        && Objects.equals(serviceAccountImpersonationUrl, s.serviceAccountImpersonationUrl)
        && tokenLifetime.equals(s.tokenLifetime)
        && scopes.equals(s.scopes)
        && Objects.equals(quotaProjectId, s.quotaProjectId)
        && universeDomain.equals(s.universeDomain)
        && tokenUrl.equals(s.tokenUrl)
        && Objects.equals(tokenInfoUrl, s.tokenInfoUrl)
        && Objects.equals(workforcePoolUserProject, s.workforcePoolUserProject);
  }

  @Override
  public int hashCode() {
    return Objects.hash(audience, serviceAccountEmail, tokenLifetime, scopes, tokenUrl);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("FederationSettings{audience=").append(audience);
    if (serviceAccountEmail != null) {
      sb.append(", serviceAccount=").append(serviceAccountEmail);
      sb.append(", tokenLifetime=").append(tokenLifetime.getSeconds()).append('s');
    }
    sb.append(", scopes=").append(scopes);
    if (quotaProjectId != null) {
      sb.append(", quotaProject=").append(quotaProjectId);
    }
    if (!Checks.DEFAULT_UNIVERSE.equals(universeDomain)) {
      sb.append(", universe=").append(universeDomain);
    }
    sb.append(", tokenUrl=").append(tokenUrl);
    return sb.append('}').toString();
  }

  /**
   * Builder for {@link FederationSettings}. Setters only record values (null clears an optional
   * value); {@link #build()} validates them all.
   */
  public static final class Builder implements Cloneable {
    private String audienceText;
    private WorkloadIdentityAudience audience;
    private String serviceAccountText;
    private String impersonationUrlText;
    private Duration tokenLifetime;
    private List<String> scopesInput;
    private String quotaProjectId;
    private String universeDomain;
    private String tokenUrlText;
    private String tokenInfoUrlText;
    private String workforcePoolUserProject;

    private Builder() {}

    Builder copy() {
      try {
        return (Builder) clone(); // every field is immutable, scopesInput is never modified
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e); // it is Cloneable
      }
    }

    String quotaProjectIdValue() {
      return quotaProjectId;
    }

    String universeDomainValue() {
      return universeDomain;
    }

    /** The provider's full name; see {@link WorkloadIdentityAudience#parse(String)}. Required. */
    public Builder audience(String audience) {
      this.audienceText = audience;
      this.audience = null;
      return this;
    }

    /** The provider. Required. */
    public Builder audience(WorkloadIdentityAudience audience) {
      this.audience = audience;
      this.audienceText = null;
      return this;
    }

    /**
     * Impersonate this service account ({@code NAME@PROJECT_ID.iam.gserviceaccount.com}); the
     * impersonation URL is derived from it. Omit for direct resource access.
     */
    public Builder serviceAccount(String email) {
      this.serviceAccountText = email;
      return this;
    }

    /**
     * The full impersonation URL, {@code
     * https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/EMAIL:generateAccessToken};
     * the service account email is taken from it. Prefer {@link #serviceAccount(String)}.
     */
    public Builder serviceAccountImpersonationUrl(String url) {
      this.impersonationUrlText = url;
      return this;
    }

    /** Lifetime of impersonated tokens, 600 s to 43200 s. Default 3600 s. */
    public Builder tokenLifetime(Duration tokenLifetime) {
      this.tokenLifetime = tokenLifetime;
      return this;
    }

    /** OAuth scopes. Default cloud-platform. */
    public Builder scopes(List<String> scopes) {
      this.scopesInput = scopes == null ? null : new ArrayList<>(scopes);
      return this;
    }

    /** The project billed for quota ({@code x-goog-user-project}). */
    public Builder quotaProjectId(String quotaProjectId) {
      this.quotaProjectId = quotaProjectId;
      return this;
    }

    /** The universe domain; must match the audience's. Default {@code googleapis.com}. */
    public Builder universeDomain(String universeDomain) {
      this.universeDomain = universeDomain;
      return this;
    }

    /**
     * The STS endpoint; https with a host, no query. Default {@code https://sts.UNIVERSE/v1/token}.
     */
    public Builder tokenUrl(String tokenUrl) {
      this.tokenUrlText = tokenUrl;
      return this;
    }

    /** The STS introspection endpoint (rarely needed). */
    public Builder tokenInfoUrl(String tokenInfoUrl) {
      this.tokenInfoUrlText = tokenInfoUrl;
      return this;
    }

    /** For workforce audiences only: the project billed for the exchange. */
    public Builder workforcePoolUserProject(String project) {
      this.workforcePoolUserProject = project;
      return this;
    }

    /**
     * Validates and builds.
     *
     * @throws ConfigurationException naming the builder method of the first bad value
     */
    public FederationSettings build() {
      WorkloadIdentityAudience aud = audience;
      if (aud == null) {
        if (audienceText == null) {
          throw ConfigurationException.missing(
              "audience", "the full provider name " + AUDIENCE_SHAPE);
        }
        aud = WorkloadIdentityAudience.parse(audienceText, "audience");
      }
      String universe = aud.universeDomain();
      if (universeDomain != null) {
        Checks.universeDomain("universeDomain", universeDomain);
        if (!universeDomain.equals(aud.universeDomain())) {
          throw ConfigurationException.of(
              "universeDomain",
              "'" + universeDomain + "' disagrees with the audience's '" + universe + "'",
              "the universe of the audience (//iam.UNIVERSE/...), or leave it unset");
        }
      }
      String serviceAccountEmail =
          serviceAccountText == null ? null : Checks.email("serviceAccount", serviceAccountText);
      URI impersonationUrl = null;
      if (impersonationUrlText != null) {
        String example =
            "https://iamcredentials."
                + universe
                + "/v1/projects/-/serviceAccounts/"
                + (serviceAccountEmail == null ? "EMAIL" : serviceAccountEmail)
                + ":generateAccessToken";
        impersonationUrl =
            Checks.httpsUrl("serviceAccountImpersonationUrl", impersonationUrlText, false, example);
        String impersonationUrlEmail =
            Checks.impersonatedEmail("serviceAccountImpersonationUrl", impersonationUrl, universe);
        if (serviceAccountEmail != null && !serviceAccountEmail.equals(impersonationUrlEmail)) {
          throw ConfigurationException.of(
              "serviceAccountImpersonationUrl",
              "names '"
                  + impersonationUrlEmail
                  + "' but serviceAccount is '"
                  + serviceAccountEmail
                  + "'",
              "one service account: set serviceAccount(...) alone");
        }
        serviceAccountEmail = impersonationUrlEmail;
      } else if (serviceAccountEmail != null) {
        impersonationUrl = Checks.impersonationUrl(serviceAccountEmail, universe);
      }
      if (tokenLifetime != null) {
        Checks.lifetime("tokenLifetime", tokenLifetime);
        if (impersonationUrl == null) {
          throw ConfigurationException.of(
              "tokenLifetime",
              "is set to "
                  + tokenLifetime.getSeconds()
                  + " s without a service account to impersonate",
              "serviceAccount(...) as well (the lifetime only applies to impersonated tokens;"
                  + " federated tokens always last about an hour), or no tokenLifetime");
        }
      }
      List<String> scopes = scopesInput == null ? null : Checks.scopes("scopes", scopesInput);
      if (quotaProjectId != null) {
        Checks.token("quotaProjectId", quotaProjectId, "a project ID such as my-project");
      }
      URI tokenUrl =
          tokenUrlText == null
              ? null
              : Checks.httpsUrl(
                  "tokenUrl", tokenUrlText, true, "https://sts." + universe + "/v1/token");
      URI tokenInfoUrl =
          tokenInfoUrlText == null
              ? null
              : Checks.httpsUrl(
                  "tokenInfoUrl",
                  tokenInfoUrlText,
                  true,
                  "https://sts." + universe + "/v1/introspect");
      if (workforcePoolUserProject != null) {
        Checks.token(
            "workforcePoolUserProject", workforcePoolUserProject, "a project ID or number");
        if (!aud.isWorkforce()) {
          throw ConfigurationException.of(
              "workforcePoolUserProject",
              "is set to '"
                  + workforcePoolUserProject
                  + "' but the audience is a workload identity pool, not a workforce pool",
              "no workforcePoolUserProject for workload identity pools (use quotaProjectId), or a"
                  + " workforce audience //iam.googleapis.com/locations/global/workforcePools/"
                  + "POOL/providers/PROVIDER");
        }
      }
      return new FederationSettings(
          this, aud, serviceAccountEmail, impersonationUrl, scopes, tokenUrl, tokenInfoUrl);
    }
  }
}

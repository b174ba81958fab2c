package io.github.wif4j.spring;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code wif4j.*} properties. Each mirrors a {@code WIF4J_*} environment variable (Spring's
 * relaxed binding maps {@code WIF4J_AUDIENCE} to {@code wif4j.audience}, so the variables keep
 * working unchanged) and is validated by wif4j itself with the same messages.
 *
 * <pre>
 * wif4j.audience=//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/aws/providers/aws
 * wif4j.service-account=vertex-caller@my-project.iam.gserviceaccount.com
 * wif4j.gemini.project=my-project
 * wif4j.gemini.location=europe-west4
 * wif4j.aws.role-arn=arn:aws:iam::123456789012:role/reports-reader
 * </pre>
 */
@ConfigurationProperties(prefix = "wif4j")
public class Wif4jProperties {
  /**
   * Whether to build federated Google credentials. Default: when an audience, a project number or a
   * credential configuration is set.
   */
  private Boolean enabled;

  /** An external_account configuration JSON, as WIF4J_CREDENTIAL_CONFIG. */
  private String credentialConfig;

  /** The workload identity provider's full resource name, as WIF4J_AUDIENCE. */
  private String audience;

  /** The project number of the pool, with pool-id and provider-id, as WIF4J_PROJECT_NUMBER. */
  private String projectNumber;

  /** The workload identity pool ID, as WIF4J_POOL_ID. */
  private String poolId;

  /** The workload identity pool provider ID, as WIF4J_PROVIDER_ID. */
  private String providerId;

  /** The service account to impersonate, as WIF4J_SERVICE_ACCOUNT. Default none. */
  private String serviceAccount;

  /** Lifetime of impersonated tokens in seconds, as WIF4J_TOKEN_LIFETIME_SECONDS. Default 3600. */
  private Integer tokenLifetimeSeconds;

  /** OAuth scopes, as WIF4J_SCOPES. Default cloud-platform. */
  private List<String> scopes = new ArrayList<>();

  /** The project billed for quota, as WIF4J_QUOTA_PROJECT. */
  private String quotaProject;

  /** The universe domain, as WIF4J_UNIVERSE_DOMAIN. Default googleapis.com. */
  private String universeDomain;

  /** The Google STS token endpoint, as WIF4J_TOKEN_URL. */
  private String tokenUrl;

  /** The IAM Credentials generateAccessToken URL, as WIF4J_IMPERSONATION_URL. */
  private String impersonationUrl;

  /** The subject-token source id (aws, aws-imds, azure-app-service, ...), as WIF4J_SOURCE. */
  private String source;

  /** Whether to renew tokens on a timer when nobody calls. Default true. */
  private boolean backgroundRefresh = true;

  /**
   * Further variables the sources read, overriding the process environment, e.g. AWS_REGION or
   * AWS_EC2_METADATA_SERVICE_ENDPOINT.
   */
  private Map<String, String> environment = new LinkedHashMap<>();

  private final Azure azure = new Azure();
  private final Gemini gemini = new Gemini();
  private final Aws aws = new Aws();

  /** Azure sources. */
  public static class Azure {
    /** The Entra application ID URI or resource to request tokens for, as WIF4J_AZURE_RESOURCE. */
    private String resource;

    /** The AKS workload identity mode, as WIF4J_AZURE_AKS_MODE. */
    private String aksMode;

    public String getResource() {
      return resource;
    }

    public void setResource(String resource) {
      this.resource = resource;
    }

    public String getAksMode() {
      return aksMode;
    }

    public void setAksMode(String aksMode) {
      this.aksMode = aksMode;
    }
  }

  /** The Vertex AI Gemini client (needs wif4j-genai-adapter). */
  public static class Gemini {
    /** Whether to provide a com.google.genai.Client bean. Default true. */
    private boolean enabled = true;

    /** The project hosting Vertex AI. Default GOOGLE_CLOUD_PROJECT, else the quota project. */
    private String project;

    /** The Vertex AI location. Default GOOGLE_CLOUD_LOCATION, else global. */
    private String location;

    /** A different Vertex AI base URL, e.g. a Private Service Connect endpoint. */
    private String baseUrl;

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public String getProject() {
      return project;
    }

    public void setProject(String project) {
      this.project = project;
    }

    public String getLocation() {
      return location;
    }

    public void setLocation(String location) {
      this.location = location;
    }

    public String getBaseUrl() {
      return baseUrl;
    }

    public void setBaseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
    }
  }

  /** Google to AWS credentials (needs wif4j-gcp-to-aws). */
  public static class Aws {
    /** The role to assume with Google ID tokens; setting it provides an AwsCredentialsProvider. */
    private String roleArn;

    /** The audience of the Google ID tokens. Default the role ARN. */
    private String audience;

    /** The role session name. Default the service account email from the token. */
    private String roleSessionName;

    /** The session duration. Default the STS default (1 h). */
    private Duration duration;

    /** The AWS STS region. Default AWS_REGION, else us-east-1. */
    private String region;

    /** A different AWS STS endpoint, e.g. a VPC endpoint. */
    private URI stsEndpoint;

    public String getRoleArn() {
      return roleArn;
    }

    public void setRoleArn(String roleArn) {
      this.roleArn = roleArn;
    }

    public String getAudience() {
      return audience;
    }

    public void setAudience(String audience) {
      this.audience = audience;
    }

    public String getRoleSessionName() {
      return roleSessionName;
    }

    public void setRoleSessionName(String roleSessionName) {
      this.roleSessionName = roleSessionName;
    }

    public Duration getDuration() {
      return duration;
    }

    public void setDuration(Duration duration) {
      this.duration = duration;
    }

    public String getRegion() {
      return region;
    }

    public void setRegion(String region) {
      this.region = region;
    }

    public URI getStsEndpoint() {
      return stsEndpoint;
    }

    public void setStsEndpoint(URI stsEndpoint) {
      this.stsEndpoint = stsEndpoint;
    }
  }

  /**
   * The {@code WIF4J_*} variables these properties stand for, with {@link #getEnvironment()} added;
   * unset properties are left out.
   */
  Map<String, String> asVariables() {
    Map<String, String> v = new LinkedHashMap<>(environment);
    put(v, "WIF4J_CREDENTIAL_CONFIG", credentialConfig);
    put(v, "WIF4J_AUDIENCE", audience);
    put(v, "WIF4J_PROJECT_NUMBER", projectNumber);
    put(v, "WIF4J_POOL_ID", poolId);
    put(v, "WIF4J_PROVIDER_ID", providerId);
    put(v, "WIF4J_SERVICE_ACCOUNT", serviceAccount);
    put(v, "WIF4J_TOKEN_LIFETIME_SECONDS", tokenLifetimeSeconds);
    put(v, "WIF4J_SCOPES", scopes.isEmpty() ? null : String.join(",", scopes));
    put(v, "WIF4J_QUOTA_PROJECT", quotaProject);
    put(v, "WIF4J_UNIVERSE_DOMAIN", universeDomain);
    put(v, "WIF4J_TOKEN_URL", tokenUrl);
    put(v, "WIF4J_IMPERSONATION_URL", impersonationUrl);
    put(v, "WIF4J_SOURCE", source);
    put(v, "WIF4J_AZURE_RESOURCE", azure.resource);
    put(v, "WIF4J_AZURE_AKS_MODE", azure.aksMode);
    return v;
  }

  private static void put(Map<String, String> v, String name, Object value) {
    if (value != null) {
      v.put(name, value.toString());
    }
  }

  public Boolean getEnabled() {
    return enabled;
  }

  public void setEnabled(Boolean enabled) {
    this.enabled = enabled;
  }

  public String getCredentialConfig() {
    return credentialConfig;
  }

  public void setCredentialConfig(String credentialConfig) {
    this.credentialConfig = credentialConfig;
  }

  public String getAudience() {
    return audience;
  }

  public void setAudience(String audience) {
    this.audience = audience;
  }

  public String getProjectNumber() {
    return projectNumber;
  }

  public void setProjectNumber(String projectNumber) {
    this.projectNumber = projectNumber;
  }

  public String getPoolId() {
    return poolId;
  }

  public void setPoolId(String poolId) {
    this.poolId = poolId;
  }

  public String getProviderId() {
    return providerId;
  }

  public void setProviderId(String providerId) {
    this.providerId = providerId;
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }

  public Integer getTokenLifetimeSeconds() {
    return tokenLifetimeSeconds;
  }

  public void setTokenLifetimeSeconds(Integer tokenLifetimeSeconds) {
    this.tokenLifetimeSeconds = tokenLifetimeSeconds;
  }

  public List<String> getScopes() {
    return scopes;
  }

  public void setScopes(List<String> scopes) {
    this.scopes = scopes;
  }

  public String getQuotaProject() {
    return quotaProject;
  }

  public void setQuotaProject(String quotaProject) {
    this.quotaProject = quotaProject;
  }

  public String getUniverseDomain() {
    return universeDomain;
  }

  public void setUniverseDomain(String universeDomain) {
    this.universeDomain = universeDomain;
  }

  public String getTokenUrl() {
    return tokenUrl;
  }

  public void setTokenUrl(String tokenUrl) {
    this.tokenUrl = tokenUrl;
  }

  public String getImpersonationUrl() {
    return impersonationUrl;
  }

  public void setImpersonationUrl(String impersonationUrl) {
    this.impersonationUrl = impersonationUrl;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public boolean isBackgroundRefresh() {
    return backgroundRefresh;
  }

  public void setBackgroundRefresh(boolean backgroundRefresh) {
    this.backgroundRefresh = backgroundRefresh;
  }

  public Map<String, String> getEnvironment() {
    return environment;
  }

  public void setEnvironment(Map<String, String> environment) {
    this.environment = environment;
  }

  public Azure getAzure() {
    return azure;
  }

  public Gemini getGemini() {
    return gemini;
  }

  public Aws getAws() {
    return aws;
  }
}

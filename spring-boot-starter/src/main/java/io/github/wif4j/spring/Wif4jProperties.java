package io.github.wif4j.spring;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

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
 *
 * @param enabled Whether to build federated Google credentials. Default: when an audience, a
 *     project number or a credential configuration is set.
 * @param credentialConfig An external_account configuration JSON, as WIF4J_CREDENTIAL_CONFIG.
 * @param audience The workload identity provider's full resource name, as WIF4J_AUDIENCE.
 * @param projectNumber The project number of the pool, with pool-id and provider-id, as
 *     WIF4J_PROJECT_NUMBER.
 * @param poolId The workload identity pool ID, as WIF4J_POOL_ID.
 * @param providerId The workload identity pool provider ID, as WIF4J_PROVIDER_ID.
 * @param serviceAccount The service account to impersonate, as WIF4J_SERVICE_ACCOUNT. Default none.
 * @param tokenLifetimeSeconds Lifetime of impersonated tokens in seconds, as
 *     WIF4J_TOKEN_LIFETIME_SECONDS. Default 3600.
 * @param scopes OAuth scopes, as WIF4J_SCOPES. Default cloud-platform.
 * @param quotaProject The project billed for quota, as WIF4J_QUOTA_PROJECT.
 * @param universeDomain The universe domain, as WIF4J_UNIVERSE_DOMAIN. Default googleapis.com.
 * @param tokenUrl The Google STS token endpoint, as WIF4J_TOKEN_URL.
 * @param impersonationUrl The IAM Credentials generateAccessToken URL, as WIF4J_IMPERSONATION_URL.
 * @param source The subject-token source id (aws, aws-imds, azure-app-service, ...), as
 *     WIF4J_SOURCE.
 * @param backgroundRefresh Whether to renew tokens on a timer when nobody calls. Default true.
 * @param environment Further variables the sources read, overriding the process environment, e.g.
 *     AWS_REGION or AWS_EC2_METADATA_SERVICE_ENDPOINT.
 * @param azure Azure sources.
 * @param gemini The Vertex AI Gemini client (needs wif4j-genai-adapter).
 * @param aws Google to AWS credentials (needs wif4j-gcp-to-aws).
 */
@ConfigurationProperties(prefix = "wif4j")
public record Wif4jProperties(
    Boolean enabled,
    String credentialConfig,
    String audience,
    String projectNumber,
    String poolId,
    String providerId,
    String serviceAccount,
    Integer tokenLifetimeSeconds,
    @DefaultValue List<String> scopes,
    String quotaProject,
    String universeDomain,
    String tokenUrl,
    String impersonationUrl,
    String source,
    @DefaultValue("true") boolean backgroundRefresh,
    @DefaultValue Map<String, String> environment,
    @DefaultValue Azure azure,
    @DefaultValue Gemini gemini,
    @DefaultValue Aws aws) {

  /**
   * Azure sources.
   *
   * @param resource The Entra application ID URI or resource to request tokens for, as
   *     WIF4J_AZURE_RESOURCE.
   * @param aksMode The AKS workload identity mode, as WIF4J_AZURE_AKS_MODE.
   */
  public record Azure(String resource, String aksMode) {}

  /**
   * The Vertex AI Gemini client (needs wif4j-genai-adapter).
   *
   * @param enabled Whether to provide a com.google.genai.Client bean. Default true.
   * @param project The project hosting Vertex AI. Default GOOGLE_CLOUD_PROJECT, else the quota
   *     project.
   * @param location The Vertex AI location. Default GOOGLE_CLOUD_LOCATION, else global.
   * @param baseUrl A different Vertex AI base URL, e.g. a Private Service Connect endpoint.
   */
  public record Gemini(
      @DefaultValue("true") boolean enabled, String project, String location, String baseUrl) {}

  /**
   * Google to AWS credentials (needs wif4j-gcp-to-aws).
   *
   * @param roleArn The role to assume with Google ID tokens; setting it provides an
   *     AwsCredentialsProvider.
   * @param audience The audience of the Google ID tokens. Default the role ARN.
   * @param roleSessionName The role session name. Default the service account email from the token.
   * @param duration The session duration. Default the STS default (1 h).
   * @param region The AWS STS region. Default AWS_REGION, else us-east-1.
   * @param stsEndpoint A different AWS STS endpoint, e.g. a VPC endpoint.
   */
  public record Aws(
      String roleArn,
      String audience,
      String roleSessionName,
      Duration duration,
      String region,
      URI stsEndpoint) {}

  /**
   * The {@code WIF4J_*} variables these properties stand for, with {@link #environment()} added;
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

  /**
   * Names the {@link #environment()} variables without their values: they may be secrets (e.g.
   * AWS_SECRET_ACCESS_KEY), and a record's own {@code toString()} would print them.
   */
  @Override
  public String toString() {
    return "Wif4jProperties{audience=%s, serviceAccount=%s, source=%s, environment=%s}"
        .formatted(audience, serviceAccount, source, environment.keySet());
  }

  private static void put(Map<String, String> v, String name, Object value) {
    if (value != null) {
      v.put(name, value.toString());
    }
  }
}

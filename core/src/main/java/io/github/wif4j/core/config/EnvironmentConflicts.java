package io.github.wif4j.core.config;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.WorkloadIdentityAudience;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A configuration file named by the environment and the {@code WIF4J_*} federation variables must
 * not disagree: the file decides, so a variable that says something else would be silently ignored.
 * Each such variable must be unset or equal to the file's value. Internal.
 */
final class EnvironmentConflicts {
  private EnvironmentConflicts() {}

  /**
   * Throws when a {@code WIF4J_*} variable contradicts {@code config}, which came from {@code
   * origin} (the variable naming the file or holding the JSON).
   *
   * @throws ConfigurationException naming the variable, the file and both values
   */
  static void check(Environment env, ExternalAccountConfig config, String origin) {
    FederationSettings file = config.settings();
    WorkloadIdentityAudience audience = file.audience();
    String[] parts = {
      FederationSettings.ENV_PROJECT_NUMBER,
      FederationSettings.ENV_POOL_ID,
      FederationSettings.ENV_PROVIDER_ID
    };
    agree(env, FederationSettings.ENV_AUDIENCE, audience.toString(), origin, "audience");
    if (!audience.isWorkforce()) {
      agree(env, parts[0], audience.projectNumber(), origin, "audience");
      agree(env, parts[1], audience.poolId(), origin, "audience");
      agree(env, parts[2], audience.providerId(), origin, "audience");
    }
    agree(
        env,
        FederationSettings.ENV_SERVICE_ACCOUNT,
        file.serviceAccountEmail().orElse(null),
        origin,
        "service_account_impersonation_url");
    agree(
        env,
        FederationSettings.ENV_IMPERSONATION_URL,
        file.serviceAccountImpersonationUrl().map(URI::toString).orElse(null),
        origin,
        "service_account_impersonation_url");
    agree(
        env,
        FederationSettings.ENV_TOKEN_LIFETIME_SECONDS,
        file.serviceAccountEmail().isPresent()
            ? Long.toString(file.tokenLifetime().getSeconds())
            : null,
        origin,
        "service_account_impersonation.token_lifetime_seconds");
    agree(env, FederationSettings.ENV_TOKEN_URL, file.tokenUrl().toString(), origin, "token_url");
    agree(
        env,
        FederationSettings.ENV_UNIVERSE_DOMAIN,
        file.universeDomain(),
        origin,
        "universe_domain");
    agree(
        env,
        FederationSettings.ENV_QUOTA_PROJECT,
        file.quotaProjectId().orElse(null),
        origin,
        "quota_project_id");
    for (String var : List.of(FederationSettings.ENV_SCOPES, SourceDetector.SOURCE_ENV)) {
      Optional<String> v = env.get(var);
      if (v.isPresent()) {
        throw ConfigurationException.of(
            var,
            "is set to '"
                + v.get()
                + "', but "
                + origin
                + " names an external_account configuration, which decides "
                + (var.equals(SourceDetector.SOURCE_ENV)
                    ? "the source (its credential_source)"
                    : "the scopes (cloud-platform unless the code asks for others)"),
            "either the configuration or the WIF4J_* variables: unset "
                + var
                + ", or unset "
                + origin
                + " and configure with WIF4J_* alone");
      }
    }
  }

  private static void agree(
      Environment env, String var, String fileValue, String origin, String fileField) {
    Optional<String> v = env.get(var);
    if (v.isEmpty() || v.get().equals(fileValue)) {
      return;
    }
    throw ConfigurationException.of(
        var,
        "is '"
            + v.get()
            + "', but the configuration named by "
            + origin
            + (fileValue == null
                ? " has no " + fileField
                : " has " + fileField + " '" + fileValue + "'"),
        "one source of settings: unset "
            + var
            + " (the file decides), or make it agree with the file, or unset "
            + origin
            + " and configure with WIF4J_* alone");
  }
}

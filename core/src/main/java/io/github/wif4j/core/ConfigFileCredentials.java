package io.github.wif4j.core;

import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ExternalAccountCredentials;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.internal.config.Checks;
import io.github.wif4j.core.internal.json.JsonTree;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands an {@code external_account} configuration to google-auth when no wif4j source serves its
 * {@code credential_source}: the original text, so that every field reaches google-auth, with only
 * the settings the code changed (e.g. {@code createWithQuotaProject}) written over it.
 */
final class ConfigFileCredentials {
  private ConfigFileCredentials() {}

  /**
   * google-auth's credentials for {@code config} under {@code settings}. No I/O.
   *
   * @throws ConfigurationException when google-auth refuses the configuration
   */
  static ExternalAccountCredentials load(
      ExternalAccountConfig config, FederationSettings settings, HttpTransportFactory transport) {
    String json = json(config, settings);
    ExternalAccountCredentials c;
    try {
      c =
          ExternalAccountCredentials.fromStream(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), transport);
    } catch (IOException | RuntimeException e) {
      throw ConfigurationException.of(
          "credential_source",
          "google-auth could not load the configuration: " + e.getMessage(),
          "a configuration as written by gcloud iam workload-identity-pools create-cred-config",
          e);
    }
    if (!settings.scopes().equals(List.of(Checks.CLOUD_PLATFORM))) {
      c = (ExternalAccountCredentials) c.createScoped(settings.scopes());
    }
    return c;
  }

  /** The text for google-auth: the original, or the original with changed settings over it. */
  static String json(ExternalAccountConfig config, FederationSettings s) {
    FederationSettings file = config.settings();
    String original = config.originalJson().orElse(null);
    if (original == null) {
      return config.toBuilder().settings(s).build().toJson();
    }
    if (sameExceptScopes(file, s)) {
      return original;
    }
    Map<String, Object> root;
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> parsed = (Map<String, Object>) JsonTree.parse(original, true);
      root = parsed;
    } catch (JsonTree.Malformed | ClassCastException e) {
      return config.toBuilder().settings(s).build().toJson(); // unreachable: it was parsed
    }
    root.put("audience", s.audience().toString());
    root.put("token_url", s.tokenUrl().toString());
    put(root, "service_account_impersonation_url", s.serviceAccountImpersonationUrl());
    if (s.serviceAccountImpersonationUrl().isPresent()) {
      @SuppressWarnings("unchecked")
      Map<String, Object> o =
          root.get("service_account_impersonation") instanceof Map<?, ?> options
              ? (Map<String, Object>) options
              : new LinkedHashMap<>();
      o.put("token_lifetime_seconds", s.tokenLifetime().getSeconds());
      root.put("service_account_impersonation", o);
    }
    put(root, "token_info_url", s.tokenInfoUrl());
    put(root, "quota_project_id", s.quotaProjectId());
    put(root, "workforce_pool_user_project", s.workforcePoolUserProject());
    root.put("universe_domain", s.universeDomain());
    return JsonTree.write(root, false);
  }

  private static boolean sameExceptScopes(FederationSettings a, FederationSettings b) {
    return a.audience().equals(b.audience())
        && a.serviceAccountImpersonationUrl().equals(b.serviceAccountImpersonationUrl())
        && a.tokenLifetime().equals(b.tokenLifetime())
        && a.quotaProjectId().equals(b.quotaProjectId())
        && a.universeDomain().equals(b.universeDomain())
        && a.tokenUrl().equals(b.tokenUrl())
        && a.tokenInfoUrl().equals(b.tokenInfoUrl())
        && a.workforcePoolUserProject().equals(b.workforcePoolUserProject());
  }

  private static void put(Map<String, Object> root, String key, java.util.Optional<?> value) {
    if (value.isPresent()) {
      Object v = value.get();
      root.put(key, v instanceof URI ? v.toString() : v);
    } else {
      root.remove(key);
    }
  }
}

package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.config.ExternalAccountConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration file: parsed once, handed on as written, never silently overridden. */
class ConfigFileTest {
  private static final String AUD =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pool1/"
          + "providers/prov1";
  private static final String JSON =
      "{\"type\":\"external_account\",\"audience\":\""
          + AUD
          + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
          + "\"token_url\":\"https://sts.googleapis.com/v1/token\","
          + "\"credential_source\":{\"file\":\"/var/token\"},"
          + "\"x_future_field\":{\"kept\":true}}";

  @TempDir Path dir;

  private Environment envWithFile(String json, Map<String, String> more) throws Exception {
    Map<String, String> vars = new HashMap<>(more);
    vars.put(
        "GOOGLE_APPLICATION_CREDENTIALS",
        Files.writeString(dir.resolve("config.json"), json).toString());
    return Environment.of(vars);
  }

  @Test
  void fromJson_keepsOriginalText_forGoogleAuth() {
    ExternalAccountConfig config = ExternalAccountConfig.fromJson(JSON);
    assertEquals(JSON, config.originalJson().orElseThrow());
    assertEquals(JSON, ConfigFileCredentials.json(config, config.settings()));
  }

  @Test
  void changedSetting_isWrittenOverTheOriginal_unknownFieldsSurvive() {
    ExternalAccountConfig config = ExternalAccountConfig.fromJson(JSON);
    String json =
        ConfigFileCredentials.json(
            config, config.settings().toBuilder().quotaProjectId("billing-1").build());
    assertTrue(json.contains("\"x_future_field\":{\"kept\":true}"), json);
    assertTrue(json.contains("\"quota_project_id\":\"billing-1\""), json);
  }

  @Test
  void typeTypo_inGoogleApplicationCredentials_namesValueAndValidTypes() throws Exception {
    Environment env =
        envWithFile(JSON.replace("\"external_account\"", "\"external_acount\""), Map.of());
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> ExternalAccountConfig.fromEnvironment(env));
    assertEquals("type", e.field());
    assertTrue(
        e.getMessage().contains("'external_acount' is not external_account"), e.getMessage());
    assertTrue(e.getMessage().contains("a typo?"), e.getMessage());
    assertTrue(e.getMessage().contains("service_account"), e.getMessage());
  }

  @Test
  void otherCredentialType_isLeftToOtherLibraries() throws Exception {
    Environment env = envWithFile("{\"type\":\"service_account\"}", Map.of());
    assertTrue(ExternalAccountConfig.fromEnvironment(env).isEmpty());
  }

  @Test
  void wif4jVariableContradictingTheFile_isAnErrorNamingBoth() throws Exception {
    Environment env =
        envWithFile(JSON, Map.of("WIF4J_AUDIENCE", AUD.replace("prov1", "other-provider")));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> ExternalAccountConfig.fromEnvironment(env));
    assertEquals("WIF4J_AUDIENCE", e.field());
    assertTrue(e.getMessage().contains("GOOGLE_APPLICATION_CREDENTIALS"), e.getMessage());
    assertTrue(e.getMessage().contains("other-provider"), e.getMessage());
  }

  @Test
  void wif4jVariableAgreeingWithTheFile_isFine() throws Exception {
    Environment env = envWithFile(JSON, Map.of("WIF4J_AUDIENCE", AUD, "WIF4J_POOL_ID", "pool1"));
    assertEquals(
        AUD,
        ExternalAccountConfig.fromEnvironment(env).orElseThrow().settings().audience().toString());
  }

  @Test
  void wif4jScopesWithAFile_isAnError() throws Exception {
    Environment env = envWithFile(JSON, Map.of("WIF4J_SCOPES", "https://example/scope"));
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class, () -> ExternalAccountConfig.fromEnvironment(env));
    assertEquals("WIF4J_SCOPES", e.field());
  }
}

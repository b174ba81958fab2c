package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.wif4j.core.http.Wif4jTransportFactory;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeAzureImds;
import io.github.wif4j.testing.FakeCloud;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code wif4j create-cred-config}: gcloud's forms and options. */
class CreateCredConfigTest {
  static final String AUDIENCE =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/"
          + "azure-pool/providers/entra";

  @Test
  void azureVm_writesGcloudsUrlSourcedForm_whichGoogleAuthReadsFromImds() throws Exception {
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeCloud cloud = FakeCloud.start();
        FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      cloud.sts().trustIssuer(tenant.issuer(), "api://google-federation");
      Map<String, String> env = new HashMap<>();
      env.put("WIF4J_SOURCE", "azure-imds");
      env.put("WIF4J_AZURE_RESOURCE", "api://google-federation");
      env.put("WIF4J_AUDIENCE", cloud.audience("azure-pool", "entra"));
      env.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
      CliRunner r = new CliRunner().run(env, "create-cred-config");

      assertEquals(ExitCodes.OK, r.exit, r.err());
      JsonObject source =
          JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonObject("credential_source");
      assertFalse(source.has("executable"), r.out());
      assertEquals(
          "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01"
              + "&resource=api%3A%2F%2Fgoogle-federation",
          source.get("url").getAsString());
      assertEquals("True", source.getAsJsonObject("headers").get("Metadata").getAsString());
      assertEquals(
          "access_token",
          source.getAsJsonObject("format").get("subject_token_field_name").getAsString());

      String json = r.out().replace("http://169.254.169.254", imds.baseUri().toString());
      GoogleCredentials google =
          GoogleCredentials.fromStream(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
              Wif4jTransportFactory.create(CliRunner.testTls()));
      google.refresh();
      assertTrue(cloud.sts().isIssued(google.getAccessToken().getTokenValue()));
    }
  }

  @Test
  void azureVm_userAssignedIdentity_selectsItByClientId() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("WIF4J_SOURCE", "azure-imds");
    env.put("WIF4J_AZURE_RESOURCE", "api://google-federation");
    env.put("AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555");
    env.put("WIF4J_AUDIENCE", AUDIENCE);
    CliRunner r = new CliRunner().run(env, "create-cred-config");
    assertEquals(ExitCodes.OK, r.exit, r.err());
    assertTrue(
        JsonParser.parseString(r.out())
            .getAsJsonObject()
            .getAsJsonObject("credential_source")
            .get("url")
            .getAsString()
            .endsWith("&client_id=11111111-2222-3333-4444-555555555555"),
        r.out());
  }

  @Test
  void executable_takesGcloudsTimeoutAndOutputFileOptions() throws Exception {
    CliRunner r =
        new CliRunner()
            .run(
                Map.of("WIF4J_AUDIENCE", AUDIENCE),
                "create-cred-config",
                "--executable-command",
                "/opt/wif4j/bin/wif4j google-executable",
                "--executable-timeout-millis",
                "60000",
                "--executable-output-file",
                "/var/run/wif4j/token.json");
    assertEquals(ExitCodes.OK, r.exit, r.err());
    JsonObject exec =
        JsonParser.parseString(r.out())
            .getAsJsonObject()
            .getAsJsonObject("credential_source")
            .getAsJsonObject("executable");
    assertEquals("/opt/wif4j/bin/wif4j google-executable", exec.get("command").getAsString());
    assertEquals(60000, exec.get("timeout_millis").getAsInt());
    assertEquals("/var/run/wif4j/token.json", exec.get("output_file").getAsString());

    CliRunner bad =
        new CliRunner()
            .run(
                Map.of("WIF4J_AUDIENCE", AUDIENCE),
                "create-cred-config",
                "--executable",
                "--executable-timeout-millis",
                "1000");
    assertEquals(ExitCodes.CONFIGURATION, bad.exit);
    assertTrue(bad.err().contains("--executable-timeout-millis: 1000 is out of range"), bad.err());
  }
}

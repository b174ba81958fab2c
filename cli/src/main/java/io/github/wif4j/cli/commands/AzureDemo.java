package io.github.wif4j.cli.commands;

import io.github.wif4j.azure.AzureSource;
import io.github.wif4j.cli.Console;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeCloud;
import java.util.List;
import java.util.Map;

/** The demo's Azure App Service scenario: managed identity, direct resource access, Gemini. */
final class AzureDemo {
  static final String RESOURCE = "api://google-federation";

  private AzureDemo() {}

  static boolean run(
      int n, FakeCloud cloud, TransportPolicy policy, String prompt, Console console) {
    console.out(
        n + ". Azure App Service -> Google STS (direct resource access) -> Vertex AI Gemini");
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      cloud.sts().trustIssuer(tenant.issuer(), RESOURCE);
      Environment env =
          Environment.of(
              Map.of(
                  "IDENTITY_ENDPOINT", app.identityEndpoint(),
                  "IDENTITY_HEADER", app.identityHeader(),
                  "WIF4J_AZURE_RESOURCE", RESOURCE));
      int before = cloud.sts().exchanges().size();
      try (AzureSource azure =
              AzureSource.builder().environment(env).transportPolicy(policy).build();
          FederatedCredentials google =
              DemoCommand.credentials(
                  cloud, azure, cloud.audience("azure-pool", "entra"), null, policy)) {
        DemoCommand.Step s = DemoCommand.Step.start();
        azure.fetch(null);
        s.ok(
            console,
            "Entra token from the managed identity endpoint (IDENTITY_HEADER read per fetch)",
            "resource " + RESOURCE + ", object id " + tenant.systemAssigned().objectId());
        s = DemoCommand.Step.start();
        google.refresh();
        s.ok(
            console,
            "Google STS exchanged the Entra token (no service account: direct access)",
            "principal " + cloud.sts().exchanges().get(before).principal());
        DemoCommand.gemini(console, cloud, google, prompt);
        DemoCommand.requests(
            console,
            List.of("App Service identity", "Google STS", "IAM Credentials", "Vertex AI"),
            List.of(app, cloud.sts(), cloud.iam(), cloud.vertex()));
        return true;
      }
    } catch (Exception e) {
      return DemoCommand.failed(console, e);
    }
  }
}

package io.github.wif4j.azure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeCloud;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * App Service and Container Apps answer a token request for a resource without an app registration
 * with a generic 500 ("An unexpected error occured while fetching the AAD Token"): a configuration
 * mistake, not an outage.
 */
class AppServiceUnregisteredResourceTest {
  private final FakeCloud cloud = FakeCloud.start();
  private final FakeAzureIdentity tenant = new FakeAzureIdentity();
  private final Map<String, String> vars = new HashMap<>();

  @AfterEach
  void stop() {
    cloud.close();
  }

  @Test
  void generic500ForUnregisteredResource_notRetried_explainedAsTheResource() throws Exception {
    tenant.rejectResource("api://no-such-app");
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      vars.put("IDENTITY_ENDPOINT", app.identityEndpoint());
      vars.put("IDENTITY_HEADER", app.identityHeader());
      try (AzureSource azure =
              AzureSource.builder()
                  .environment(Environment.of(vars))
                  .resource("api://no-such-app")
                  .transportPolicy(AzureSourceIntegrationTest.POLICY)
                  .build();
          FederatedCredentials google =
              FederatedCredentials.builder()
                  .settings(
                      FederationSettings.builder()
                          .audience(cloud.audience("azure-pool", "entra"))
                          .tokenUrl(cloud.stsTokenUrl())
                          .build())
                  .source(azure)
                  .transportPolicy(AzureSourceIntegrationTest.POLICY)
                  .backgroundRefresh(false)
                  .build()) {
        Exception e = assertThrows(Exception.class, () -> google.getRequestMetadata(null));
        FederationException fe = find(e);
        assertFalse(fe.isRetryable(), "not transient");
        assertEquals(1, app.requestCount(), "not retried");
        String text = fe.getMessage();
        assertTrue(text.contains("no app registration"), text);
        assertFalse(text.toLowerCase().contains("retry later"), text);
        String fix = fe.fix().orElse("");
        assertTrue(fix.contains("https://management.azure.com/"), fix);
        assertTrue(fix.contains("WIF4J_AZURE_RESOURCE"), fix);
      }
    }
  }

  private static FederationException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FederationException && ((FederationException) c).fix().isPresent()) {
        return (FederationException) c;
      }
    }
    throw new AssertionError("no explained FederationException in " + t);
  }
}

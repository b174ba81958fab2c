package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which endpoints the first exchange warms up, and the opt-out. */
class ParallelStartTest {
  static final String AUD =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/aws-pool/providers/aws-provider";
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";

  private static FederatedCredentials.Builder builder(Map<String, String> env) {
    return FederatedCredentials.builder().environment(Environment.of(env));
  }

  @Test
  void byDefault_warmsUpStsAndIam() {
    FederationSettings s = FederationSettings.builder().audience(AUD).serviceAccount(SA).build();
    assertEquals(
        List.of(s.tokenUrl(), s.serviceAccountImpersonationUrl().orElseThrow()),
        builder(Map.of()).tlsWarmUp(s));
  }

  @Test
  void directAccess_warmsUpStsOnly() {
    FederationSettings s = FederationSettings.builder().audience(AUD).build();
    assertEquals(List.of(s.tokenUrl()), builder(Map.of()).tlsWarmUp(s));
    assertEquals(URI.create("https://sts.googleapis.com/v1/token"), s.tokenUrl());
  }

  @Test
  void parallelStartFalse_warmsUpNothing() {
    FederationSettings s = FederationSettings.builder().audience(AUD).serviceAccount(SA).build();
    assertNull(builder(Map.of(FederatedCredentials.ENV_PARALLEL_START, "false")).tlsWarmUp(s));
    assertNull(builder(Map.of(FederatedCredentials.ENV_PARALLEL_START, "FALSE")).tlsWarmUp(s));
  }
}

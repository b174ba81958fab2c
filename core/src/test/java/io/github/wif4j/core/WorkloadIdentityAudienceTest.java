package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadIdentityAudienceTest {
  private static final String AUD =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/my-pool/"
          + "providers/my-aws-provider";

  @Test
  void parse_validAudience_exposesParts() {
    WorkloadIdentityAudience a = WorkloadIdentityAudience.parse(AUD);
    assertEquals("123456789012", a.projectNumber());
    assertEquals("my-pool", a.poolId());
    assertEquals("my-aws-provider", a.providerId());
    assertEquals("googleapis.com", a.universeDomain());
    assertFalse(a.isWorkforce());
    assertEquals(AUD, a.toString());
    assertEquals(a, WorkloadIdentityAudience.of("123456789012", "my-pool", "my-aws-provider"));
    assertEquals(a.hashCode(), WorkloadIdentityAudience.parse(" " + AUD + "\n").hashCode());
    assertNotEquals(a, WorkloadIdentityAudience.of("123456789012", "my-pool", "other-provider"));
  }

  @Test
  void principals_forBindings_haveExactShape() {
    WorkloadIdentityAudience a = WorkloadIdentityAudience.parse(AUD);
    String pool = "projects/123456789012/locations/global/workloadIdentityPools/my-pool";
    assertEquals(pool, a.poolResourceName());
    assertEquals(
        "principal://iam.googleapis.com/" + pool + "/subject/arn:aws:sts::1:assumed-role/r/i",
        a.principal("arn:aws:sts::1:assumed-role/r/i"));
    assertEquals(
        "principalSet://iam.googleapis.com/" + pool + "/attribute.aws_role/arn:aws:iam::1:role/r",
        a.principalSet("aws_role", "arn:aws:iam::1:role/r"));
    assertEquals(a.principalSet("aws_role", "x"), a.principalSet("attribute.aws_role", "x"));
    assertEquals("principalSet://iam.googleapis.com/" + pool + "/*", a.principalSetAll());
  }

  @Test
  void parse_workforceAudience_isAccepted() {
    WorkloadIdentityAudience a =
        WorkloadIdentityAudience.parse(
            "//iam.googleapis.com/locations/global/workforcePools/corp-pool/providers/okta");
    assertTrue(a.isWorkforce());
    assertEquals("corp-pool", a.poolId());
    assertEquals("okta", a.providerId());
    assertEquals("", a.projectNumber());
    assertEquals(
        "principalSet://iam.googleapis.com/locations/global/workforcePools/corp-pool/*",
        a.principalSetAll());
    assertEquals(a, WorkloadIdentityAudience.workforce("corp-pool", "okta"));
  }

  @Test
  void parse_otherUniverse_keepsDomain() {
    WorkloadIdentityAudience a =
        WorkloadIdentityAudience.parse(
            "//iam.example-universe.goog/projects/42/locations/global/workloadIdentityPools/"
                + "pool1/providers/prov1");
    assertEquals("example-universe.goog", a.universeDomain());
    assertTrue(a.principalSetAll().startsWith("principalSet://iam.example-universe.goog/"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // input | substring of the problem | substring of the expected shape
        "//iam.googleapis.com/projects/my-project/locations/global/workloadIdentityPools/my-pool/providers/prov1"
            + "| 'my-project' is a project ID; the audience needs the project NUMBER"
            + "| PROJECT_NUMBER/locations/global/workloadIdentityPools/my-pool/providers/prov1",
        "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool"
            + "| names the workload identity pool, not a provider"
            + "| /workloadIdentityPools/my-pool/providers/PROVIDER_ID",
        "https://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1"
            + "| starts with 'https:'"
            + "| //iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1",
        "iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1"
            + "| does not start with '//iam.googleapis.com/'"
            + "| //iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1",
        "projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1"
            + "| does not start with"
            + "| //iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1",
        "//iam.googleapis.com/projects/123/locations/us-east1/workloadIdentityPools/my-pool/providers/prov1"
            + "| uses the location 'us-east1'; pools only exist in 'global'"
            + "| /projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1",
        "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/My_Pool/providers/prov1"
            + "| pool ID 'My_Pool' is invalid"
            + "| //iam.googleapis.com/projects/123",
        "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/gcp-pool/providers/prov1"
            + "| 'gcp-' is reserved"
            + "| /providers/prov1",
        "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/abc/providers/prov1"
            + "| (it has 3 characters)"
            + "| /workloadIdentityPools/abc/providers/prov1",
        "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/this-provider-id-is-far-too-long-for-google"
            + "| provider ID 'this-provider-id-is-far-too-long-for-google' is invalid"
            + "| /providers/",
        "//sts.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1"
            + "| has the host 'sts.googleapis.com'"
            + "| //iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1",
        "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1/extra"
            + "| has extra text after the provider ID"
            + "| providers/prov1",
        "//iam.googleapis.com/locations/global/workforcePools/corp-pool"
            + "| names the workforce pool, not a provider"
            + "| //iam.googleapis.com/locations/global/workforcePools/corp-pool/providers/PROVIDER_ID",
        "//iam.googleapis.com/something/else| is not a workload identity pool provider name| workforcePools",
        "//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my pool/providers/p1"
            + "| contains whitespace| //iam.googleapis.com/projects/PROJECT_NUMBER",
        "principalSet://iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/my-pool/providers/prov1"
            + "| starts with 'principalSet:'| //iam.googleapis.com/projects/123/",
      })
  void parse_malformed_explainsProblemAndShape(String input, String problem, String shape) {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> WorkloadIdentityAudience.parse(input));
    assertEquals("audience", e.field());
    assertTrue(e.getMessage().startsWith("audience: "), e.getMessage());
    assertTrue(e.getMessage().contains(problem.strip()), e.getMessage());
    assertTrue(e.expected().contains(shape.strip()), e.getMessage());
  }

  @Test
  void parse_nullOrBlank_isMissing() {
    ConfigurationException e =
        assertThrows(ConfigurationException.class, () -> WorkloadIdentityAudience.parse(null));
    assertTrue(e.getMessage().contains("audience: is required but missing"), e.getMessage());
    e = assertThrows(ConfigurationException.class, () -> WorkloadIdentityAudience.parse("  "));
    assertTrue(e.getMessage().contains("is blank"), e.getMessage());
  }

  @Test
  void of_projectId_namesProjectNumberAndFillsShape() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> WorkloadIdentityAudience.of("my-project", "my-pool", "prov1"));
    assertEquals("projectNumber", e.field());
    assertTrue(e.getMessage().contains("project NUMBER"), e.getMessage());
    assertTrue(
        e.expected().contains("/workloadIdentityPools/my-pool/providers/prov1"), e.expected());
  }

  @Test
  void of_badProvider_namesProviderId() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> WorkloadIdentityAudience.of("123", "my-pool", "Prov"));
    assertEquals("providerId", e.field());
    assertTrue(e.getMessage().contains("lowercase"), e.getMessage());
  }

  @Test
  void principal_blankSubject_isRejected() {
    WorkloadIdentityAudience a = WorkloadIdentityAudience.parse(AUD);
    assertThrows(ConfigurationException.class, () -> a.principal(" "));
    assertThrows(ConfigurationException.class, () -> a.principalSet("a b", "v"));
  }
}

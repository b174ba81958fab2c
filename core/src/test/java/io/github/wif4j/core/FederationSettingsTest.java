package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FederationSettingsTest {
  static final String AUD =
      "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/my-pool/"
          + "providers/my-provider";
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  static final String WORKFORCE =
      "//iam.googleapis.com/locations/global/workforcePools/corp-pool/providers/okta";

  @Test
  void build_audienceOnly_appliesDefaults() {
    FederationSettings s = FederationSettings.builder().audience(AUD).build();
    assertEquals(AUD, s.audience().toString());
    assertEquals(Optional.empty(), s.serviceAccountEmail());
    assertEquals(Optional.empty(), s.serviceAccountImpersonationUrl());
    assertEquals(Duration.ofSeconds(3600), s.tokenLifetime());
    assertEquals(List.of("https://www.googleapis.com/auth/cloud-platform"), s.scopes());
    assertEquals("googleapis.com", s.universeDomain());
    assertEquals(URI.create("https://sts.googleapis.com/v1/token"), s.tokenUrl());
    assertEquals(Optional.empty(), s.quotaProjectId());
    assertEquals(Optional.empty(), s.tokenInfoUrl());
  }

  @Test
  void build_serviceAccount_derivesImpersonationUrl() {
    FederationSettings s =
        FederationSettings.builder()
            .audience(WorkloadIdentityAudience.parse(AUD))
            .serviceAccount(SA)
            .tokenLifetime(Duration.ofHours(2))
            .build();
    assertEquals(
        URI.create(
            "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                + SA
                + ":generateAccessToken"),
        s.serviceAccountImpersonationUrl().get());
    assertEquals(Duration.ofSeconds(7200), s.tokenLifetime());
    assertEquals(s, s.toBuilder().build());
    assertEquals(s.hashCode(), s.toBuilder().build().hashCode());
  }

  @Test
  void build_impersonationUrl_extractsEmail() {
    FederationSettings s =
        FederationSettings.builder()
            .audience(AUD)
            .serviceAccountImpersonationUrl(
                "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                    + SA
                    + ":generateAccessToken")
            .build();
    assertEquals(Optional.of(SA), s.serviceAccountEmail());
  }

  @Test
  void build_otherUniverse_derivesEndpoints() {
    FederationSettings s =
        FederationSettings.builder()
            .audience(
                "//iam.example.goog/projects/42/locations/global/workloadIdentityPools/pool1/"
                    + "providers/prov1")
            .serviceAccount(SA)
            .build();
    assertEquals("example.goog", s.universeDomain());
    assertEquals(URI.create("https://sts.example.goog/v1/token"), s.tokenUrl());
    assertTrue(
        s.serviceAccountImpersonationUrl()
            .get()
            .toString()
            .startsWith("https://iamcredentials.example.goog/"));
  }

  @Test
  void build_workforceUserProject_isKept() {
    FederationSettings s =
        FederationSettings.builder().audience(WORKFORCE).workforcePoolUserProject("p1").build();
    assertEquals(Optional.of("p1"), s.workforcePoolUserProject());
  }

  static Stream<Arguments> badBuilders() {
    return Stream.of(
        bad("no audience", b -> {}, "audience", "is required", "//iam.googleapis.com/projects/"),
        bad(
            "http token url",
            b -> b.audience(AUD).tokenUrl("http://sts.googleapis.com/v1/token"),
            "tokenUrl",
            "plain http",
            "https://sts.googleapis.com/v1/token"),
        bad(
            "hostless token url",
            b -> b.audience(AUD).tokenUrl("https:///v1/token"),
            "tokenUrl",
            "has no host",
            "https URL with a host"),
        bad(
            "userinfo token url",
            b -> b.audience(AUD).tokenUrl("https://user:pw@sts.googleapis.com/v1/token"),
            "tokenUrl",
            "user info",
            "https URL with a host"),
        bad(
            "query in token url",
            b -> b.audience(AUD).tokenUrl("https://sts.googleapis.com/v1/token?x=1"),
            "tokenUrl",
            "query string",
            "without '?...'"),
        bad(
            "fragment in token url",
            b -> b.audience(AUD).tokenUrl("https://sts.googleapis.com/v1/token#frag"),
            "tokenUrl",
            "fragment",
            "without '#...'"),
        bad(
            "email without @",
            b -> b.audience(AUD).serviceAccount("vertex-caller"),
            "serviceAccount",
            "'vertex-caller' is not an email",
            "vertex-caller@PROJECT_ID.iam.gserviceaccount.com"),
        bad(
            "email with whitespace",
            b -> b.audience(AUD).serviceAccount("a b@x.iam.gserviceaccount.com"),
            "serviceAccount",
            "whitespace",
            "NAME@PROJECT_ID.iam.gserviceaccount.com"),
        bad(
            "email with a character a URL cannot carry",
            b -> b.audience(AUD).serviceAccount("vertex\"caller@p.iam.gserviceaccount.com"),
            "serviceAccount",
            "is not a valid email",
            "NAME@PROJECT_ID.iam.gserviceaccount.com"),
        bad(
            "email with a brace",
            b -> b.audience(AUD).serviceAccount("{sa}@p.iam.gserviceaccount.com"),
            "serviceAccount",
            "is not a valid email",
            "NAME@PROJECT_ID.iam.gserviceaccount.com"),
        bad(
            "member string",
            b -> b.audience(AUD).serviceAccount("serviceAccount:" + SA),
            "serviceAccount",
            "IAM member string",
            SA),
        bad(
            "lifetime too short",
            b -> b.audience(AUD).serviceAccount(SA).tokenLifetime(Duration.ofSeconds(60)),
            "tokenLifetime",
            "60 seconds is out of range",
            "600 to 43200"),
        bad(
            "lifetime too long",
            b -> b.audience(AUD).serviceAccount(SA).tokenLifetime(Duration.ofHours(13)),
            "tokenLifetime",
            "46800 seconds is out of range",
            "constraints/iam.allowServiceAccountCredentialLifetimeExtension"),
        bad(
            "lifetime without impersonation",
            b -> b.audience(AUD).tokenLifetime(Duration.ofHours(2)),
            "tokenLifetime",
            "without a service account to impersonate",
            "serviceAccount(...)"),
        bad(
            "empty scopes",
            b -> b.audience(AUD).scopes(List.of()),
            "scopes",
            "is an empty list",
            "cloud-platform"),
        bad(
            "blank scope",
            b -> b.audience(AUD).scopes(List.of(" ")),
            "scopes[0]",
            "is blank",
            "OAuth scopes"),
        bad(
            "blank quota project",
            b -> b.audience(AUD).quotaProjectId(""),
            "quotaProjectId",
            "is empty",
            "project ID"),
        bad(
            "impersonation url without email",
            b ->
                b.audience(AUD)
                    .serviceAccountImpersonationUrl(
                        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                            + ":generateAccessToken"),
            "serviceAccountImpersonationUrl",
            "names no service account email",
            "serviceAccounts/NAME@PROJECT_ID.iam.gserviceaccount.com:generateAccessToken"),
        bad(
            "impersonation url wrong method",
            b ->
                b.audience(AUD)
                    .serviceAccountImpersonationUrl(
                        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                            + SA
                            + ":generateIdToken"),
            "serviceAccountImpersonationUrl",
            "does not end in /serviceAccounts/EMAIL:generateAccessToken",
            ":generateAccessToken"),
        bad(
            "impersonation url http",
            b ->
                b.audience(AUD)
                    .serviceAccountImpersonationUrl(
                        "http://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                            + SA
                            + ":generateAccessToken"),
            "serviceAccountImpersonationUrl",
            "plain http",
            "https URL"),
        bad(
            "conflicting emails",
            b ->
                b.audience(AUD)
                    .serviceAccount("other@p.iam.gserviceaccount.com")
                    .serviceAccountImpersonationUrl(
                        "https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/"
                            + SA
                            + ":generateAccessToken"),
            "serviceAccountImpersonationUrl",
            "but serviceAccount is 'other@p.iam.gserviceaccount.com'",
            "one service account"),
        bad(
            "universe mismatch",
            b -> b.audience(AUD).universeDomain("example.goog"),
            "universeDomain",
            "disagrees with the audience's 'googleapis.com'",
            "//iam.UNIVERSE/"),
        bad(
            "user project on workload pool",
            b -> b.audience(AUD).workforcePoolUserProject("p1"),
            "workforcePoolUserProject",
            "not a workforce pool",
            "workforcePools"),
        bad(
            "bad audience string",
            b -> b.audience("projects/my-proj"),
            "audience",
            "does not start with",
            "//iam.googleapis.com/"));
  }

  private static Arguments bad(
      String name,
      Consumer<FederationSettings.Builder> setup,
      String field,
      String problem,
      String expected) {
    return Arguments.of(name, setup, field, problem, expected);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("badBuilders")
  void build_badValue_namesFieldValueAndExpectation(
      String name,
      Consumer<FederationSettings.Builder> setup,
      String field,
      String problem,
      String expected) {
    FederationSettings.Builder b = FederationSettings.builder();
    setup.accept(b);
    ConfigurationException e = assertThrows(ConfigurationException.class, b::build);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.getMessage().contains("Expected: "), e.getMessage());
    assertTrue(e.expected().contains(expected), e.getMessage());
  }

  @Test
  void build_userInfoInUrl_isNotEchoed() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                FederationSettings.builder()
                    .audience(AUD)
                    .tokenUrl("https://user:hunter2secret@sts.googleapis.com/v1/token")
                    .build());
    assertFalse(e.getMessage().contains("hunter2secret"), e.getMessage());
  }

  // ---- fromEnvironment --------------------------------------------------------------------

  private static FederationSettings fromEnv(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return FederationSettings.fromEnvironment(Environment.of(m));
  }

  private static ConfigurationException envFails(String... kv) {
    return assertThrows(ConfigurationException.class, () -> fromEnv(kv));
  }

  @Test
  void fromEnvironment_fullAudienceAndOptions_readsAll() {
    FederationSettings s =
        fromEnv(
            "WIF4J_AUDIENCE", AUD,
            "WIF4J_SERVICE_ACCOUNT", SA,
            "WIF4J_TOKEN_LIFETIME_SECONDS", " 7200 ",
            "WIF4J_SCOPES", "https://www.googleapis.com/auth/cloud-platform, scope2 scope3",
            "GOOGLE_CLOUD_QUOTA_PROJECT", "quota-fallback",
            "WIF4J_TOKEN_URL", "https://sts.example.test/v1/token");
    assertEquals(AUD, s.audience().toString());
    assertEquals(Optional.of(SA), s.serviceAccountEmail());
    assertEquals(Duration.ofSeconds(7200), s.tokenLifetime());
    assertEquals(
        List.of("https://www.googleapis.com/auth/cloud-platform", "scope2", "scope3"), s.scopes());
    assertEquals(Optional.of("quota-fallback"), s.quotaProjectId());
    assertEquals(URI.create("https://sts.example.test/v1/token"), s.tokenUrl());
  }

  @Test
  void fromEnvironment_triple_buildsAudience() {
    FederationSettings s =
        fromEnv(
            "WIF4J_PROJECT_NUMBER", "123456789012",
            "WIF4J_POOL_ID", "my-pool",
            "WIF4J_PROVIDER_ID", "my-provider",
            "WIF4J_QUOTA_PROJECT", "primary",
            "GOOGLE_CLOUD_QUOTA_PROJECT", "fallback");
    assertEquals(AUD, s.audience().toString());
    assertEquals(Optional.of("primary"), s.quotaProjectId());
  }

  @Test
  void fromEnvironment_nothingSet_namesAudienceVariable() {
    ConfigurationException e = envFails();
    assertEquals("WIF4J_AUDIENCE", e.field());
    assertTrue(e.getMessage().contains("is required"), e.getMessage());
    assertTrue(e.expected().contains("WIF4J_PROJECT_NUMBER"), e.getMessage());
  }

  @Test
  void fromEnvironment_partialTriple_namesMissingVariables() {
    ConfigurationException e =
        envFails("WIF4J_PROJECT_NUMBER", "123456789012", "WIF4J_POOL_ID", "my-pool");
    assertTrue(e.getMessage().startsWith("WIF4J_PROVIDER_ID: is not set"), e.getMessage());
    e = envFails("WIF4J_POOL_ID", "my-pool");
    assertEquals("WIF4J_PROJECT_NUMBER, WIF4J_PROVIDER_ID", e.field());
  }

  @Test
  void fromEnvironment_partialTripleBlank_saysSetButBlank() {
    ConfigurationException e =
        envFails(
            "WIF4J_PROJECT_NUMBER", "123456789012",
            "WIF4J_POOL_ID", "my-pool",
            "WIF4J_PROVIDER_ID", "  ");
    assertTrue(e.getMessage().contains("WIF4J_PROVIDER_ID is set but blank"), e.getMessage());
  }

  @Test
  void fromEnvironment_blankAudience_saysSetButBlank() {
    ConfigurationException e = envFails("WIF4J_AUDIENCE", " ");
    assertEquals("WIF4J_AUDIENCE: is set but blank", e.getMessage().split("\\. Expected")[0]);
  }

  @Test
  void fromEnvironment_projectIdInTriple_namesProjectNumberVariable() {
    ConfigurationException e =
        envFails(
            "WIF4J_PROJECT_NUMBER", "my-project",
            "WIF4J_POOL_ID", "my-pool",
            "WIF4J_PROVIDER_ID", "my-provider");
    assertEquals("WIF4J_PROJECT_NUMBER", e.field());
    assertTrue(e.getMessage().contains("project NUMBER"), e.getMessage());
  }

  @Test
  void fromEnvironment_malformedAudience_namesVariable() {
    ConfigurationException e = envFails("WIF4J_AUDIENCE", "https://iam.googleapis.com/x");
    assertEquals("WIF4J_AUDIENCE", e.field());
  }

  @Test
  void fromEnvironment_nonIntegerLifetime_namesVariableAndValue() {
    ConfigurationException e =
        envFails(
            "WIF4J_AUDIENCE", AUD,
            "WIF4J_SERVICE_ACCOUNT", SA,
            "WIF4J_TOKEN_LIFETIME_SECONDS", "1h");
    assertEquals("WIF4J_TOKEN_LIFETIME_SECONDS", e.field());
    assertTrue(e.getMessage().contains("'1h' is not an integer"), e.getMessage());
    e =
        envFails(
            "WIF4J_AUDIENCE", AUD,
            "WIF4J_SERVICE_ACCOUNT", SA,
            "WIF4J_TOKEN_LIFETIME_SECONDS", "3600s");
    assertTrue(e.getMessage().contains("without 's'"), e.getMessage());
  }

  @Test
  void fromEnvironment_lifetimeOutOfRange_namesVariable() {
    ConfigurationException e =
        envFails(
            "WIF4J_AUDIENCE", AUD,
            "WIF4J_SERVICE_ACCOUNT", SA,
            "WIF4J_TOKEN_LIFETIME_SECONDS", "50000");
    assertEquals("WIF4J_TOKEN_LIFETIME_SECONDS", e.field());
    assertTrue(e.getMessage().contains("50000 seconds is out of range"), e.getMessage());
  }

  @Test
  void fromEnvironment_lifetimeWithoutServiceAccount_isRejected() {
    ConfigurationException e =
        envFails("WIF4J_AUDIENCE", AUD, "WIF4J_TOKEN_LIFETIME_SECONDS", "7200");
    assertEquals("WIF4J_TOKEN_LIFETIME_SECONDS", e.field());
    assertTrue(e.getMessage().contains("WIF4J_SERVICE_ACCOUNT is not set"), e.getMessage());
  }

  @Test
  void fromEnvironment_badEmail_namesVariable() {
    ConfigurationException e =
        envFails("WIF4J_AUDIENCE", AUD, "WIF4J_SERVICE_ACCOUNT", "not-an-email");
    assertEquals("WIF4J_SERVICE_ACCOUNT", e.field());
  }

  @Test
  void fromEnvironment_httpTokenUrl_namesVariable() {
    ConfigurationException e =
        envFails("WIF4J_AUDIENCE", AUD, "WIF4J_TOKEN_URL", "http://127.0.0.1:8080/v1/token");
    assertEquals("WIF4J_TOKEN_URL", e.field());
    assertTrue(e.getMessage().contains("plain http"), e.getMessage());
  }

  @Test
  void fromEnvironment_scopesOnlySeparators_namesVariable() {
    ConfigurationException e = envFails("WIF4J_AUDIENCE", AUD, "WIF4J_SCOPES", " , ,");
    assertEquals("WIF4J_SCOPES", e.field());
  }

  @Test
  void fromEnvironment_universeDomain_appliesToTriple() {
    FederationSettings s =
        fromEnv(
            "WIF4J_PROJECT_NUMBER", "42",
            "WIF4J_POOL_ID", "pool1",
            "WIF4J_PROVIDER_ID", "prov1",
            "WIF4J_UNIVERSE_DOMAIN", "example.goog");
    assertEquals("example.goog", s.audience().universeDomain());
    assertEquals(URI.create("https://sts.example.goog/v1/token"), s.tokenUrl());
    ConfigurationException e =
        envFails("WIF4J_AUDIENCE", AUD, "WIF4J_UNIVERSE_DOMAIN", "https://example.goog");
    assertEquals("WIF4J_UNIVERSE_DOMAIN", e.field());
  }

  @Test
  void fromEnvironment_audienceAndTripleDisagree_isRejected() {
    ConfigurationException e =
        envFails(
            "WIF4J_AUDIENCE", AUD,
            "WIF4J_PROJECT_NUMBER", "999",
            "WIF4J_POOL_ID", "my-pool",
            "WIF4J_PROVIDER_ID", "my-provider");
    assertEquals("WIF4J_AUDIENCE", e.field());
    assertTrue(e.getMessage().contains("disagrees"), e.getMessage());
  }
}

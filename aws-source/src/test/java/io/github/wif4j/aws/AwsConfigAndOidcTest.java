package io.github.wif4j.aws;

import static io.github.wif4j.aws.AwsFederationFixture.fastPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeJwtIssuer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** A gcloud AWS file upgraded to AwsSource; AWS outbound OIDC tokens; secrets never printed. */
class AwsConfigAndOidcTest {
  private final AwsFederationFixture fx = new AwsFederationFixture();
  private final FakeClock clock = FakeClock.now();

  @AfterEach
  void stop() {
    fx.close();
  }

  private String gcloudAwsConfig() {
    return "{\n"
        + "  \"universe_domain\": \"googleapis.com\",\n"
        + "  \"type\": \"external_account\",\n"
        + "  \"audience\": \""
        + fx.audience
        + "\",\n"
        + "  \"subject_token_type\": \"urn:ietf:params:aws:token-type:aws4_request\",\n"
        + "  \"token_url\": \""
        + fx.cloud.stsTokenUrl()
        + "\",\n"
        + "  \"credential_source\": {\n"
        + "    \"environment_id\": \"aws1\",\n"
        + "    \"region_url\": \"http://169.254.169.254/latest/meta-data/placement/availability-zone\",\n"
        + "    \"url\": \"http://169.254.169.254/latest/meta-data/iam/security-credentials\",\n"
        + "    \"regional_cred_verification_url\":"
        + " \"https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\",\n"
        + "    \"imdsv2_session_token_url\": \"http://169.254.169.254/latest/api/token\"\n"
        + "  },\n"
        + "  \"service_account_impersonation_url\": \""
        + fx.cloud.impersonationUrl(AwsFederationFixture.SA)
        + "\",\n"
        + "  \"service_account_impersonation\": {\"token_lifetime_seconds\": 1800}\n"
        + "}";
  }

  @Test
  void gcloudAwsFile_upgradedWithOneCall_keepsAudienceImpersonationAndLifetime() throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start()) {
      imds.trustedBy(fx.cloud.sts());
      Map<String, String> vars = new HashMap<>();
      vars.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString());
      ExternalAccountConfig config = ExternalAccountConfig.fromJson(gcloudAwsConfig());
      try (AwsSource aws =
              AwsSource.builder()
                  .environment(Environment.of(vars))
                  .transportPolicy(fastPolicy())
                  .build();
          FederatedCredentials google =
              FederatedCredentials.builder()
                  .config(config)
                  .source(aws) // the one call
                  .transportPolicy(fastPolicy())
                  .backgroundRefresh(false)
                  .build()) {
        String token = fx.bearer(google);

        assertTrue(fx.cloud.iam().isIssued(token));
        assertEquals(fx.audience, fx.cloud.sts().exchanges().get(0).audience());
        assertEquals(
            SubjectTokenType.AWS4_REQUEST, fx.cloud.sts().exchanges().get(0).subjectTokenType());
        assertTrue(
            fx.cloud.iam().requests().get(0).bodyString().contains("1800s"),
            fx.cloud.iam().requests().get(0).bodyString());
        assertEquals(AwsSourceIntegrationTest.IMDS_FIRST_ACQUISITION, imds.requestCount());
      }
    }
  }

  @Test
  void awsOutboundOidc_getWebIdentityTokenRs256_exchangedAtGoogle() throws Exception {
    try (FakeAwsSts awsSts = new FakeAwsSts().start()) {
      awsSts.registerCredentials(
          "AKIAOIDCFAKE00000001",
          "oidc-caller-secret",
          "arn:aws:iam::123456789012:role/vertex-caller");
      fx.cloud.sts().trustIssuer(awsSts.outboundIssuer(), fx.audience);
      try (AwsOidcTokenSource source =
              AwsOidcTokenSource.builder()
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsBasicCredentials.create("AKIAOIDCFAKE00000001", "oidc-caller-secret")))
                  .region("eu-west-1")
                  .stsEndpoint(awsSts.endpoint())
                  .transportPolicy(fastPolicy())
                  .build();
          FederatedCredentials google = fx.credentials(source, true, clock)) {
        assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
        assertEquals(1, awsSts.actionCount("GetWebIdentityToken"));
        assertEquals(SubjectTokenType.JWT, fx.cloud.sts().exchanges().get(0).subjectTokenType());
        Map<String, Object> claims =
            FakeJwtIssuer.decodeClaimsUnverified(awsSts.webIdentityTokens().get(0));
        assertEquals("arn:aws:iam::123456789012:role/vertex-caller", claims.get("sub"));
        String request = awsSts.requests().get(0).bodyString();
        assertTrue(request.contains("SigningAlgorithm=RS256"), request);
      }
    }
  }

  @Test
  void awsOutboundOidc_disabledInAccount_saysWhichCommandEnablesIt() throws Exception {
    try (FakeAwsSts awsSts = new FakeAwsSts().start()) {
      awsSts.registerCredentials(
          "AKIAOIDCFAKE00000001", "oidc-caller-secret", "arn:aws:iam::123456789012:role/r");
      awsSts.setOutboundFederationEnabled(false);
      try (AwsOidcTokenSource source =
              AwsOidcTokenSource.builder()
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsBasicCredentials.create("AKIAOIDCFAKE00000001", "oidc-caller-secret")))
                  .region("eu-west-1")
                  .stsEndpoint(awsSts.endpoint())
                  .transportPolicy(fastPolicy())
                  .build();
          FederatedCredentials google = fx.credentials(source, false, clock)) {
        Exception e = assertThrows(Exception.class, () -> fx.bearer(google));
        String m = AwsSourceIntegrationTest.messages(e);
        assertTrue(m.contains("aws iam enable-outbound-web-identity-federation"), m);
        assertFalse(m.contains("oidc-caller-secret"), m);
      }
    }
  }

  @Test
  void awsOutboundOidc_lifetimeOutOfRange_isRejectedAtBuild() {
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AwsOidcTokenSource.builder().tokenLifetime(Duration.ofHours(2)));
    assertTrue(e.getMessage().contains("tokenLifetime"), e.getMessage());
  }

  @Test
  void secretsNeverInToStringOrErrors() throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start()) {
      imds.trustedBy(fx.cloud.sts());
      Map<String, String> vars = new HashMap<>();
      vars.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString());
      try (AwsSource aws =
              AwsSource.builder()
                  .environment(Environment.of(vars))
                  .transportPolicy(fastPolicy())
                  .build();
          FederatedCredentials google = fx.credentials(aws, false, clock)) {
        String token = fx.bearer(google);
        var material = aws.fetch(null);
        FakeEc2Metadata.IssuedCredentials c = imds.currentCredentials();
        String printed = aws + " " + material + " " + google + " " + aws.description();
        // now break STS so that an error carries whatever the failing exchange saw
        fx.cloud.sts().setAttributeCondition(a -> false);
        clock.advance(Duration.ofHours(2));
        Exception e = assertThrows(Exception.class, () -> fx.bearer(google));
        printed += AwsSourceIntegrationTest.messages(e);
        for (String secret : new String[] {c.secretAccessKey(), c.sessionToken(), token}) {
          assertFalse(printed.contains(secret), "leaked a secret in: " + printed);
        }
      }
    }
  }
}

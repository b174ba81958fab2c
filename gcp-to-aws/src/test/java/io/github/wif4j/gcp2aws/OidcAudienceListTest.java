package io.github.wif4j.gcp2aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.spi.Redaction;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeJwtIssuer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code InvalidIdentityToken: Incorrect token audience}: the IAM OIDC provider's client ID list,
 * checked before any trust policy.
 */
class OidcAudienceListTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/reports-reader";
  private FakeAwsSts sts;
  private final FakeJwtIssuer issuer = FakeJwtIssuer.create("https://oidc.example.test/tenant");

  @BeforeEach
  void start() {
    sts = new FakeAwsSts().start();
    sts.trustIssuer(issuer, "sts.amazonaws.com");
    sts.allowRole(ROLE, Map.of());
  }

  @AfterEach
  void stop() {
    sts.close();
  }

  @Test
  void audienceNotInTheProvidersClientIdList_namesTheListAndTheCommand() {
    String token = issuer.issue("workload-1", "api://my-app", Duration.ofMinutes(10), Map.of());
    try (GoogleToAwsCredentialsProvider aws =
        GoogleToAwsCredentialsProvider.builder()
            .roleArn(ROLE)
            .audience("api://my-app")
            .idTokenSource(a -> token)
            .stsEndpoint(sts.endpoint())
            .stsRegion("us-east-1")
            .environment(Environment.of(Map.of()))
            .transportPolicy(GoogleToAwsCredentialsProviderTest.fast())
            .build()) {
      RuntimeException e = assertThrows(RuntimeException.class, aws::resolveCredentials);
      FederationException fe = find(e);
      String text = fe.getMessage();
      assertTrue(text.contains("InvalidIdentityToken: Incorrect token audience"), text);
      assertTrue(text.contains("client ID list"), text);
      String fix = fe.fix().orElse("");
      assertTrue(
          fix.contains(
              "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn"
                  + " arn:aws:iam::123456789012:oidc-provider/oidc.example.test/tenant"
                  + " --client-id 'api://my-app'"),
          fix);
      assertFalse(fix.contains("update-assume-role-policy"), "not the trust policy: " + fix);
    }
  }

  @Test
  void redaction_keepsAwsErrorCodesEndingInToken() {
    String s = "InvalidIdentityToken: Incorrect token audience";
    assertTrue(Redaction.scrub(s).equals(s), Redaction.scrub(s));
    assertFalse(Redaction.scrub("aws_session_token=abcd1234efgh").contains("abcd1234efgh"));
    assertFalse(Redaction.scrub("\"token\": \"abcd1234efgh\"").contains("abcd1234efgh"));
  }

  private static FederationException find(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof FederationException) {
        return (FederationException) c;
      }
    }
    throw new AssertionError("no FederationException in " + t);
  }
}

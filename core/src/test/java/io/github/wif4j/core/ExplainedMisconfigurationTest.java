package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.AwsSigningMaterial;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.TestTls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Google STS {@code invalid_grant} for an AWS subject token, explained from the AWS side: the fake
 * STS replays the signed GetCallerIdentity like Google does and relays AWS's refusal.
 */
class ExplainedMisconfigurationTest {
  private static final String AKID = "ASIAEXPLAINTEST00001";
  private static final String SECRET = "explain-secret-0123456789abcdefghijklmn";
  private static final String SESSION = "IQoJexplain-session-token-value";
  private static final String ARN = "arn:aws:sts::123456789012:assumed-role/app-role/i-0abc";

  private FakeCloud cloud;
  private String audience;

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    audience = cloud.audience("aws-pool", "aws-provider");
    cloud.sts().registerAwsCredentials(AKID, SECRET, ARN);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private static AwsSigningSource aws(String secret, Instant expiresAt) {
    return new AwsSigningSource() {
      @Override
      public AwsSigningMaterial fetch(SourceContext context) {
        return AwsSigningMaterial.builder()
            .accessKeyId(AKID)
            .secretAccessKey(secret)
            .sessionToken(SESSION)
            .region("us-east-1")
            .expiresAt(expiresAt)
            .build();
      }

      @Override
      public String description() {
        return "AWS credentials from environment variables";
      }
    };
  }

  private FederationException fail(AwsSigningSource source, Clock clock) {
    try (FederatedCredentials c =
        FederatedCredentials.builder()
            .audience(audience)
            .tokenUrl(cloud.stsTokenUrl())
            .source(source)
            .clock(clock)
            .backgroundRefresh(false)
            .transportPolicy(TransportPolicy.builder().sslContext(TestTls.clientContext()).build())
            .build()) {
      FederationException e =
          assertThrows(FederationException.class, () -> c.getRequestMetadata(null));
      assertEquals(FederationException.Step.STS, e.step());
      assertFalse(e.getMessage().contains(SECRET), "no secret");
      assertFalse(e.getMessage().contains(SESSION), "no session token");
      assertFalse(e.getMessage().contains(AKID), "the key id only as a fingerprint");
      assertFalse(
          e.getMessage().contains("--allowed-audiences"),
          "not the provider's issuer/audience: " + e.getMessage());
      return e;
    }
  }

  @Test
  void expiredAwsCredentials_saysTheyExpiredAndHowToRenew() {
    cloud.sts().expireAwsCredentials(AKID);
    FakeClock clock = FakeClock.now();
    Instant expired = clock.instant().minus(Duration.ofMinutes(7));
    FederationException e = fail(aws(SECRET, expired), clock);
    assertTrue(e.getMessage().contains("has expired"), e.getMessage());
    assertTrue(e.getMessage().contains("expired 7 min ago"), e.getMessage());
    assertTrue(e.fix().orElse("").contains("AWS_SESSION_TOKEN"), e.getMessage());
    assertTrue(e.fix().orElse("").contains("aws sts get-caller-identity"), e.getMessage());
  }

  @Test
  void mistypedSecret_saysTheSecretDoesNotBelongToTheKey() {
    FederationException e = fail(aws(SECRET + "x", null), Clock.systemUTC());
    assertTrue(e.getMessage().contains("SignatureDoesNotMatch"), e.getMessage());
    assertTrue(e.getMessage().contains("is not the secret of that access key"), e.getMessage());
    assertTrue(e.fix().orElse("").contains("AWS_SECRET_ACCESS_KEY"), e.getMessage());
    assertFalse(e.fix().orElse("").contains("chrony"), e.getMessage());
  }

  @Test
  void clock20MinutesBehind_comparesLocalClockWithTheServers() {
    // AWS (and Google) are 20 minutes ahead of this host's clock
    cloud.sts().setAwsClockOffset(Duration.ofMinutes(20));
    FakeClock local = FakeClock.now();
    local.advance(Duration.ofMinutes(-20));
    FederationException e = fail(aws(SECRET, null), local);
    assertTrue(e.getMessage().contains("Signature expired"), e.getMessage());
    assertTrue(e.getMessage().contains("20 min behind"), e.getMessage());
    assertTrue(e.getMessage().contains("the server's Date header"), e.getMessage());
    assertTrue(e.fix().orElse("").contains("169.254.169.123"), e.getMessage());
    assertFalse(e.fix().orElse("").contains("AWS_SECRET_ACCESS_KEY"), e.getMessage());
  }

  @Test
  void unknownKey_saysAwsDoesNotKnowIt() {
    FederationException e =
        fail(
            new AwsSigningSource() {
              @Override
              public AwsSigningMaterial fetch(SourceContext context) {
                return AwsSigningMaterial.builder()
                    .accessKeyId("ASIAUNKNOWNKEY000001")
                    .secretAccessKey(SECRET)
                    .region("us-east-1")
                    .build();
              }
            },
            Clock.systemUTC());
    assertTrue(e.getMessage().contains("InvalidClientTokenId"), e.getMessage());
    assertTrue(e.fix().orElse("").contains("AWS_SESSION_TOKEN"), e.getMessage());
  }

  @Test
  void impersonationDenied_awsSource_narrowestMemberFirst_bothRoleMappings() {
    String sa = "other@my-project.iam.gserviceaccount.com";
    try (FederatedCredentials c =
        FederatedCredentials.builder()
            .settings(
                FederationSettings.builder()
                    .audience(audience)
                    .tokenUrl(cloud.stsTokenUrl())
                    .serviceAccountImpersonationUrl(cloud.impersonationUrl(sa))
                    .build())
            .source(aws(SECRET, null))
            .backgroundRefresh(false)
            .transportPolicy(TransportPolicy.builder().sslContext(TestTls.clientContext()).build())
            .build()) {
      FederationException e =
          assertThrows(FederationException.class, () -> c.getRequestMetadata(null));
      String fix = e.fix().orElse("");
      int principal = fix.indexOf("principal://");
      int roleName = fix.indexOf("/attribute.aws_role/ROLE_NAME'");
      int roleArn =
          fix.indexOf("/attribute.aws_role/arn:aws:sts::ACCOUNT_ID:assumed-role/ROLE_NAME'");
      int pool = fix.indexOf("workloadIdentityPools/aws-pool/*");
      assertTrue(principal >= 0 && principal < roleName, fix);
      assertTrue(roleName < roleArn && roleArn < pool, fix);
      assertTrue(fix.contains("extract('assumed-role/{role}/')"), fix);
      assertTrue(fix.contains("gcloud's default AWS mapping"), fix);
    }
  }
}

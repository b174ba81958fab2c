package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fakes can run on the test's {@link FakeClock}: hours of fake time later, what they issue is
 * still accepted, both by the fakes and by wif4j's expiry checks. (On the system clock, a fake
 * stamps its tokens with real time, which a clock advanced by hours sees as long expired.)
 */
class FakesOnTheTestClockTest {
  private static final String SA = FaultMatrixTest.SA;

  @Test
  void advancingTheSharedClockByHours_refreshesAreIssuedAndAcceptedOnFakeTime() throws Exception {
    FakeClock clock = FakeClock.at(Instant.parse("2031-01-01T00:00:00Z"));
    FakeJwtIssuer issuer = FakeJwtIssuer.create("https://oidc.example.test");
    issuer.useClock(clock);
    try (FakeCloud cloud = FakeCloud.start().useClock(clock)) {
      cloud.sts().trustIssuer(issuer, FaultMatrixTest.APP_AUDIENCE);
      cloud.iam().allowImpersonation(SA);
      SubjectTokenSource source =
          new SubjectTokenSource() {
            @Override
            public String subjectTokenType() {
              return SubjectTokenType.JWT;
            }

            @Override
            public SubjectToken fetch(io.github.wif4j.core.spi.SourceContext context) {
              return SubjectToken.of(
                  issuer.issue(
                      "workload-1", FaultMatrixTest.APP_AUDIENCE, Duration.ofHours(1), Map.of()),
                  SubjectTokenType.JWT);
            }
          };
      try (FederatedCredentials credentials =
          FederatedCredentials.builder()
              .settings(
                  FederationSettings.builder()
                      .audience(cloud.audience("my-pool", "my-oidc"))
                      .tokenUrl(cloud.stsTokenUrl())
                      .serviceAccountImpersonationUrl(cloud.impersonationUrl(SA))
                      .build())
              .source(source)
              .clock(clock)
              .backgroundRefresh(false)
              .transportPolicy(FaultMatrixTest.fastPolicy().build())
              .build()) {
        String first = bearer(credentials.getRequestMetadata(null));
        assertEquals(
            clock.instant().plus(Duration.ofHours(1)),
            credentials.getAccessToken().getExpirationTime().toInstant(),
            "the fake IAM stamps its expiry on the shared clock");

        clock.advance(Duration.ofHours(5));
        String later = bearer(credentials.getRequestMetadata(null));

        assertNotEquals(first, later);
        assertTrue(cloud.iam().isIssued(later));
        assertTrue(
            credentials.getAccessToken().getExpirationTime().toInstant().isAfter(clock.instant()));
        assertEquals(2, cloud.iam().requestCount(), "one impersonation per hour-long token");
      }
    }
  }

  private static String bearer(Map<String, List<String>> metadata) {
    return metadata.get("Authorization").get(0).substring("Bearer ".length());
  }
}

package io.github.wif4j.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeEc2Metadata.Mode;
import io.github.wif4j.testing.TestTls;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Google STS rejecting the AWS signature (a revoked key, rotated instance credentials) drops the
 * cached AWS credentials: the next call re-reads the metadata service and succeeds.
 */
class RejectedCredentialsTest {
  private final AwsFederationFixture fx = new AwsFederationFixture();
  private final FakeClock clock = FakeClock.now();

  /** The defaults with the fakes' TLS context: a loaded CI machine is slow at TLS handshakes. */
  private static TransportPolicy lenient() {
    return TransportPolicy.builder()
        .sslContext(TestTls.clientContext())
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .build();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void signatureRejected_thenRotatedAtImds_nextCallSucceeds() throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata(Mode.V2_REQUIRED).start();
        AwsSource aws =
            AwsSource.builder()
                .environment(
                    Environment.of(
                        Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString())))
                .transportPolicy(lenient())
                .metadataTimeout(Duration.ofMillis(300))
                .build()) {
      imds.trustedBy(fx.cloud.sts());
      try (FederatedCredentials google =
          FederatedCredentials.builder()
              .settings(
                  FederationSettings.builder()
                      .audience(fx.audience)
                      .tokenUrl(fx.cloud.stsTokenUrl())
                      .build())
              .source(aws)
              .clock(clock)
              .backgroundRefresh(false)
              .transportPolicy(lenient())
              .build()) {
        String first = fx.bearer(google);
        String oldKey = imds.currentCredentials().accessKeyId();
        int imdsBefore = imds.requestCount();

        fx.cloud.sts().revokeAwsCredentials(oldKey);
        imds.rotateCredentials();
        clock.advance(
            Duration.ofSeconds(59 * 60 + 30)); // the Google token is stale, the AWS ones are not

        FederationException rejected =
            assertThrows(FederationException.class, () -> fx.bearer(google));
        assertEquals(FederationException.Step.STS, rejected.step(), rejected.getMessage());
        assertEquals(imdsBefore, imds.requestCount(), "the rejected attempt used the cache");

        String second = fx.bearer(google);
        assertTrue(fx.cloud.sts().isIssued(second));
        assertFalse(first.equals(second));
        assertTrue(imds.requestCount() > imdsBefore, "IMDS was read again");
      }
    }
  }
}

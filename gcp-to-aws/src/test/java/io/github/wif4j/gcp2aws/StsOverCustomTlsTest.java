package io.github.wif4j.gcp2aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeGceMetadata;
import io.github.wif4j.testing.TestTls;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The provider's {@code TransportPolicy.sslContext} (a private CA, a TLS-inspecting proxy's CA)
 * applies to the AWS STS call as it does to the Google calls.
 */
class StsOverCustomTlsTest {
  private static final String ROLE = GoogleToAwsCredentialsProviderTest.ROLE;

  private static TransportPolicy.Builder policy() {
    return TransportPolicy.builder()
        .connectTimeout(Duration.ofSeconds(2))
        .readTimeout(Duration.ofSeconds(5))
        .deadline(Duration.ofSeconds(10))
        .maxAttempts(1);
  }

  private static GoogleToAwsCredentialsProvider provider(
      FakeGceMetadata gce, FakeAwsSts sts, TransportPolicy policy) {
    return GoogleToAwsCredentialsProvider.builder()
        .roleArn(ROLE)
        .stsEndpoint(sts.endpoint())
        .stsRegion("us-east-1")
        .environment(Environment.of(Map.of("GCE_METADATA_HOST", gce.hostAndPort())))
        .transportPolicy(policy)
        .build();
  }

  @Test
  void stsOverHttps_trustedThroughThePolicysSslContext() {
    try (FakeGceMetadata gce = new FakeGceMetadata().start();
        FakeAwsSts sts = new FakeAwsSts(true).start()) {
      sts.trustIssuer(gce.googleIssuer()).allowRole(ROLE, Map.of());
      try (GoogleToAwsCredentialsProvider p =
          provider(gce, sts, policy().sslContext(TestTls.clientContext()).build())) {
        AwsCredentials c = p.resolveCredentials();
        assertFalse(c.accessKeyId().isEmpty());
      }
      assertEquals(1, sts.actionCount("AssumeRoleWithWebIdentity"));

      // without it, the JVM's default trust store does not know the test CA: a typed failure
      try (GoogleToAwsCredentialsProvider p = provider(gce, sts, policy().build())) {
        assertThrows(SdkClientException.class, p::resolveCredentials);
      }
      assertEquals(1, sts.actionCount("AssumeRoleWithWebIdentity"));
    }
  }
}

package io.github.wif4j.aws;

import static io.github.wif4j.aws.AwsFederationFixture.fastPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.aws.internal.AwsImdsSourceProvider;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.SourceUnavailableException;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeEc2Metadata.Mode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Amazon Bedrock AgentCore Runtime in both metadata modes (MMDSv2 required, and the v1-only MMDS
 * that refuses the token PUT with 405), and EC2 with the PUT response hop limit of 1 seen from a
 * container: the PUT is accepted and never answered.
 */
class AgentCoreAndHopLimitTest {
  private final AwsFederationFixture fx = new AwsFederationFixture();
  private final FakeClock clock = FakeClock.now();
  private final Map<String, String> vars = new HashMap<>();

  @AfterEach
  void stop() {
    fx.close();
  }

  private FakeEc2Metadata imds(Mode mode) {
    FakeEc2Metadata imds = new FakeEc2Metadata(mode).start();
    imds.trustedBy(fx.cloud.sts());
    vars.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString());
    return imds;
  }

  private AwsSource source() {
    return AwsSource.builder()
        .environment(Environment.of(vars))
        .transportPolicy(fastPolicy())
        .metadataTimeout(Duration.ofMillis(300))
        .build();
  }

  @Test
  void agentCoreMmdsV2Required_sendsTheTokenOnEveryRead() throws Exception {
    try (FakeEc2Metadata mmds = imds(Mode.AGENTCORE_MMDS_V2);
        AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, true, clock)) {
      assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
      assertTrue(mmds.tokenRequestCount() >= 1); // the SDK's provider and the region read
      mmds.requests().stream()
          .filter(r -> r.method().equals("GET"))
          .forEach(r -> assertNotNull(r.header("X-aws-ec2-metadata-token"), r.path()));
    }
  }

  @Test
  void agentCoreMmdsV2Required_v1Disabled_stillWorks() throws Exception {
    vars.put("AWS_EC2_METADATA_V1_DISABLED", "true");
    try (FakeEc2Metadata mmds = imds(Mode.AGENTCORE_MMDS_V2);
        AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, false, clock)) {
      assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
    }
  }

  @Test
  void agentCoreMmdsV1Only_putRefusedWith405_fallsBackToTokenlessReads() throws Exception {
    try (FakeEc2Metadata mmds = imds(Mode.AGENTCORE_MMDS);
        AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, true, clock)) {
      assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
      mmds.requests().stream()
          .filter(r -> r.method().equals("GET"))
          .forEach(r -> assertEquals(null, r.header("X-aws-ec2-metadata-token"), r.path()));
    }
  }

  @Test
  void agentCoreMmdsV1Only_v1Disabled_recommendsMmdsV2NotADowngrade() throws Exception {
    vars.put("AWS_EC2_METADATA_V1_DISABLED", "true");
    vars.put("AWS_REGION", "us-east-1");
    try (FakeEc2Metadata mmds = imds(Mode.AGENTCORE_MMDS);
        AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, false, clock)) {
      Exception e = assertThrows(Exception.class, () -> fx.bearer(google));
      String text = String.valueOf(e.getMessage());
      assertTrue(text.contains("requireMMDSV2=true"), text);
      assertFalse(text.contains("unset AWS_EC2_METADATA_V1_DISABLED"), text);
      assertFalse(text.contains("hop-limit"), text);
    }
  }

  @Test
  void bothAgentCoreModes_detectedByTheProbe() throws Exception {
    for (Mode mode : new Mode[] {Mode.AGENTCORE_MMDS, Mode.AGENTCORE_MMDS_V2}) {
      try (FakeEc2Metadata mmds = imds(mode)) {
        Source s = new AwsImdsSourceProvider().detect(Environment.of(vars));
        assertInstanceOf(AwsSource.class, s, mode.name());
        ((AwsSource) s).close();
      }
    }
  }

  @Test
  void hopLimit1_v1Allowed_detectionSucceedsWithTheTokenlessGet() throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V2_OPTIONAL).exceedPutHopLimit()) {
      Source s = SourceDetector.detect(Environment.of(vars));
      assertInstanceOf(AwsSource.class, s);
      assertTrue(
          imds.requests().stream()
              .anyMatch(r -> r.method().equals("GET") && r.path().equals("/latest/meta-data/")),
          "the probe sends the tokenless GET its Javadoc promises");
      ((AwsSource) s).close();
      // and the detected kind of source works there (IMDSv1 after the PUT's metadata timeout)
      try (AwsSource aws = source();
          FederatedCredentials google = fx.credentials(aws, false, clock)) {
        assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
      }
    }
  }

  @Test
  void hopLimit1_v2Required_detectionExplainsTheHopLimit() throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V2_REQUIRED).exceedPutHopLimit()) {
      FederationException e =
          assertThrows(
              FederationException.class, () -> SourceDetector.detect(Environment.of(vars)));
      assertFalse(e instanceof SourceUnavailableException, "applies but failed");
      String text = e.getMessage();
      assertTrue(text.contains("accepted the connection but never answered"), text);
      assertTrue(e.fix().orElse("").contains("--http-put-response-hop-limit 2"), text);
      assertFalse(text.contains("no EC2 / AgentCore metadata service answered"), text);
      assertFalse(text.contains("AWS_REGION"), text);
    }
  }

  @Test
  void hopLimit1_v2Required_forcedAwsSource_explainsTheHopLimitNotTheRegion() throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V2_REQUIRED).exceedPutHopLimit();
        AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, false, clock)) {
      Exception e = assertThrows(Exception.class, () -> fx.bearer(google));
      String text = String.valueOf(e.getMessage());
      assertTrue(text.contains("--http-put-response-hop-limit 2"), text);
      assertFalse(text.contains("Set AWS_REGION"), text);
    }
  }

  @Test
  void nothingThere_stillNotApplicable() throws Exception {
    vars.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1");
    SourceUnavailableException e =
        assertThrows(
            SourceUnavailableException.class,
            () -> new AwsImdsSourceProvider().detect(Environment.of(vars)));
    assertTrue(e.getMessage().contains("no EC2 / AgentCore metadata service answered"));
  }
}

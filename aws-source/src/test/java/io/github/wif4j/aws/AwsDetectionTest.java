package io.github.wif4j.aws;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.SourceUnavailableException;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeGceMetadata;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Detection: environment markers first, the metadata probe for EC2 and AgentCore later. */
class AwsDetectionTest {

  private static Source detect(Map<String, String> vars) throws Exception {
    return SourceDetector.detect(Environment.of(vars));
  }

  @Test
  void lambdaMarker_detectsAwsWithoutAnyRequest() throws Exception {
    Source s = detect(Map.of("AWS_LAMBDA_FUNCTION_NAME", "fn", "AWS_REGION", "us-east-1"));
    assertInstanceOf(AwsSource.class, s);
    ((AwsSource) s).close();
  }

  @Test
  void ecsMarker_detectsAws() throws Exception {
    Source s = detect(Map.of("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/x"));
    assertInstanceOf(AwsSource.class, s);
    ((AwsSource) s).close();
  }

  @Test
  void agentCoreMetadataService_detectedByProbe() throws Exception {
    try (FakeEc2Metadata mmds = new FakeEc2Metadata(FakeEc2Metadata.Mode.AGENTCORE_MMDS).start()) {
      Map<String, String> vars = new HashMap<>();
      vars.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", mmds.baseUri().toString());
      Source s =
          new io.github.wif4j.aws.internal.AwsImdsSourceProvider().detect(Environment.of(vars));
      assertInstanceOf(AwsSource.class, s);
      ((AwsSource) s).close();
    }
  }

  @Test
  void ec2ImdsV2_detectedByProbe() throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start()) {
      Source s =
          new io.github.wif4j.aws.internal.AwsImdsSourceProvider()
              .detect(
                  Environment.of(
                      Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString())));
      assertInstanceOf(AwsSource.class, s);
      ((AwsSource) s).close();
    }
  }

  @Test
  void googleMetadataServerAtTheSameAddress_doesNotApply() throws Exception {
    try (FakeGceMetadata gce = new FakeGceMetadata().start()) {
      SourceUnavailableException e =
          assertThrows(
              SourceUnavailableException.class,
              () ->
                  new io.github.wif4j.aws.internal.AwsImdsSourceProvider()
                      .detect(
                          Environment.of(
                              Map.of(
                                  "AWS_EC2_METADATA_SERVICE_ENDPOINT", gce.baseUri().toString()))));
      assertTrue(e.getMessage().contains("not AWS's"), e.getMessage());
    }
  }

  @Test
  void nothingListening_doesNotApplyWithReason() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    SourceUnavailableException e =
        assertThrows(
            SourceUnavailableException.class,
            () ->
                new io.github.wif4j.aws.internal.AwsImdsSourceProvider()
                    .detect(
                        Environment.of(
                            Map.of(
                                "AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + port))));
    assertTrue(
        e.getMessage().contains("no EC2 / AgentCore metadata service answered"), e.getMessage());
  }

  @Test
  void imdsDisabled_doesNotApply() {
    assertThrows(
        SourceUnavailableException.class,
        () ->
            new io.github.wif4j.aws.internal.AwsImdsSourceProvider()
                .detect(Environment.of(Map.of("AWS_EC2_METADATA_DISABLED", "true"))));
  }

  @Test
  void noMarkers_awsProviderSaysWhichVariablesItLookedFor() {
    SourceUnavailableException e =
        assertThrows(
            SourceUnavailableException.class,
            () ->
                new io.github.wif4j.aws.internal.AwsSourceProvider()
                    .detect(Environment.of(Map.of())));
    for (String v :
        List.of("AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_LAMBDA_FUNCTION_NAME")) {
      assertTrue(e.getMessage().contains(v), e.getMessage());
    }
  }

  @Test
  void oidcSource_onlyWhenChosenExplicitly() throws Exception {
    assertThrows(
        SourceUnavailableException.class,
        () ->
            new io.github.wif4j.aws.internal.AwsOidcSourceProvider()
                .detect(Environment.of(Map.of("AWS_REGION", "us-east-1"))));
    Source s = detect(Map.of("WIF4J_SOURCE", "aws-oidc", "AWS_REGION", "us-east-1"));
    assertInstanceOf(AwsOidcTokenSource.class, s);
    ((AwsOidcTokenSource) s).close();
  }

  @Test
  void malformedImdsEndpoint_namesTheVariable() {
    Exception e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AwsSource.fromEnvironment(
                    Environment.of(
                        Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"))));
    assertTrue(e.getMessage().contains("AWS_EC2_METADATA_SERVICE_ENDPOINT"), e.getMessage());
  }
}

package io.github.wif4j.aws.internal;

import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.SourceUnavailableException;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceProvider;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Detects EC2 and Amazon Bedrock AgentCore Runtime, which set no identifying environment variable,
 * by a short probe of the metadata service (500 ms per request): an IMDSv2 token PUT, then a
 * tokenless {@code GET /latest/meta-data/}. Either answered without the Google {@code
 * Metadata-Flavor} header (GCE and Azure serve the same address and answer differently) means AWS.
 * Runs after every provider that only reads environment variables.
 *
 * <p>The probe tells three cases apart: nothing answers (not AWS, detection moves on); the token
 * PUT is answered, or the tokenless GET is (IMDSv2 or IMDSv1 works, the source applies); the
 * connection is accepted but the PUT never answered while the GET says a token is required (401).
 * The last is the hop limit: from a container on EC2 the PUT's reply dies one network hop early
 * ({@code HttpPutResponseHopLimit=1}), and detection stops with the command that raises it.
 */
public final class AwsImdsSourceProvider implements SourceProvider {
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);
  static final String HOP_LIMIT_COMMAND =
      "aws ec2 modify-instance-metadata-options --instance-id <INSTANCE_ID>"
          + " --http-put-response-hop-limit 2 --http-endpoint enabled";

  @Override
  public String id() {
    return "aws-imds";
  }

  @Override
  public int order() {
    return 800;
  }

  @Override
  public Source create(Environment environment) {
    return AwsSource.fromEnvironment(environment);
  }

  @Override
  public Source detect(Environment environment) throws FederationException {
    if (AwsEnv.isTrue(environment, AwsEnv.IMDS_DISABLED)) {
      throw new SourceUnavailableException(AwsEnv.IMDS_DISABLED + " is true");
    }
    URI base = ImdsClient.endpointFrom(environment);
    HttpExecutor probe = HttpExecutor.create(TransportPolicy.singleAttempt(PROBE_TIMEOUT));
    String putOutcome;
    boolean putUnanswered = false;
    try {
      HttpExecutor.Response put =
          probe.send(
              HttpExecutor.Request.newBuilder("PUT", URI.create(base + ImdsClient.TOKEN_PATH))
                  .header(ImdsClient.TTL_HEADER, "60")
                  .endpointName("EC2 instance metadata probe")
                  .build());
      if (put.status() == 200 && put.header("Metadata-Flavor").isEmpty()) {
        return AwsSource.fromEnvironment(environment);
      }
      putOutcome = "the token PUT answered HTTP " + put.status();
    } catch (IOException e) {
      putUnanswered = connectionAcceptedButNoAnswer(e);
      putOutcome =
          putUnanswered
              ? "the connection was accepted but the token PUT was never answered"
              : "the token PUT got no connection";
    }
    // The tokenless GET: IMDSv1 (or HttpTokens=optional) answers 200, HttpTokens=required 401.
    HttpExecutor.Response get;
    try {
      get =
          probe.send(
              HttpExecutor.Request.get(URI.create(base + "/latest/meta-data/"))
                  .endpointName("EC2 instance metadata probe")
                  .build());
    } catch (IOException e) {
      throw new SourceUnavailableException(
          "no EC2 / AgentCore metadata service answered at "
              + base
              + " within "
              + PROBE_TIMEOUT.toMillis()
              + " ms ("
              + putOutcome
              + ", and the tokenless GET got no answer)");
    }
    if (get.header("Metadata-Flavor").isPresent() || (get.status() != 200 && get.status() != 401)) {
      throw new SourceUnavailableException(
          "the metadata service at " + base + " is not AWS's (HTTP " + get.status() + ")");
    }
    boolean v1Disabled = AwsEnv.isTrue(environment, AwsEnv.IMDS_V1_DISABLED);
    if (putUnanswered && (get.status() == 401 || v1Disabled)) {
      throw hopLimit(base, get.status() == 401, v1Disabled);
    }
    return AwsSource.fromEnvironment(environment);
  }

  /** The instance requires IMDSv2 (or the client refuses v1) and the token reply never arrives. */
  private static FederationException hopLimit(URI base, boolean required, boolean v1Disabled) {
    String why =
        required
            ? "the tokenless GET answered 401 (the instance requires IMDSv2, HttpTokens=required)"
            : "the tokenless GET works but " + AwsEnv.IMDS_V1_DISABLED + " forbids IMDSv1";
    return FederationException.builder(
            Step.SOURCE,
            "The EC2 instance metadata service at "
                + base
                + " accepted the connection but never answered the IMDSv2 token PUT, and "
                + why
                + ". This is the PUT response hop limit: the reply's IP TTL is"
                + " HttpPutResponseHopLimit (default 1), so a workload one hop further away (a"
                + " container on a bridge network, a pod) never receives it.")
        .fix(
            "Raise the hop limit to 2 for this instance (launch templates: MetadataOptions"
                + " HttpPutResponseHopLimit=2):\n  "
                + HOP_LIMIT_COMMAND
                + "\nKeep --http-tokens required; do not fall back to IMDSv1"
                + (v1Disabled && !required ? " (keep " + AwsEnv.IMDS_V1_DISABLED + ")" : "")
                + ". Alternatively run the container with host networking.")
        .build();
  }

  /**
   * Whether the PUT failed after the connection was established: a read timeout, as opposed to a
   * refused or timed-out connect.
   */
  static boolean connectionAcceptedButNoAnswer(IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
        return !m.contains("connect");
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("read timed out");
  }
}

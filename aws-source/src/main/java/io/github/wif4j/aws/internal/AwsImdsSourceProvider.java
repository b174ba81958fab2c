package io.github.wif4j.aws.internal;

import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.SourceUnavailableException;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceProvider;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;

/**
 * Detects EC2 and Amazon Bedrock AgentCore Runtime, which set no identifying environment variable,
 * by a short probe of the metadata service (500 ms): an IMDSv2 token PUT that succeeds, or a
 * tokenless {@code GET /latest/meta-data/} answered 200 or 401 without the Google {@code
 * Metadata-Flavor} header (GCE and Azure serve the same address and answer differently). Runs after
 * every provider that only reads environment variables.
 */
public final class AwsImdsSourceProvider implements SourceProvider {
  static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

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
    AwsSource source = AwsSource.fromEnvironment(environment);
    URI base = ImdsClient.endpointFrom(environment);
    HttpExecutor probe =
        HttpExecutor.create(
            TransportPolicy.builder()
                .connectTimeout(PROBE_TIMEOUT)
                .readTimeout(PROBE_TIMEOUT)
                .deadline(PROBE_TIMEOUT.plus(PROBE_TIMEOUT))
                .maxAttempts(1)
                .build());
    try {
      HttpExecutor.Response put =
          probe.send(
              HttpExecutor.Request.newBuilder("PUT", URI.create(base + ImdsClient.TOKEN_PATH))
                  .header(ImdsClient.TTL_HEADER, "60")
                  .endpointName("EC2 instance metadata probe")
                  .build());
      if (put.status() == 200 && put.header("Metadata-Flavor").isEmpty()) {
        return source;
      }
      HttpExecutor.Response get =
          probe.send(
              HttpExecutor.Request.get(URI.create(base + "/latest/meta-data/"))
                  .endpointName("EC2 instance metadata probe")
                  .build());
      if ((get.status() == 200 || get.status() == 401) && get.header("Metadata-Flavor").isEmpty()) {
        return source;
      }
      source.close();
      throw new SourceUnavailableException(
          "the metadata service at " + base + " is not AWS's (HTTP " + get.status() + ")");
    } catch (SourceUnavailableException e) {
      throw e;
    } catch (IOException e) {
      source.close();
      throw new SourceUnavailableException(
          "no EC2 / AgentCore metadata service answered at "
              + base
              + " within "
              + PROBE_TIMEOUT.toMillis()
              + " ms");
    }
  }
}

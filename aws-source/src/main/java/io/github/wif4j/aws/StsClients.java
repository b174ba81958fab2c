package io.github.wif4j.aws;

import io.github.wif4j.core.http.TransportPolicy;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;

/**
 * Builds the SDK's {@link StsClient} the wif4j way: the light URL-connection HTTP client (no
 * netty), the transport policy's timeouts, retries with jittered backoff, and an overall deadline.
 * Used by {@link AwsOidcTokenSource}, the web identity provider of the default chain and {@code
 * wif4j doctor}; close the client when done.
 *
 * <pre>{@code
 * try (StsClient sts = StsClients.create("us-east-1", credentials, null, TransportPolicy.defaults())) {
 *   String arn = sts.getCallerIdentity().arn();
 * }
 * }</pre>
 */
public final class StsClients {
  private StsClients() {}

  /** A client for {@code region}, signing with {@code credentials}, at {@code endpoint} if set. */
  public static StsClient create(
      String region, AwsCredentialsProvider credentials, URI endpoint, TransportPolicy policy) {
    BackoffStrategy backoff =
        BackoffStrategy.exponentialDelayHalfJitter(policy.initialBackoff(), policy.maxBackoff());
    StsClientBuilder b =
        StsClient.builder()
            .region(Region.of(region))
            .credentialsProvider(credentials)
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(policy.connectTimeout())
                    .socketTimeout(policy.readTimeout())
                    .build())
            .overrideConfiguration(
                o ->
                    o.retryStrategy(
                            AwsRetryStrategy.standardRetryStrategy().toBuilder()
                                .maxAttempts(policy.maxAttempts())
                                .backoffStrategy(backoff)
                                .throttlingBackoffStrategy(backoff)
                                .build())
                        .apiCallTimeout(policy.deadline()));
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }
}

package io.github.wif4j.gcp2aws.internal;

import io.github.wif4j.core.http.TransportPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.model.IdpCommunicationErrorException;

/**
 * The STS client of a {@code GoogleToAwsCredentialsProvider}, built on first use: building one
 * initialises the AWS SDK (about a thousand classes), which a provider that is built but not yet
 * used (a static field, a SnapStart init, a bean) should not pay for. Internal.
 */
public final class LazyStsClient implements Supplier<StsClient>, AutoCloseable {
  private final String region;
  private final URI endpoint;
  private final TransportPolicy policy;
  private final Duration deadline;
  private SdkHttpClient httpClient; // guarded by this
  private volatile StsClient client; // written under this
  private boolean closed; // guarded by this

  /** Remembers the settings; builds nothing. */
  public LazyStsClient(String region, URI endpoint, TransportPolicy policy, Duration deadline) {
    this.region = region;
    this.endpoint = endpoint;
    this.policy = policy;
    this.deadline = deadline;
  }

  /** Whether the client is built (and not closed since). */
  public boolean isBuilt() {
    return client != null;
  }

  /** The client, built on the first call (again after {@link #close()}). */
  @Override
  public StsClient get() {
    StsClient c = client;
    return c != null ? c : build();
  }

  private synchronized StsClient build() {
    if (client == null) {
      closed = false;
      httpClient =
          new CappedHttpClient(
              UrlConnectionHttpClient.builder()
                  .connectionTimeout(policy.connectTimeout())
                  .socketTimeout(policy.readTimeout())
                  .build());
      BackoffStrategy backoff =
          BackoffStrategy.exponentialDelayHalfJitter(policy.initialBackoff(), policy.maxBackoff());
      RetryStrategy retry =
          AwsRetryStrategy.standardRetryStrategy().toBuilder()
              .retryOnExceptionOrCause(IdpCommunicationErrorException.class)
              // a garbled 200 (cut short by a proxy) is transient like a 5xx
              .retryOnException(StsFailures::isMalformedResponse)
              .maxAttempts(policy.maxAttempts())
              .backoffStrategy(backoff)
              .throttlingBackoffStrategy(backoff)
              .build();
      StsClientBuilder sb =
          StsClient.builder()
              .region(Region.of(region))
              .credentialsProvider(AnonymousCredentialsProvider.create())
              .httpClient(httpClient)
              .overrideConfiguration(o -> o.retryStrategy(retry).apiCallTimeout(deadline));
      if (endpoint != null) {
        sb.endpointOverride(endpoint);
      }
      client = sb.build();
    }
    return client;
  }

  /** Closes the client and its HTTP client if they were built. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (client != null) {
      client.close();
      httpClient.close();
      client = null;
      httpClient = null;
    }
  }

  @Override
  public String toString() {
    return "LazyStsClient{region=" + region + ", endpoint=" + endpoint + "}";
  }
}

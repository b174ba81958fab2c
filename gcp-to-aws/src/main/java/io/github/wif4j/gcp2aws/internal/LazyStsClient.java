package io.github.wif4j.gcp2aws.internal;

import io.github.wif4j.core.http.TransportPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
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
      httpClient = new CappedHttpClient(sdkHttpClient(policy));
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

  /**
   * The SDK's URLConnection client with the policy's timeouts. With a policy {@code sslContext} (a
   * private CA, a TLS-inspecting proxy's CA, the test certificate) its socket factory is used for
   * https, as for wif4j's Google calls: the SDK builder takes only trust/key manager providers,
   * which an {@code SSLContext} does not expose, so the connections are opened here (no redirects
   * followed, as the SDK's own client does).
   */
  static SdkHttpClient sdkHttpClient(TransportPolicy policy) {
    Optional<SSLContext> ssl = policy.sslContext();
    if (ssl.isEmpty()) {
      return UrlConnectionHttpClient.builder()
          .connectionTimeout(policy.connectTimeout())
          .socketTimeout(policy.readTimeout())
          .build();
    }
    SSLSocketFactory sockets = ssl.get().getSocketFactory();
    int connect = (int) Math.min(Integer.MAX_VALUE, policy.connectTimeout().toMillis());
    int read = (int) Math.min(Integer.MAX_VALUE, policy.readTimeout().toMillis());
    return UrlConnectionHttpClient.create(
        uri -> {
          try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            if (c instanceof HttpsURLConnection) {
              ((HttpsURLConnection) c).setSSLSocketFactory(sockets);
            }
            c.setConnectTimeout(connect);
            c.setReadTimeout(read);
            c.setInstanceFollowRedirects(false);
            return c;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
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

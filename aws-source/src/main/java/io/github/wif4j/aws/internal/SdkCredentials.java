package io.github.wif4j.aws.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Redaction;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * One AWS SDK credentials provider as a link of the chain: built on first use (construction does no
 * I/O and loads no SDK class a workload does not need), its failures turned into {@link
 * FederationException}s that say what to fix, and, for the metadata endpoints, retried on transient
 * faults with jittered backoff within the transport policy's deadline. The SDK's HTTP credential
 * providers make one attempt per call (IMDS: no retry at all; a 500, 429, reset or garbled document
 * fails the caller), which is the gap this fills.
 *
 * <p>{@link #reset()} closes and drops the provider, so its own cache (which serves stale
 * credentials through an outage) cannot hand back credentials Google just rejected.
 */
public final class SdkCredentials implements CredentialResolver {
  /** How an SDK failure reads to the user: the message, status and fix for this link. */
  public interface Explainer {
    FederationException.Builder explain(String detail, int status);
  }

  private final String name;
  private final Supplier<Optional<String>> notApplicable;
  private final Supplier<AwsCredentialsProvider> factory;
  private final Explainer explainer;
  private final TransportPolicy retries;
  private final BiPredicate<Integer, String> transientFailure;
  private volatile AwsCredentialsProvider provider;

  /**
   * @param retries {@code null} for a single attempt (the provider retries itself, e.g. AWS STS)
   * @param transientFailure whether a failure, by HTTP status (-1: an I/O or parse failure) and
   *     detail, is worth a retry
   */
  public SdkCredentials(
      String name,
      Supplier<Optional<String>> notApplicable,
      Supplier<AwsCredentialsProvider> factory,
      Explainer explainer,
      TransportPolicy retries,
      BiPredicate<Integer, String> transientFailure) {
    this.name = name;
    this.notApplicable = notApplicable;
    this.factory = factory;
    this.explainer = explainer;
    this.retries = retries;
    this.transientFailure = transientFailure;
  }

  /** Any provider the caller hands over: one attempt, failures explained generically. */
  public static SdkCredentials of(AwsCredentialsProvider provider) {
    return new SdkCredentials(
        provider.getClass().getSimpleName(),
        Optional::empty,
        () -> provider,
        (detail, status) ->
            FederationException.builder(
                    Step.SOURCE,
                    provider.getClass().getSimpleName() + " gave no AWS credentials: " + detail)
                .fix("Check the AWS credentials this provider reads: aws sts get-caller-identity"),
        null,
        (status, detail) -> false);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<String> notApplicable() {
    return notApplicable.get();
  }

  @Override
  public AwsCredentials resolve() throws IOException {
    long start = System.nanoTime();
    int attempts = retries == null ? 1 : retries.maxAttempts();
    long deadline = retries == null ? 0 : start + retries.deadline().toNanos();
    for (int attempt = 1; ; attempt++) {
      FederationException failure;
      try {
        return provider().resolveCredentials();
      } catch (RuntimeException e) {
        failure = translate(e);
      }
      long backoff = retries == null ? 0 : retries.backoffMillis(attempt);
      if (!failure.isRetryable() || attempts == 1) {
        throw failure;
      }
      if (attempt >= attempts || System.nanoTime() + backoff * 1_000_000L >= deadline) {
        long ms = (System.nanoTime() - start) / 1_000_000L;
        throw FederationException.builder(
                Step.SOURCE,
                name
                    + (attempt >= attempts
                        ? " failed after " + attempt + " attempts"
                        : " gave up at the deadline of " + retries.deadline().toMillis() + " ms")
                    + " ("
                    + ms
                    + " ms), last error: "
                    + failure.getMessage())
            .fix(failure.fix().orElse("Check that the endpoint is reachable from this host."))
            .httpStatus(failure.httpStatus())
            .retryable(true)
            .cause(failure)
            .build();
      }
      try {
        Thread.sleep(backoff);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException(name + ": interrupted while retrying");
      }
    }
  }

  @Override
  public void reset() {
    AwsCredentialsProvider p;
    synchronized (this) {
      p = provider;
      provider = null;
    }
    if (p instanceof SdkAutoCloseable) {
      ((SdkAutoCloseable) p).close();
    }
  }

  private AwsCredentialsProvider provider() {
    AwsCredentialsProvider p = provider;
    if (p == null) {
      synchronized (this) {
        if (provider == null) {
          provider = factory.get();
        }
        p = provider;
      }
    }
    return p;
  }

  private FederationException translate(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConfigurationException) {
        throw (ConfigurationException) t;
      }
      if (t instanceof FederationException) {
        return (FederationException) t; // e.g. a token file we could not read
      }
    }
    int status = status(e);
    String detail = detail(e);
    return explainer
        .explain(detail, status)
        .httpStatus(Math.max(status, 0))
        .retryable(retries != null && transientFailure.test(status, detail))
        .cause(e)
        .build();
  }

  /**
   * The HTTP status behind an SDK failure, or -1 for an I/O or parse failure. The SDK's metadata
   * reader reports a 404 only as an {@link SdkClientException} with this fixed message (its {@code
   * HttpResourcesUtils}), so that message is the one place matched by text.
   */
  static int status(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SdkServiceException) {
        return ((SdkServiceException) t).statusCode();
      }
      if (t instanceof SdkClientException
          && String.valueOf(t.getMessage()).startsWith("The requested metadata is not found")) {
        return 404;
      }
    }
    return -1;
  }

  /** The messages of the cause chain, scrubbed of anything token-like. */
  private static String detail(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 400; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null && sb.indexOf(m) < 0) {
        sb.append(sb.length() == 0 ? "" : ": ").append(m);
      }
    }
    return Redaction.scrub(sb.length() == 0 ? e.getClass().getSimpleName() : sb.toString());
  }
}

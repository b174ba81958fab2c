package io.github.wif4j.gcp2aws.internal;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.cache.RefreshingCache;
import io.github.wif4j.core.http.OperationDeadline;
import io.github.wif4j.core.http.ParallelStart;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * One refresh: mint a fresh Google ID token, then AssumeRoleWithWebIdentity through the AWS SDK's
 * {@link StsAssumeRoleWithWebIdentityCredentialsProvider}. Internal.
 *
 * <p>The SDK provider is built per refresh and used for exactly one resolution: it does the request
 * building, the STS call through the configured client (retries, timeouts) and the conversion to
 * {@link AwsSessionCredentials}, while {@link RefreshingCache} alone decides when to refresh. A
 * long-lived SDK provider would keep its own cache, whose blocking refresh lets each waiting thread
 * call STS again after 5 s and which ignores our clock and {@code invalidate()}.
 */
public final class AssumeRoleRefresher implements RefreshingCache.Refresher<AwsSessionCredentials> {
  private final Supplier<StsClient> sts; // built on the first refresh
  private final IdTokenSource idTokens;
  private final String roleArn;
  private final String audience;
  private final String sessionName; // null: derive from the token
  private final Integer durationSeconds;
  private final String policy;
  private final List<String> policyArns;
  private final Duration staleTime;
  private final Duration prefetchTime;
  private final String endpoint;
  private final Duration deadline;
  private final AtomicReference<IdTokenClaims> lastClaims =
      new AtomicReference<>(IdTokenClaims.decode(null));

  /** An ID token fetched ahead of the first refresh: null, pending, or {@link #USED}. */
  private final AtomicReference<Prefetch> prefetch = new AtomicReference<>();

  private static final Prefetch USED = new Prefetch(null, 0);

  /** A prefetched token older than this is not used (ID tokens last an hour). */
  private static final long PREFETCH_MAX_AGE_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** A refresher with the provider's settings. */
  public AssumeRoleRefresher(
      Supplier<StsClient> sts,
      IdTokenSource idTokens,
      String roleArn,
      String audience,
      String sessionName,
      Integer durationSeconds,
      String policy,
      List<String> policyArns,
      Duration staleTime,
      Duration prefetchTime,
      String endpoint,
      Duration deadline) {
    this.sts = sts;
    this.idTokens = idTokens;
    this.roleArn = roleArn;
    this.audience = audience;
    this.sessionName = sessionName;
    this.durationSeconds = durationSeconds;
    this.policy = policy;
    this.policyArns = List.copyOf(policyArns);
    this.staleTime = staleTime;
    this.prefetchTime = prefetchTime;
    this.endpoint = endpoint;
    this.deadline = deadline;
  }

  /**
   * Starts fetching the first ID token on a short-lived daemon thread, so that it arrives while the
   * caller initialises the AWS SDK (about 1,200 classes to load: the larger half of a first call in
   * a fresh JVM, measured in docs/BENCHMARKS.md). The first refresh takes that token instead of
   * fetching one; a failure there is that refresh's failure, reported as usual. At most once per
   * refresher, only with two or more processors (nothing to overlap on one); returns at once.
   */
  public void prefetchIdToken() {
    if (!ParallelStart.multiCore() || prefetch.get() != null) {
      return;
    }
    FutureTask<String> task =
        new FutureTask<>(
            () -> {
              try (OperationDeadline d = OperationDeadline.start(operationBudget())) {
                return idTokens.fetch(audience);
              }
            });
    if (!prefetch.compareAndSet(null, new Prefetch(task, System.nanoTime()))) {
      return;
    }
    Thread t = new Thread(task, "wif4j-id-token-prefetch");
    t.setDaemon(true);
    t.start();
  }

  /** An ID token fetch started ahead of the first refresh. */
  private record Prefetch(FutureTask<String> task, long startedNanos) {}

  /** The prefetched token when one is pending and recent, else a fresh fetch. */
  private String fetchIdToken(OperationDeadline d) throws IOException {
    Prefetch p = prefetch.get();
    if (p != null && p != USED && prefetch.compareAndSet(p, USED)) {
      if (System.nanoTime() - p.startedNanos() < PREFETCH_MAX_AGE_NANOS) {
        try {
          return p.task().get(Math.max(1, d.remaining().toMillis()), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof IOException) {
            throw (IOException) cause; // the source's own failure, as a fetch here would report
          }
          if (cause instanceof RuntimeException) {
            throw (RuntimeException) cause;
          }
          throw new IOException(cause);
        } catch (InterruptedException e) {
          p.task().cancel(true);
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for the Google ID token");
        } catch (TimeoutException e) {
          p.task().cancel(true); // out of time: the fetch below reports the deadline
        }
      } else {
        p.task().cancel(true);
      }
    }
    return idTokens.fetch(audience);
  }

  /** Carries an ID-token failure through the SDK's Supplier contract. */
  private static final class IdTokenFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IdTokenFailure(IOException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  @Override
  public Refreshed<AwsSessionCredentials> refresh() throws IOException {
    // One budget for the ID token and STS together, ending a little before the cache stops
    // waiting: a slow step then fails with its own name and status.
    try (OperationDeadline d = OperationDeadline.start(operationBudget())) {
      return refreshWithin(d);
    }
  }

  private Duration operationBudget() {
    // room for the SDK to abort and for the explained error (a loaded host needs a few hundred ms)
    Duration margin = deadline.dividedBy(4);
    if (margin.compareTo(Duration.ofSeconds(1)) > 0) {
      margin = Duration.ofSeconds(1);
    }
    return deadline.minus(margin);
  }

  private Refreshed<AwsSessionCredentials> refreshWithin(OperationDeadline d) throws IOException {
    Supplier<AssumeRoleWithWebIdentityRequest> request = () -> newRequest(d);
    AwsCredentials credentials;
    try (StsAssumeRoleWithWebIdentityCredentialsProvider provider =
        StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
            .stsClient(sts.get())
            .refreshRequest(request)
            .staleTime(staleTime)
            .prefetchTime(prefetchTime)
            .asyncCredentialUpdateEnabled(false)
            .build()) {
      credentials = provider.resolveCredentials();
    } catch (RuntimeException e) {
      throw translate(e);
    }
    if (!(credentials instanceof AwsSessionCredentials)) {
      throw FederationException.builder(
              Step.AWS_STS, "AWS STS returned credentials without a session token")
          .build();
    }
    AwsSessionCredentials session = (AwsSessionCredentials) credentials;
    Instant expires =
        session
            .expirationTime()
            .orElseThrow(
                () ->
                    FederationException.builder(
                            Step.AWS_STS, "AWS STS returned credentials without an expiration")
                        .build());
    // The SDK's semantics: stop serving staleTime before expiry, refresh from prefetchTime before.
    return Refreshed.expiringAt(session, expires)
        .withStaleAt(expires.minus(staleTime))
        .withPrefetchAt(expires.minus(prefetchTime));
  }

  private AssumeRoleWithWebIdentityRequest newRequest(OperationDeadline d) {
    String token;
    try {
      token = fetchIdToken(d);
    } catch (IOException e) {
      throw new IdTokenFailure(e);
    }
    IdTokenClaims claims = IdTokenClaims.decode(token);
    lastClaims.set(claims);
    AssumeRoleWithWebIdentityRequest.Builder b =
        AssumeRoleWithWebIdentityRequest.builder()
            .roleArn(roleArn)
            .roleSessionName(sessionName != null ? sessionName : SessionNames.fromClaims(claims))
            .webIdentityToken(token);
    // STS gets the time the ID token left over (the SDK's own timeout counts from this call)
    Duration left = d.remaining();
    b.overrideConfiguration(
        o ->
            o.apiCallTimeout(
                left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left));
    if (durationSeconds != null) {
      b.durationSeconds(durationSeconds);
    }
    if (policy != null) {
      b.policy(policy);
    }
    if (!policyArns.isEmpty()) {
      b.policyArns(
          policyArns.stream()
              .map(a -> PolicyDescriptorType.builder().arn(a).build())
              .toArray(PolicyDescriptorType[]::new));
    }
    return b.build();
  }

  private IOException translate(RuntimeException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IdTokenFailure) {
        return (IOException) t.getCause();
      }
    }
    if (e instanceof StsException) {
      return StsFailures.fromService((StsException) e, lastClaims.get(), roleArn, audience);
    }
    if (e instanceof SdkClientException) {
      return StsFailures.fromClient((SdkClientException) e, endpoint, deadline);
    }
    return FederationException.builder(
            Step.AWS_STS,
            "AssumeRoleWithWebIdentity failed unexpectedly: " + e.getClass().getSimpleName())
        .build();
  }
}

package io.github.wif4j.gcp2aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeGceMetadata;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The first call fetches the ID token on a daemon thread while the AWS SDK initialises on the
 * caller's: one fetch, its failure is the call's failure, off with {@code
 * WIF4J_PARALLEL_START=false}.
 */
class ParallelStartTest {
  static final String ROLE = GoogleToAwsCredentialsProviderTest.ROLE;
  static final String PREFETCH_THREAD = "wif4j-id-token-prefetch";

  private FakeGceMetadata gce;
  private FakeAwsSts sts;
  private Environment env;
  private final List<String> fetchThreads = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private IdTokenSource recording;

  @BeforeEach
  void start() {
    gce = new FakeGceMetadata().start();
    sts = new FakeAwsSts().start();
    sts.trustIssuer(gce.googleIssuer());
    sts.allowRole(ROLE, Map.of());
    env = Environment.of(Map.of("GCE_METADATA_HOST", gce.hostAndPort()));
    IdTokenSource metadata =
        IdTokenSource.metadataServer(env, GoogleToAwsCredentialsProviderTest.fast());
    recording =
        audience -> {
          fetchThreads.add(Thread.currentThread().getName());
          if (failuresLeft.getAndDecrement() > 0) {
            throw FederationException.builder(
                    FederationException.Step.ID_TOKEN, "metadata server said no (test)")
                .build();
          }
          return metadata.fetch(audience);
        };
  }

  @AfterEach
  void stop() {
    sts.close();
    gce.close();
  }

  private GoogleToAwsCredentialsProvider provider(Map<String, String> vars) {
    return GoogleToAwsCredentialsProvider.builder()
        .roleArn(ROLE)
        .stsEndpoint(sts.endpoint())
        .stsRegion("us-east-1")
        .environment(Environment.of(vars))
        .idTokenSource(recording)
        .transportPolicy(GoogleToAwsCredentialsProviderTest.fast())
        .build();
  }

  @Test
  void firstCall_fetchesTheIdTokenOnceOnThePrefetchThread() {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the prefetch needs two CPUs");
    try (GoogleToAwsCredentialsProvider aws = provider(Map.of())) {
      assertFalse(aws.resolveCredentials().accessKeyId().isEmpty());
      assertEquals(List.of(PREFETCH_THREAD), fetchThreads);
      assertEquals(1, sts.actionCount("AssumeRoleWithWebIdentity"));
    }
  }

  @Test
  void parallelStartFalse_fetchesInTheRefresh() {
    try (GoogleToAwsCredentialsProvider aws =
        provider(Map.of(GoogleToAwsCredentialsProvider.ENV_PARALLEL_START, "false"))) {
      assertFalse(aws.resolveCredentials().accessKeyId().isEmpty());
      assertEquals(1, fetchThreads.size());
      assertNotEquals(PREFETCH_THREAD, fetchThreads.get(0));
    }
  }

  @Test
  void prefetchFailure_failsTheFirstCallWithItsMessage_nextCallFetchesAgain() throws IOException {
    failuresLeft.set(1);
    try (GoogleToAwsCredentialsProvider aws = provider(Map.of())) {
      SdkClientException e = assertThrows(SdkClientException.class, aws::resolveCredentials);
      assertInstanceOf(FederationException.class, e.getCause());
      assertTrue(e.getMessage().contains("metadata server said no (test)"), e.getMessage());
      assertEquals(1, fetchThreads.size());
      assertEquals(0, sts.actionCount("AssumeRoleWithWebIdentity"));

      assertFalse(aws.resolveCredentials().accessKeyId().isEmpty());
      assertEquals(2, fetchThreads.size());
      assertNotEquals(PREFETCH_THREAD, fetchThreads.get(1)); // once per provider
    }
  }
}

package io.github.wif4j.gcp2aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeGceMetadata;
import io.github.wif4j.testing.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * A slow, hung, garbled or endless AWS STS against {@link GoogleToAwsCredentialsProvider}: served
 * when it answers within the deadline (default settings), a clear error naming AWS STS otherwise.
 */
class HostileStsTest {
  private static final String ROLE = GoogleToAwsCredentialsProviderTest.ROLE;

  private FakeGceMetadata gce;
  private FakeAwsSts sts;
  private Environment env;
  private final List<GoogleToAwsCredentialsProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() {
    gce = new FakeGceMetadata().start();
    sts = new FakeAwsSts().start();
    sts.trustIssuer(gce.googleIssuer());
    sts.allowRole(
        ROLE,
        Map.of(
            "accounts.google.com:aud",
            gce.serviceAccountUniqueId(),
            "accounts.google.com:oaud",
            ROLE));
    env = Environment.of(Map.of("GCE_METADATA_HOST", gce.hostAndPort()));
  }

  @AfterEach
  void stop() {
    providers.forEach(GoogleToAwsCredentialsProvider::close);
    sts.close();
    gce.close();
  }

  private GoogleToAwsCredentialsProvider provider(GoogleToAwsCredentialsProvider.Builder b) {
    GoogleToAwsCredentialsProvider p =
        b.roleArn(ROLE).stsEndpoint(sts.endpoint()).stsRegion("us-east-1").environment(env).build();
    providers.add(p);
    return p;
  }

  @Test
  void stsTaking6s_64Callers_defaults_oneCall_allServed() throws Exception {
    sts.enqueueFault(Fault.delay(Duration.ofSeconds(6)).times(64));
    GoogleToAwsCredentialsProvider aws = provider(GoogleToAwsCredentialsProvider.builder());
    ExecutorService callers = Executors.newFixedThreadPool(64);
    try {
      List<Future<AwsCredentials>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(callers.submit(aws::resolveCredentials));
      }
      for (Future<AwsCredentials> f : results) {
        assertTrue(f.get(60, TimeUnit.SECONDS).accessKeyId().startsWith("ASIA"));
      }
    } finally {
      callers.shutdownNow();
    }
    assertEquals(1, sts.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void hungSts_failsAtTheDeadline_namingAwsSts() {
    sts.enqueueFault(Fault.hang().times(100));
    GoogleToAwsCredentialsProvider aws =
        provider(
            GoogleToAwsCredentialsProvider.builder()
                .transportPolicy(
                    TransportPolicy.builder()
                        .readTimeout(Duration.ofSeconds(2))
                        .deadline(Duration.ofSeconds(6))
                        .build()));
    long start = System.nanoTime();
    SdkClientException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> assertThrows(SdkClientException.class, aws::resolveCredentials));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 9_000, ms + " ms for a 6 s deadline");
    FederationException fe = assertInstanceOf(FederationException.class, e.getCause());
    assertEquals(Step.AWS_STS, fe.step(), fe.getMessage());
    assertTrue(fe.getMessage().contains("did not answer"), fe.getMessage());
    assertFalse(fe.fix().orElse("").endsWith("raise the deadline."), fe.fix().orElse(""));
  }

  @Test
  void garbledSuccess_retriedLikeA5xx() {
    sts.enqueueFault(Fault.malformedBody());
    GoogleToAwsCredentialsProvider aws =
        provider(
            GoogleToAwsCredentialsProvider.builder()
                .transportPolicy(
                    TransportPolicy.builder()
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .build()));
    assertTrue(aws.resolveCredentials().accessKeyId().startsWith("ASIA"));
    assertEquals(2, sts.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void garbledSuccessPersisting_describedAsWhatItIs() {
    sts.enqueueFault(Fault.malformedBody().times(10));
    GoogleToAwsCredentialsProvider aws =
        provider(
            GoogleToAwsCredentialsProvider.builder()
                .transportPolicy(
                    TransportPolicy.builder()
                        .backoff(Duration.ofMillis(5), Duration.ofMillis(20))
                        .build()));
    SdkClientException e = assertThrows(SdkClientException.class, aws::resolveCredentials);
    FederationException fe = assertInstanceOf(FederationException.class, e.getCause());
    assertTrue(fe.getMessage().contains("not a valid STS response"), fe.getMessage());
    assertFalse(fe.getMessage().contains("could not be reached"), fe.getMessage());
    assertTrue(fe.isRetryable());
  }

  @Test
  void endlessAnswer_cappedNotBuffered() {
    sts.enqueueFault(Fault.endlessBody().times(10));
    GoogleToAwsCredentialsProvider aws = provider(GoogleToAwsCredentialsProvider.builder());
    SdkClientException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> assertThrows(SdkClientException.class, aws::resolveCredentials));
    FederationException fe = assertInstanceOf(FederationException.class, e.getCause());
    // the SDK parses as it reads: a garbage start fails at once; a plausible one stops at the cap
    assertTrue(
        fe.getMessage().contains("256 KiB") || fe.getMessage().contains("not a valid STS response"),
        fe.getMessage());
  }
}

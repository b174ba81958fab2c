package io.github.wif4j.aws;

import static io.github.wif4j.aws.AwsFederationFixture.fastPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.Fault;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The EC2 metadata endpoints under one transient fault each (the token PUT and the credentials
 * documents): the caller still gets a Google token; a hung endpoint fails within the deadline.
 */
class ImdsFaultMatrixTest {
  private final AwsFederationFixture fx = new AwsFederationFixture();
  private final FakeClock clock = FakeClock.now();

  @AfterEach
  void stop() {
    fx.close();
  }

  static Stream<Arguments> faults() {
    Map<String, Supplier<Fault>> kinds =
        Map.of(
            "500", () -> Fault.status(500),
            "503", () -> Fault.status(503, "text/html", "<html>unavailable</html>"),
            "429", () -> Fault.status(429),
            "reset", Fault::reset,
            "malformed", Fault::malformedBody);
    Stream.Builder<Arguments> b = Stream.builder();
    for (String path :
        new String[] {"/latest/api/token", "/latest/meta-data/iam/security-credentials"}) {
      kinds.forEach((name, fault) -> b.add(Arguments.of(path, name, fault)));
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("faults")
  void oneFault_callerSucceeds(String path, String name, Supplier<Fault> fault) throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start()) {
      imds.trustedBy(fx.cloud.sts());
      imds.enqueueFault(fault.get().onPath(path).times(1));
      try (AwsSource aws = source(imds, fastPolicy());
          FederatedCredentials google = fx.credentials(aws, true, clock)) {
        assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)), path + " " + name);
      }
    }
  }

  @Test
  void credentialsEndpointHangs_timeoutWithinDeadline_namesTheEndpoint() {
    TransportPolicy policy =
        fastPolicy().toBuilder()
            .readTimeout(Duration.ofMillis(500))
            .deadline(Duration.ofSeconds(2))
            .build();
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start()) {
      imds.enqueueFault(Fault.hang().onPath("/latest/meta-data/iam/").times(100));
      try (AwsSource aws = source(imds, policy);
          FederatedCredentials google = fx.credentials(aws, false, clock)) {
        Exception e =
            assertTimeoutPreemptively(
                Duration.ofSeconds(15),
                () -> assertThrows(Exception.class, () -> fx.bearer(google)));
        String m = AwsSourceIntegrationTest.messages(e);
        assertTrue(m.contains("EC2 instance metadata"), m);
        assertTrue(m.contains("deadline") || m.contains("attempts"), m);
        assertEquals(0, fx.cloud.sts().requestCount());
        FederationException fe = find(e);
        assertTrue(fe.isRetryable());
        assertFalse(m.contains(imds.currentCredentials().secretAccessKey()));
      }
    }
  }

  private static AwsSource source(FakeEc2Metadata imds, TransportPolicy policy) {
    return AwsSource.builder()
        .environment(
            Environment.of(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString())))
        .transportPolicy(policy)
        .metadataTimeout(Duration.ofMillis(300))
        .build();
  }

  private static FederationException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof FederationException) {
        return (FederationException) t;
      }
    }
    throw new AssertionError("no FederationException in " + e);
  }
}

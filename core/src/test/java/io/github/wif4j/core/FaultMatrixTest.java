package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.FakeServer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.TestTls;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One transient fault at Google STS or IAM Credentials, through {@link FederatedCredentials} with
 * impersonation: the caller still gets a token; a hang gives a clear timeout naming the step.
 */
class FaultMatrixTest {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  static final String APP_AUDIENCE = "https://my-app.example.test";

  private FakeCloud cloud;
  private FakeJwtIssuer issuer;

  /** Which fake the fault goes to. */
  enum Endpoint {
    STS(Step.STS, FakeCloud::sts, "/v1/token"),
    IAM(Step.IMPERSONATION, FakeCloud::iam, "/v1/projects/");

    final Step step;
    final Function<FakeCloud, FakeServer> server;
    final String path;

    Endpoint(Step step, Function<FakeCloud, FakeServer> server, String path) {
      this.step = step;
      this.server = server;
      this.path = path;
    }
  }

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    issuer = FakeJwtIssuer.create("https://oidc.example.test");
    cloud.sts().trustIssuer(issuer, APP_AUDIENCE);
    cloud.iam().allowImpersonation(SA);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  static SubjectTokenSource jwtSource(FakeJwtIssuer issuer) {
    return new SubjectTokenSource() {
      @Override
      public String subjectTokenType() {
        return SubjectTokenType.JWT;
      }

      @Override
      public SubjectToken fetch(io.github.wif4j.core.spi.SourceContext context) {
        return SubjectToken.of(
            issuer.issue("workload-1", APP_AUDIENCE, Duration.ofHours(1), Map.of()),
            SubjectTokenType.JWT);
      }
    };
  }

  static TransportPolicy.Builder fastPolicy() {
    return TransportPolicy.builder()
        .sslContext(TestTls.clientContext())
        .backoff(Duration.ofMillis(5), Duration.ofMillis(50));
  }

  static FederatedCredentials.Builder impersonating(
      FakeCloud cloud, FakeJwtIssuer issuer, TransportPolicy policy) {
    return FederatedCredentials.builder()
        .settings(
            FederationSettings.builder()
                .audience(cloud.audience("my-pool", "my-oidc"))
                .tokenUrl(cloud.stsTokenUrl())
                .serviceAccountImpersonationUrl(cloud.impersonationUrl(SA))
                .build())
        .source(jwtSource(issuer))
        .backgroundRefresh(false)
        .transportPolicy(policy);
  }

  static Stream<Arguments> transientFaults() {
    Map<String, Supplier<Fault>> faults =
        Map.of(
            "500", () -> Fault.status(500),
            "503", () -> Fault.status(503),
            "503 html", () -> Fault.status(503, "text/html", "<html><b>503</b> overloaded</html>"),
            "429", () -> Fault.status(429),
            "reset", Fault::reset,
            "malformed body", Fault::malformedBody);
    return Stream.of(Endpoint.values())
        .flatMap(
            e ->
                faults.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(f -> Arguments.of(e, f.getKey(), f.getValue())));
  }

  @ParameterizedTest(name = "{0}: one {1}")
  @MethodSource("transientFaults")
  void oneTransientFault_callerGetsToken(Endpoint endpoint, String name, Supplier<Fault> fault)
      throws Exception {
    endpoint.server.apply(cloud).enqueueFault(fault.get().onPath(endpoint.path));
    try (FederatedCredentials credentials =
        impersonating(cloud, issuer, fastPolicy().build()).build()) {
      Map<String, List<String>> metadata = credentials.getRequestMetadata(null);
      String token = metadata.get("Authorization").get(0).substring("Bearer ".length());
      assertTrue(cloud.iam().isIssued(token), "an impersonated token after one " + name);
      assertEquals(2, endpoint.server.apply(cloud).requestCount(), "one retry at " + endpoint);
      List<String> issued = cloud.iam().issuedTokens(); // a malformed answer still issued one
      assertEquals(issued.get(issued.size() - 1), token, "the last token IAM issued");
    }
  }

  @ParameterizedTest(name = "{0} hangs")
  @EnumSource(Endpoint.class)
  void hang_clearTimeoutNamingTheStep(Endpoint endpoint) {
    endpoint.server.apply(cloud).enqueueFault(Fault.hang().onPath(endpoint.path).times(100));
    TransportPolicy policy =
        fastPolicy().readTimeout(Duration.ofMillis(400)).deadline(Duration.ofSeconds(1)).build();
    try (FederatedCredentials credentials = impersonating(cloud, issuer, policy).build()) {
      FederationException e =
          assertTimeoutPreemptively(
              Duration.ofSeconds(6),
              () ->
                  assertThrows(
                      FederationException.class, () -> credentials.getRequestMetadata(null)));
      assertEquals(endpoint.step, e.step(), e.getMessage());
      assertTrue(
          e.getMessage().contains("did not answer within the deadline of 1000 ms"), e.getMessage());
      assertTrue(
          e.getMessage().contains(endpoint == Endpoint.STS ? "Google STS" : "IAM Credentials"),
          e.getMessage());
      assertTrue(e.isRetryable());
    }
  }

  @ParameterizedTest(name = "{0} answers 503 html until the deadline")
  @EnumSource(Endpoint.class)
  void persistent503Html_federationExceptionNotClassCast(Endpoint endpoint) {
    endpoint
        .server
        .apply(cloud)
        .enqueueFault(
            Fault.status(503, "text/html", "<html><body>Service Unavailable</body></html>")
                .onPath(endpoint.path)
                .times(100));
    try (FederatedCredentials credentials =
        impersonating(cloud, issuer, fastPolicy().build()).build()) {
      IOException e = assertThrows(IOException.class, () -> credentials.getRequestMetadata(null));
      assertTrue(e instanceof FederationException, "not a bare IOException: " + e);
      FederationException fe = (FederationException) e;
      assertEquals(endpoint.step, fe.step(), fe.getMessage());
      assertEquals(503, fe.httpStatus(), fe.getMessage());
      assertTrue(fe.getMessage().contains("HTTP 503"), fe.getMessage());
      assertTrue(fe.getMessage().contains("non-JSON body"), fe.getMessage());
      assertTrue(fe.isRetryable());
      for (Throwable t = fe; t != null; t = t.getCause()) {
        assertFalse(t instanceof ClassCastException, "ClassCastException in the chain");
      }
    }
  }

  @ParameterizedTest(name = "{0} answers a cut-off body until retries run out")
  @EnumSource(Endpoint.class)
  void persistentMalformedBody_errorNamesTheStepAndQuotesNoBody(Endpoint endpoint) {
    endpoint
        .server
        .apply(cloud)
        .enqueueFault(Fault.malformedBody().onPath(endpoint.path).times(100));
    try (FederatedCredentials credentials =
        impersonating(cloud, issuer, fastPolicy().build()).build()) {
      FederationException e =
          assertThrows(FederationException.class, () -> credentials.getRequestMetadata(null));
      assertEquals(endpoint.step, e.step(), e.getMessage());
      assertTrue(e.getMessage().contains("malformed"), e.getMessage());
      assertTrue(e.isRetryable(), e.getMessage());
      assertFalse(e.getMessage().contains("Token"), "no token field quoted: " + e.getMessage());
    }
  }

  @ParameterizedTest(name = "{0} resets every connection")
  @EnumSource(Endpoint.class)
  void persistentReset_errorSaysAttemptsNotDeadline(Endpoint endpoint) {
    endpoint.server.apply(cloud).enqueueFault(Fault.reset().onPath(endpoint.path).times(100));
    try (FederatedCredentials credentials =
        impersonating(cloud, issuer, fastPolicy().maxAttempts(3).build()).build()) {
      FederationException e =
          assertThrows(FederationException.class, () -> credentials.getRequestMetadata(null));
      assertEquals(endpoint.step, e.step(), e.getMessage());
      assertTrue(e.getMessage().contains("failed after 3 attempts"), e.getMessage());
      assertFalse(e.getMessage().contains("within the deadline"), e.getMessage());
      assertTrue(e.getMessage().contains("Unexpected end of file"), e.getMessage());
      assertEquals(3, endpoint.server.apply(cloud).requestCount(endpoint.path));
    }
  }
}

package io.github.wif4j.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.testing.FakeResponse;
import io.github.wif4j.testing.FakeServer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and degraded servers against {@link HttpExecutor}: nothing outlives the deadline, no body
 * is read past the cap, no secret is quoted back. Waits are bounded safety nets, not timings.
 */
class HostileHttpTest {
  private static final String TOKEN = "Bearer q7Zx93kd"; // short and opaque: no pattern finds it
  private static final String IDENTITY = "7f3e2a1c-9b8d-4e6f-a5c4-3b2a1d0e9f8c";

  private EchoServer server;
  private final List<LogRecord> logs = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          synchronized (logs) {
            logs.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  /** Answers 200 {"ok":true}; on /echo, 400 quoting every request header value back. */
  static final class EchoServer extends FakeServer {
    EchoServer(boolean https) {
      super(https);
    }

    @Override
    public EchoServer start() {
      super.start();
      return this;
    }

    @Override
    protected FakeResponse handle(RecordedRequest request) {
      if (request.path().startsWith("/echo")) {
        String auth = String.valueOf(request.header("Authorization"));
        String id = String.valueOf(request.header("X-IDENTITY-HEADER"));
        return FakeResponse.json(
            400,
            Map.of(
                "error",
                "invalid_request",
                "error_description",
                "bad header "
                    + auth
                    + " identity "
                    + id
                    + " SecretAccessKey wJalrXUtnFEMIK7MDENG"));
      }
      return FakeResponse.json(200, Map.of("ok", true));
    }
  }

  @BeforeEach
  void start() {
    server = new EchoServer(false).start();
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    Logger.getLogger(HttpExecutor.class.getName()).setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
  }

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(capture);
    server.close();
  }

  private static TransportPolicy.Builder policy() {
    return TransportPolicy.builder()
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(1))
        .deadline(Duration.ofSeconds(2))
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20));
  }

  private HttpExecutor.Request.Builder get(String path) {
    return HttpExecutor.Request.get(server.baseUri().resolve(path))
        .header("Authorization", TOKEN)
        .header("X-IDENTITY-HEADER", IDENTITY)
        .endpointName("Test endpoint")
        .step(Step.STS);
  }

  @Test
  void retryAfterOfCenturies_answerReturnedAtOnce() throws Exception {
    server.enqueueFault(Fault.status(503).withHeader("Retry-After", "9300000000"));
    HttpExecutor.Response r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> HttpExecutor.create(policy().build()).send(get("/v1/token").build()));
    assertEquals(503, r.status());
    assertEquals(1, server.requestCount(), "no retry the server asked to postpone");
  }

  @Test
  void retryAfterBeyondLong_answerReturnedAtOnce() throws Exception {
    server.enqueueFault(Fault.status(429).withHeader("Retry-After", "99999999999999999999999"));
    HttpExecutor.Response r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5),
            () -> HttpExecutor.create(policy().build()).send(get("/v1/token").build()));
    assertEquals(429, r.status());
  }

  @Test
  void drippingBody_abandonedAtTheDeadline() {
    server.enqueueFault(Fault.drip(Duration.ofMillis(400)).times(10));
    long start = System.nanoTime();
    FederationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(8),
            () ->
                assertThrows(
                    FederationException.class,
                    () -> HttpExecutor.create(policy().build()).send(get("/v1/token").build())));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 4_000, "ended " + ms + " ms after a 2 s deadline");
    assertEquals(Step.STS, e.step());
    assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    assertNoSecret(e);
  }

  @Test
  void endlessBody_notReadPastTheCap() {
    server.enqueueFault(Fault.endlessBody());
    FederationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(8),
            () ->
                assertThrows(
                    FederationException.class,
                    () -> HttpExecutor.create(policy().build()).send(get("/v1/token").build())));
    assertTrue(e.getMessage().contains("256 KiB"), e.getMessage());
    assertFalse(e.isRetryable());
    assertEquals(1, server.requestCount(), "not retried");
  }

  @Test
  void declaredHugeBody_refusedWithoutReading() {
    server.enqueueFault(Fault.hugeBody(100L * 1024 * 1024).declaringLength());
    FederationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(8),
            () ->
                assertThrows(
                    FederationException.class,
                    () -> HttpExecutor.create(policy().build()).send(get("/v1/token").build())));
    assertTrue(e.getMessage().contains("104857600 bytes declared"), e.getMessage());
  }

  @Test
  void hugeErrorBody_cutBeforeParsing() throws Exception {
    try (MockWebServer mock = new MockWebServer()) {
      mock.start(InetAddress.getLoopbackAddress(), 0);
      mock.enqueue(
          new MockResponse()
              .setResponseCode(400)
              .setHeader("Content-Type", "text/html")
              .setBody("<html>" + "x".repeat(5 * 1024 * 1024)));
      HttpExecutor.Response r =
          assertTimeoutPreemptively(
              Duration.ofSeconds(8),
              () ->
                  HttpExecutor.create(policy().build())
                      .send(HttpExecutor.Request.get(mock.url("/").uri()).build()));
      assertEquals(400, r.status());
      assertTrue(r.truncated());
      assertEquals(HttpExecutor.MAX_ERROR_BODY_BYTES, r.bodyBytes().length);
      assertTrue(r.errorExcerpt().contains("not quoted"), r.errorExcerpt());
    }
  }

  @Test
  void slowEndpoint_answeringWithinTheDeadline_isServed() throws Exception {
    // 1.5 s to answer, 1 s read timeout: the attempt after the timeout waits for all time left
    server.enqueueFault(Fault.delay(Duration.ofMillis(1500)).times(2));
    HttpExecutor.Response r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                HttpExecutor.create(policy().deadline(Duration.ofSeconds(5)).build())
                    .send(get("/v1/token").build()));
    assertEquals(200, r.status());
    assertEquals(2, server.requestCount());
  }

  @Test
  void slowEndpoint_singleAttempt_getsAllTheTime() throws Exception {
    server.enqueueFault(Fault.delay(Duration.ofMillis(1500)));
    HttpExecutor.Response r =
        assertTimeoutPreemptively(
            Duration.ofSeconds(10),
            () ->
                HttpExecutor.create(policy().maxAttempts(1).deadline(Duration.ofSeconds(4)).build())
                    .send(get("/v1/token").build()));
    assertEquals(200, r.status());
    assertEquals(1, server.requestCount());
  }

  @Test
  void hangingEndpoint_failsAtTheDeadline_withAFixBeyondRaisingIt() {
    server.enqueueFault(Fault.hang().times(10));
    long start = System.nanoTime();
    FederationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(8),
            () ->
                assertThrows(
                    FederationException.class,
                    () -> HttpExecutor.create(policy().build()).send(get("/v1/token").build())));
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(ms < 3_500, ms + " ms");
    assertTrue(e.getMessage().contains("Test endpoint GET"), e.getMessage());
    assertTrue(e.fix().orElse("").contains("readTimeout"), e.fix().orElse(""));
  }

  @Test
  void deadlineFiringAnywhereInARequest_alwaysATypedTimeout_neverTheJdksNullPointer() {
    // the watchdog's disconnect() can land while HttpURLConnection is writing the request; the JDK
    // then throws NullPointerException ("this.http" is null) instead of an IOException
    server.enqueueFault(Fault.hang().times(1000));
    for (int i = 0; i < 40; i++) {
      HttpExecutor h =
          HttpExecutor.create(
              policy().maxAttempts(1).deadline(Duration.ofMillis(5 + (i % 8) * 7)).build());
      HttpExecutor.Request put =
          HttpExecutor.Request.newBuilder("PUT", server.baseUri().resolve("/latest/api/token"))
              .body("application/octet-stream", new byte[64 * 1024])
              .endpointName("Test endpoint")
              .step(Step.SUBJECT_TOKEN)
              .build();
      assertThrows(FederationException.class, () -> h.send(put), "iteration " + i);
    }
  }

  @Test
  void operationDeadline_boundsTheCall_andIsNamed() {
    server.enqueueFault(Fault.hang().times(10));
    HttpExecutor h = HttpExecutor.create(policy().deadline(Duration.ofSeconds(20)).build());
    long start = System.nanoTime();
    // the scope belongs to the thread that opens it: open it inside the timed block
    FederationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(15),
            () -> {
              try (OperationDeadline d = OperationDeadline.start(Duration.ofMillis(800))) {
                return assertThrows(
                    FederationException.class, () -> h.send(get("/v1/token").build()));
              } finally {
                assertTrue(OperationDeadline.current().isEmpty(), "scope closed");
              }
            });
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertTrue(e.getMessage().contains("operation deadline"), ms + " ms: " + e.getMessage());
    assertTrue(ms < 4_000, ms + " ms: " + e.getMessage());
  }

  @Test
  void untrustedCertificate_notRetried() {
    try (EchoServer tls = new EchoServer(true).start()) {
      // the JVM's default truststore does not know the test CA
      FederationException e =
          assertThrows(
              FederationException.class,
              () ->
                  HttpExecutor.create(policy().build())
                      .send(HttpExecutor.Request.get(tls.baseUri().resolve("/v1/token")).build()));
      assertFalse(e.isRetryable(), e.getMessage());
      assertTrue(e.getMessage().contains("not retried"), e.getMessage());
      assertTrue(e.fix().orElse("").contains("truststore"), e.fix().orElse(""));
    }
  }

  @Test
  void headerWithLineBreak_rejectedWithoutQuotingIt() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> get("/v1/token").header("X-IDENTITY-HEADER", "abc\r\nX-Injected: evil-secret"));
    assertTrue(e.getMessage().contains("X-IDENTITY-HEADER"), e.getMessage());
    assertFalse(e.getMessage().contains("evil-secret"), e.getMessage());
    assertEquals(0, server.requestCount());
  }

  @Test
  void echoedSecrets_neverQuoted_inExceptionOrLog() throws Exception {
    HttpExecutor.Response r = HttpExecutor.create(policy().build()).send(get("/echo").build());
    String excerpt = r.errorExcerpt();
    assertTrue(excerpt.contains("invalid_request"), excerpt);
    for (String s : List.of("q7Zx93kd", IDENTITY, "wJalrXUtnFEMIK7MDENG")) {
      assertFalse(excerpt.contains(s), excerpt);
    }
    FederationException e =
        io.github.wif4j.core.http.HttpFailure.from(server.baseUri().resolve("/echo"), r);
    assertNoSecret(e);
  }

  @Test
  void eachRetry_loggedOnceAtDebug_withStepAndStatus_noSecret() throws Exception {
    server.enqueueFault(Fault.status(503));
    assertEquals(
        200, HttpExecutor.create(policy().build()).send(get("/v1/token").build()).status());
    List<LogRecord> mine;
    synchronized (logs) {
      mine =
          logs.stream()
              .filter(l -> HttpExecutor.class.getName().equals(l.getLoggerName()))
              .collect(java.util.stream.Collectors.toList());
    }
    assertEquals(1, mine.size(), "one record per retry");
    LogRecord l = mine.get(0);
    assertEquals(Level.FINE, l.getLevel());
    String text = java.text.MessageFormat.format(l.getMessage(), l.getParameters());
    assertTrue(text.contains("HTTP 503") && text.contains("STS"), text);
    assertFalse(text.contains("q7Zx93kd") || text.contains(IDENTITY), text);
  }

  @Test
  void absurdPolicies_areConfigurationExceptions() {
    assertThrows(
        ConfigurationException.class,
        () -> TransportPolicy.builder().deadline(Duration.ofSeconds(Long.MAX_VALUE)));
    assertThrows(
        ConfigurationException.class,
        () -> TransportPolicy.builder().readTimeout(Duration.ofNanos(1)));
    assertThrows(
        ConfigurationException.class, () -> TransportPolicy.builder().connectTimeout(null));
  }

  private static void assertNoSecret(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    String all = trace.toString() + e;
    for (String s : List.of("q7Zx93kd", IDENTITY, "wJalrXUtnFEMIK7MDENG")) {
      assertFalse(all.contains(s), "secret leaked: " + all);
    }
  }
}

package io.github.wif4j.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.testing.FakeResponse;
import io.github.wif4j.testing.FakeServer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpExecutorTest {
  private static final String SECRET = "Bearer sk-very-secret-header-value-1234567890";

  private OkServer server;
  private HttpExecutor http;

  /** Answers every request with {@code {"ok":true}} unless a fault intercepts it. */
  static final class OkServer extends FakeServer {
    OkServer() {
      super(false);
    }

    @Override
    public OkServer start() {
      super.start();
      return this;
    }

    @Override
    protected FakeResponse handle(RecordedRequest request) {
      return FakeResponse.json(200, Map.of("ok", true, "padding", "0123456789abcdef"));
    }
  }

  @BeforeEach
  void start() {
    server = new OkServer().start();
    http = HttpExecutor.create(fastPolicy().build());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static TransportPolicy.Builder fastPolicy() {
    return TransportPolicy.builder()
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(2))
        .deadline(Duration.ofSeconds(8))
        .maxAttempts(4)
        .backoff(Duration.ofMillis(5), Duration.ofMillis(20));
  }

  private HttpExecutor.Request.Builder get() {
    return HttpExecutor.Request.get(server.baseUri().resolve("/v1/thing"))
        .header("Authorization", SECRET)
        .endpointName("Test endpoint")
        .step(Step.STS);
  }

  @Test
  void send_500_thenSuccess_retried() throws Exception {
    server.enqueueFault(Fault.status(500));
    HttpExecutor.Response r = http.send(get().build());
    assertEquals(200, r.status());
    assertEquals(2, server.requestCount());
  }

  @Test
  void send_503_thenSuccess_retried() throws Exception {
    server.enqueueFault(Fault.status(503, "text/html", "<html>Service Unavailable</html>"));
    assertEquals(200, http.send(get().build()).status());
    assertEquals(2, server.requestCount());
  }

  @Test
  void send_429_thenSuccess_retried() throws Exception {
    server.enqueueFault(Fault.status(429).times(2));
    assertEquals(200, http.send(get().build()).status());
    assertEquals(3, server.requestCount());
  }

  @Test
  void send_reset_thenSuccess_retried() throws Exception {
    server.enqueueFault(Fault.reset());
    assertEquals(200, http.send(get().build()).status());
    assertEquals(2, server.requestCount());
  }

  @Test
  void send_malformedBody_retriedWhenValidatorRejectsIt() throws Exception {
    server.enqueueFault(Fault.malformedBody());
    HttpExecutor.Response r = http.send(get().validate(x -> x.body().trim().endsWith("}")).build());
    assertEquals(200, r.status());
    assertTrue(r.body().contains("\"ok\":true"), r.body());
    assertEquals(2, server.requestCount());
  }

  @Test
  void send_malformedBody_returnedAsIsWithoutValidator() throws Exception {
    server.enqueueFault(Fault.malformedBody());
    HttpExecutor.Response r = http.send(get().build());
    assertEquals(200, r.status());
    assertFalse(r.body().trim().endsWith("}"), r.body());
    assertEquals(1, server.requestCount());
  }

  @Test
  void send_400_notRetried() throws Exception {
    server.enqueueFault(Fault.status(400).times(5));
    assertEquals(400, http.send(get().build()).status());
    assertEquals(1, server.requestCount());
  }

  @Test
  void send_403_notRetried() throws Exception {
    server.enqueueFault(Fault.status(403).times(5));
    assertEquals(403, http.send(get().build()).status());
    assertEquals(1, server.requestCount());
  }

  @Test
  void send_404_retriedOnlyWhenRequested() throws Exception {
    server.enqueueFault(Fault.status(404));
    assertEquals(404, http.send(get().build()).status());
    server.enqueueFault(Fault.status(404));
    server.clearRecorded();
    assertEquals(200, http.send(get().retryOnStatus(404, 410).build()).status());
    assertEquals(2, server.requestCount());
  }

  @Test
  void send_503Persisting_returnsLastResponseAfterMaxAttempts() throws Exception {
    server.enqueueFault(Fault.status(503).times(100));
    HttpExecutor.Response r = http.send(get().build());
    assertEquals(503, r.status());
    assertEquals(4, server.requestCount());
  }

  @Test
  void send_retryAfterZero_retriedAtOnce() throws Exception {
    try (MockWebServer mock = new MockWebServer()) {
      mock.start(InetAddress.getLoopbackAddress(), 0);
      mock.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"));
      mock.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
      HttpExecutor slowBackoff =
          HttpExecutor.create(
              fastPolicy().backoff(Duration.ofSeconds(30), Duration.ofSeconds(30)).build());
      // Our own backoff (15-30 s) would not fit in the 8 s deadline; Retry-After: 0 does.
      HttpExecutor.Response r =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5),
              () -> slowBackoff.send(HttpExecutor.Request.get(mock.url("/").uri()).build()));
      assertEquals(200, r.status());
      assertEquals(2, mock.getRequestCount());
    }
  }

  @Test
  void send_retryAfterOneSecond_waitsAtLeastThatLong() throws Exception {
    try (MockWebServer mock = new MockWebServer()) {
      mock.start(InetAddress.getLoopbackAddress(), 0);
      mock.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "1"));
      mock.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
      // Our own backoff would be 5-500 ms; Retry-After is honoured as asked.
      HttpExecutor h =
          HttpExecutor.create(
              fastPolicy().backoff(Duration.ofMillis(5), Duration.ofMillis(500)).build());
      long start = System.nanoTime();
      HttpExecutor.Response r = h.send(HttpExecutor.Request.get(mock.url("/").uri()).build());
      long elapsedMs = (System.nanoTime() - start) / 1_000_000;
      assertEquals(200, r.status());
      assertEquals(2, mock.getRequestCount());
      assertTrue(elapsedMs >= 900, "Retry-After: 1 honoured, waited " + elapsedMs + " ms");
    }
  }

  @Test
  void send_retryAfterBeyondDeadline_givesUpWithTheResponse() throws Exception {
    try (MockWebServer mock = new MockWebServer()) {
      mock.start(InetAddress.getLoopbackAddress(), 0);
      mock.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "60"));
      mock.enqueue(new MockResponse().setResponseCode(200).setBody("{}"));
      // Retry-After: 60 does not fit the 2 s deadline: no early retry against the server's wish.
      HttpExecutor h =
          HttpExecutor.create(
              fastPolicy()
                  .backoff(Duration.ofMillis(5), Duration.ofSeconds(1))
                  .deadline(Duration.ofSeconds(2))
                  .build());
      HttpExecutor.Response r =
          assertTimeoutPreemptively(
              Duration.ofSeconds(5),
              () -> h.send(HttpExecutor.Request.get(mock.url("/").uri()).build()));
      assertEquals(429, r.status());
      assertEquals(1, mock.getRequestCount());
    }
  }

  @Test
  void send_hang_throwsRetryableTimeoutWithinDeadline() {
    server.enqueueFault(Fault.hang().times(100));
    HttpExecutor hanging =
        HttpExecutor.create(
            fastPolicy()
                .readTimeout(Duration.ofMillis(300))
                .deadline(Duration.ofSeconds(1))
                .build());
    FederationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(6),
            () -> assertThrows(FederationException.class, () -> hanging.send(get().build())));
    assertEquals(Step.STS, e.step());
    assertTrue(e.isRetryable());
    assertTrue(
        e.getMessage().contains("Test endpoint GET https://".replace("https", "http")),
        e.getMessage());
    assertTrue(e.getMessage().contains("did not answer within the deadline of 1000 ms"));
    assertTrue(e.getMessage().contains("SocketTimeoutException"), e.getMessage());
    assertTrue(e.fix().isPresent());
    assertNoSecret(e, SECRET);
  }

  @Test
  void send_connectionRefused_throwsWithoutHeaderOrQueryValues() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HttpExecutor refused =
        HttpExecutor.create(fastPolicy().deadline(Duration.ofMillis(500)).build());
    URI uri = URI.create("http://127.0.0.1:" + port + "/token?sig=query-secret-abcdef123456");
    FederationException e =
        assertThrows(
            FederationException.class,
            () ->
                refused.send(
                    HttpExecutor.Request.get(uri)
                        .header("Authorization", SECRET)
                        .header("X-IDENTITY-HEADER", "identity-header-secret-42")
                        .build()));
    assertTrue(e.getMessage().contains("/token"), e.getMessage());
    assertNoSecret(e, SECRET, "sk-very-secret", "query-secret-abcdef123456", "identity-header");
  }

  @Test
  void requestToString_namesHeadersNotValues() {
    HttpExecutor.Request r = get().form(Map.of("subject_token", "eyJsecret.subject.token")).build();
    assertTrue(r.toString().contains("Authorization"), r.toString());
    assertFalse(r.toString().contains("sk-very-secret"), r.toString());
    assertFalse(r.toString().contains("eyJsecret"), r.toString());
  }

  static void assertNoSecret(Throwable e, String... secrets) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    StringBuilder all = new StringBuilder(trace.toString());
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append('\n').append(t.getMessage()).append('\n').append(t);
    }
    for (String s : secrets) {
      assertFalse(all.toString().contains(s), "secret leaked: " + all);
    }
  }
}

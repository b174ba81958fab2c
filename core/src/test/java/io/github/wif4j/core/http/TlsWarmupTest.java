package io.github.wif4j.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.wif4j.testing.TestTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The start-up TLS warm-up: never blocks or fails the caller, once per endpoint. */
class TlsWarmupTest {
  private SSLServerSocket server;
  private Thread serverThread;
  private final CountDownLatch release = new CountDownLatch(1);
  private final CountDownLatch shookHands = new CountDownLatch(1);
  private final AtomicInteger handshakes = new AtomicInteger();

  @BeforeEach
  void startServer() throws IOException {
    server =
        (SSLServerSocket)
            TestTls.serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getLoopbackAddress());
    serverThread =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                  release.await(); // the handshake waits until the test lets it go on
                  s.startHandshake();
                  handshakes.incrementAndGet();
                  shookHands.countDown();
                } catch (IOException | InterruptedException e) {
                  return;
                }
              }
            },
            "tls-warmup-test-server");
    serverThread.setDaemon(true);
    serverThread.start();
  }

  @AfterEach
  void stopServer() throws IOException {
    release.countDown();
    server.close();
  }

  private URI endpoint() {
    return URI.create("https://127.0.0.1:" + server.getLocalPort() + "/v1/token");
  }

  private static Wif4jTransportFactory factory() {
    return Wif4jTransportFactory.create(
        TransportPolicy.builder().sslContext(TestTls.clientContext()).build());
  }

  @Test
  void warmUp_returnsBeforeTheHandshake_thenShakesHandsOnBackgroundThread() throws Exception {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the warm-up needs two CPUs");
    // the server holds the handshake until released: a warm-up on the caller's thread would hang
    assertTimeoutPreemptively(Duration.ofSeconds(30), () -> factory().warmUp(List.of(endpoint())));
    assertEquals(0, handshakes.get());
    release.countDown();
    assertTrue(shookHands.await(30, TimeUnit.SECONDS), "the warm-up shook hands");
    assertEquals(1, handshakes.get());
  }

  @Test
  void start_oncePerJvmAndEndpoint() {
    assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "the warm-up needs two CPUs");
    URI uri = endpoint();
    assertEquals(List.of(uri), TlsWarmup.start(null, 1000, 1000, List.of(uri, uri)));
    assertEquals(List.of(), TlsWarmup.start(null, 1000, 1000, List.of(uri)));
    // the same host and port under another path is the same endpoint
    assertEquals(List.of(), TlsWarmup.start(null, 1000, 1000, List.of(uri.resolve("/other"))));
  }

  @Test
  void start_skipsPlainHttpAndUrisWithoutHost() {
    assertEquals(
        List.of(),
        TlsWarmup.start(
            null,
            1000,
            1000,
            List.of(
                URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/token"),
                URI.create("https:/no-host"))));
  }

  @Test
  void handshake_refusedOrUntrustedEndpoint_returnsQuietly() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    TlsWarmup.handshake(
        TestTls.clientContext().getSocketFactory(),
        URI.create("https://127.0.0.1:" + closedPort + "/"),
        1000,
        1000);
    release.countDown();
    // the JDK's default trust store does not trust the test certificate: the handshake fails
    TlsWarmup.handshake(HttpsURLConnection.getDefaultSSLSocketFactory(), endpoint(), 1000, 30_000);
    assertEquals(0, handshakes.get());
  }
}

package io.github.wif4j.core.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Shakes hands with the HTTPS endpoints the first token will need (Google STS, IAM Credentials) on
 * a short-lived daemon thread, while the calling thread obtains the subject token.
 *
 * <p>Why: in a fresh JVM the first TLS handshake is the largest single cost of the first token
 * (loading and initialising JSSE and the crypto providers, reading the trust store, the first key
 * exchange and certificate check), about as much as everything else together, and stock google-auth
 * pays it only after the subject token is ready. Done here on another core, it overlaps with
 * reading the metadata service or signing the AWS request; the real request then finds JSSE
 * initialised and its DNS answer cached. Nothing is sent but a ClientHello; the socket is closed
 * right after the handshake.
 *
 * <p>Once per JVM and endpoint. Skipped for plain http, behind an HTTP proxy (the real call goes
 * through the proxy) and on a single processor (no core to overlap with). Failures are ignored: the
 * real call reports its own.
 */
final class TlsWarmup {
  private static final Set<String> STARTED = ConcurrentHashMap.newKeySet();

  private TlsWarmup() {}

  /** Starts the handshakes not yet started in this JVM; returns the endpoints it started. */
  static List<URI> start(
      SSLSocketFactory configured, int connectTimeoutMs, int readTimeoutMs, List<URI> uris) {
    if (!ParallelStart.multiCore()) {
      return List.of();
    }
    List<URI> todo = new ArrayList<>();
    for (URI uri : uris) {
      if (uri != null
          && "https".equalsIgnoreCase(uri.getScheme())
          && uri.getHost() != null
          && STARTED.add(uri.getHost() + ":" + port(uri))) {
        todo.add(uri);
      }
    }
    if (todo.isEmpty()) {
      return List.of();
    }
    Thread t =
        new Thread(
            () -> {
              SSLSocketFactory factory =
                  configured != null ? configured : HttpsURLConnection.getDefaultSSLSocketFactory();
              for (URI uri : todo) {
                handshake(factory, uri, connectTimeoutMs, readTimeoutMs);
              }
            },
            "wif4j-tls-warmup");
    t.setDaemon(true);
    t.start();
    return List.copyOf(todo);
  }

  /** One handshake; returns quietly whatever happens. */
  static void handshake(
      SSLSocketFactory factory, URI uri, int connectTimeoutMs, int readTimeoutMs) {
    try {
      if (proxied(uri)) {
        return;
      }
      int port = port(uri);
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress(uri.getHost(), port), connectTimeoutMs);
        plain.setSoTimeout(readTimeoutMs);
        try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, uri.getHost(), port, true)) {
          SSLParameters p = tls.getSSLParameters();
          p.setEndpointIdentificationAlgorithm("HTTPS"); // as HttpsURLConnection checks the name
          tls.setSSLParameters(p);
          tls.startHandshake();
        }
      }
    } catch (IOException | RuntimeException ignored) {
      // a warm-up only: the real request reports what is wrong
    }
  }

  /** True when the real request would not go direct (a proxy is configured for it). */
  private static boolean proxied(URI uri) {
    ProxySelector selector = ProxySelector.getDefault();
    if (selector == null) {
      return false;
    }
    for (Proxy p : selector.select(uri)) {
      if (p.type() != Proxy.Type.DIRECT) {
        return true;
      }
    }
    return false;
  }

  private static int port(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : 443;
  }
}

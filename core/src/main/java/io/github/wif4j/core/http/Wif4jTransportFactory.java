package io.github.wif4j.core.http;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.auth.http.HttpTransportFactory;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.spi.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * google-auth's {@link HttpTransportFactory} seam, backed by {@link HttpExecutor}: every call
 * google-auth makes for wif4j (STS, IAM Credentials, URL subject tokens) gets the {@link
 * TransportPolicy}'s timeouts, retries and deadline.
 *
 * <p>A final error response is turned into a {@link io.github.wif4j.core.FederationException}
 * carrying the status and the server's error code, so that google-auth never has to parse a
 * non-OAuth body (stock google-auth surfaces a 503 HTML page as a ClassCastException).
 *
 * <pre>{@code
 * HttpTransportFactory transport = Wif4jTransportFactory.create(TransportPolicy.defaults());
 * }</pre>
 */
public final class Wif4jTransportFactory implements HttpTransportFactory {
  private final HttpExecutor executor;
  private final Transport transport;
  private final UnaryOperator<String> urls;

  private Wif4jTransportFactory(HttpExecutor executor, UnaryOperator<String> urls) {
    this.executor = executor;
    this.transport = new Transport();
    this.urls = urls;
  }

  /** A factory applying {@code policy}. */
  public static Wif4jTransportFactory create(TransportPolicy policy) {
    return create(policy, UnaryOperator.identity());
  }

  /**
   * A factory applying {@code policy} that sends each request to {@code urls.apply(url)}: for
   * settings google-auth reads from the process environment itself (e.g. the metadata host of
   * {@code ComputeEngineCredentials}) while wif4j reads them through {@code Environment}.
   */
  public static Wif4jTransportFactory create(TransportPolicy policy, UnaryOperator<String> urls) {
    return new Wif4jTransportFactory(
        HttpExecutor.create(Objects.requireNonNull(policy)), Objects.requireNonNull(urls));
  }

  /**
   * Starts TLS handshakes with {@code endpoints} on a short-lived daemon thread and returns at
   * once, so that the first request to them finds TLS initialised instead of paying for it on the
   * caller's thread. Once per JVM and endpoint; nothing for http endpoints, behind a proxy or on a
   * single processor. Failures are ignored (the real request reports its own).
   */
  public void warmUp(List<URI> endpoints) {
    TransportPolicy p = executor.policy();
    SSLContext ssl = p.sslContext().orElse(null);
    TlsWarmup.start(
        ssl == null ? null : ssl.getSocketFactory(),
        (int) Math.min(Integer.MAX_VALUE, p.connectTimeout().toMillis()),
        (int) Math.min(Integer.MAX_VALUE, p.readTimeout().toMillis()),
        endpoints);
  }

  @Override
  public HttpTransport create() {
    return transport;
  }

  @Override
  public String toString() {
    return "Wif4jTransportFactory{" + executor.policy() + "}";
  }

  private final class Transport extends HttpTransport {
    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) {
      return new Request(method, url);
    }
  }

  private final class Request extends LowLevelHttpRequest {
    private final String method;
    private final String url;
    private final List<String[]> headers = new ArrayList<>();

    Request(String method, String url) {
      this.method = method;
      this.url = url;
    }

    @Override
    public void addHeader(String name, String value) {
      headers.add(new String[] {name, value});
    }

    @Override
    public void setTimeout(int connectTimeout, int readTimeout) {
      // google-auth asks for 20 s; the TransportPolicy decides.
    }

    @Override
    public LowLevelHttpResponse execute() throws IOException {
      URI uri = URI.create(urls.apply(url));
      HttpExecutor.Request.Builder b =
          HttpExecutor.Request.newBuilder(method, uri)
              .step(HttpFailure.stepFor(uri))
              .endpointName(HttpFailure.endpointNameFor(uri))
              .validate(Request::wellFormed);
      for (String[] h : headers) {
        b.header(h[0], h[1]);
      }
      if (getStreamingContent() != null) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        getStreamingContent().writeTo(out);
        String type = getContentType() == null ? "application/octet-stream" : getContentType();
        b.body(type, out.toByteArray());
      }
      HttpExecutor.Response r;
      try {
        r = executor.send(b.build());
      } catch (FederationException e) {
        throw finalFailure(e);
      }
      if (!r.isSuccessful()) {
        throw finalFailure(HttpFailure.from(uri, r));
      }
      if (!wellFormed(r)) {
        // Retries ran out on a cut-off body. Fail here with the right step instead of letting
        // google-auth's JSON parser fail later; the body is not quoted: it may hold a token.
        throw finalFailure(
            FederationException.builder(
                    HttpFailure.stepFor(uri),
                    HttpFailure.endpointNameFor(uri)
                        + " answered HTTP "
                        + r.status()
                        + " with a malformed JSON body ("
                        + r.bodyBytes().length
                        + " bytes)")
                .fix("A proxy or load balancer may be cutting responses short; try again later.")
                .httpStatus(r.status())
                .retryable(true)
                .build());
      }
      return new Response(r);
    }

    /**
     * {@code e}, or inside an operation deadline an unchecked carrier of it: google-auth's IAM
     * calls would otherwise retry it with their own backoff, past the deadline.
     */
    private IOException finalFailure(FederationException e) {
      if (OperationDeadline.current().isPresent()) {
        throw new TransportAbort(e);
      }
      return e;
    }

    private static boolean wellFormed(HttpExecutor.Response r) {
      String type = r.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
      return !type.contains("json") || Json.isWellFormed(r.body());
    }
  }

  private static final class Response extends LowLevelHttpResponse {
    private final HttpExecutor.Response r;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    Response(HttpExecutor.Response r) {
      this.r = r;
      for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
        for (String v : h.getValue()) {
          headers.add(Map.entry(h.getKey(), v));
        }
      }
    }

    @Override
    public InputStream getContent() {
      return new ByteArrayInputStream(r.bodyBytes());
    }

    @Override
    public String getContentEncoding() {
      return null; // HttpURLConnection already decoded the body
    }

    @Override
    public long getContentLength() {
      return r.bodyBytes().length;
    }

    @Override
    public String getContentType() {
      return r.header("Content-Type").orElse(null);
    }

    @Override
    public String getStatusLine() {
      return "HTTP/1.1 " + r.status();
    }

    @Override
    public int getStatusCode() {
      return r.status();
    }

    @Override
    public String getReasonPhrase() {
      return null;
    }

    @Override
    public int getHeaderCount() {
      return headers.size();
    }

    @Override
    public String getHeaderName(int index) {
      return headers.get(index).getKey();
    }

    @Override
    public String getHeaderValue(int index) {
      return headers.get(index).getValue();
    }
  }
}

package io.github.wif4j.core.http;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.internal.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import javax.net.ssl.HttpsURLConnection;

/**
 * Sends one HTTP request under a {@link TransportPolicy}: per-attempt timeouts, retries with
 * backoff and jitter on transient faults, and an overall deadline.
 *
 * <p>Sources that talk to a metadata service (Azure, GCE) use it directly; google-auth's calls go
 * through the same engine via {@link Wif4jTransportFactory}. Share one instance; it is stateless
 * and thread-safe.
 *
 * <pre>{@code
 * HttpExecutor http = HttpExecutor.create(TransportPolicy.defaults());
 * HttpExecutor.Response r = http.send(HttpExecutor.Request.get(uri)
 *     .header("Metadata", "true")
 *     .step(FederationException.Step.SUBJECT_TOKEN)
 *     .build());
 * }</pre>
 *
 * <p>Returns the last response, whatever its status, once no more attempts are due; throws a
 * retryable {@link FederationException} when no response arrived within the deadline (hang, reset,
 * refused connection). Exception messages name the endpoint, never header values.
 */
public final class HttpExecutor {
  private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);

  private final TransportPolicy policy;

  private HttpExecutor(TransportPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** An executor with {@code policy}. */
  public static HttpExecutor create(TransportPolicy policy) {
    return new HttpExecutor(policy);
  }

  /** The policy in force. */
  public TransportPolicy policy() {
    return policy;
  }

  /** Sends {@code request}, retrying transient faults within the deadline. */
  public Response send(Request request) throws IOException {
    long start = System.nanoTime();
    long deadlineNanos = start + policy.deadline().toNanos();
    IOException lastError = null;
    Response last = null;
    int attempts = 0;
    boolean outOfAttempts = false;
    for (int attempt = 1; ; attempt++) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      attempts = attempt;
      last = null;
      try {
        Response r = attempt(request, Duration.ofNanos(remaining));
        if (!isRetryable(request, r)) {
          return r;
        }
        last = r;
      } catch (IOException e) {
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
          throw e;
        }
        lastError = e;
      }
      if (attempt >= policy.maxAttempts()) {
        outOfAttempts = System.nanoTime() < deadlineNanos;
        break;
      }
      long sleep = backoffMillis(attempt, last);
      if (System.nanoTime() + sleep * 1_000_000L >= deadlineNanos) {
        break;
      }
      try {
        Thread.sleep(sleep);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while retrying " + request.describe());
      }
    }
    if (last != null) {
      return last; // retries exhausted on a retryable status: let the caller classify it
    }
    long elapsedMs = (System.nanoTime() - start) / 1_000_000L;
    String why =
        lastError == null
            ? "no attempt fitted in the deadline"
            : lastError.getClass().getSimpleName()
                + ": "
                + Redaction.scrub(String.valueOf(lastError.getMessage()));
    String what =
        outOfAttempts
            ? " failed after " + attempts + " attempts ("
            : " did not answer within the deadline of " + policy.deadline().toMillis() + " ms (";
    throw FederationException.builder(
            request.step(), request.describe() + what + elapsedMs + " ms, last error: " + why + ")")
        .fix(
            "Check that the endpoint is reachable from this host (firewall, proxy, hop limit),"
                + " or raise TransportPolicy.deadline.")
        .retryable(true)
        .cause(lastError)
        .build();
  }

  private boolean isRetryable(Request request, Response r) {
    int s = r.status();
    if (s >= 300 && request.permanent != null && request.permanent.test(r)) {
      return false;
    }
    if (RETRYABLE.contains(s) || (s >= 500 && s <= 599) || request.extraRetryStatuses.contains(s)) {
      return true;
    }
    return s >= 200 && s < 300 && request.validator != null && !request.validator.test(r);
  }

  private long backoffMillis(int attempt, Response last) {
    if (last != null) {
      Optional<String> retryAfter = last.header("Retry-After");
      if (retryAfter.isPresent()) {
        try {
          long seconds = Long.parseLong(retryAfter.get().trim());
          // honoured as asked; when it does not fit the deadline the caller gets the answer now
          return Math.max(0, Math.min(seconds, Long.MAX_VALUE / 1000) * 1000);
        } catch (NumberFormatException ignored) {
          // HTTP-date form: fall back to our own backoff
        }
      }
    }
    long cap =
        Math.min(
            policy.maxBackoff().toMillis(),
            policy.initialBackoff().toMillis() << Math.min(attempt - 1, 16));
    return ThreadLocalRandom.current().nextLong(cap / 2, cap + 1); // equal jitter
  }

  private Response attempt(Request request, Duration remaining) throws IOException {
    HttpURLConnection c = (HttpURLConnection) request.uri.toURL().openConnection();
    try {
      if (c instanceof HttpsURLConnection && policy.sslContext().isPresent()) {
        ((HttpsURLConnection) c).setSSLSocketFactory(policy.sslContext().get().getSocketFactory());
      }
      c.setConnectTimeout(toTimeout(policy.connectTimeout(), remaining));
      c.setReadTimeout(toTimeout(policy.readTimeout(), remaining));
      c.setInstanceFollowRedirects(false);
      c.setUseCaches(false);
      c.setRequestMethod(request.method);
      for (Map.Entry<String, String> h : request.headers.entrySet()) {
        c.setRequestProperty(h.getKey(), h.getValue());
      }
      if (request.body != null) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(request.body.length);
        try (OutputStream out = c.getOutputStream()) {
          out.write(request.body);
        }
      } else if ("PUT".equals(request.method) || "POST".equals(request.method)) {
        c.setDoOutput(true);
        c.setFixedLengthStreamingMode(0);
        c.getOutputStream().close();
      }
      int status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      byte[] body = in == null ? new byte[0] : readAll(in);
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
        if (h.getKey() != null) {
          headers.put(h.getKey(), h.getValue());
        }
      }
      return new Response(status, headers, body);
    } finally {
      c.disconnect();
    }
  }

  private static int toTimeout(Duration configured, Duration remaining) {
    long ms = Math.min(configured.toMillis(), Math.max(1, remaining.toMillis()));
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (InputStream is = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      is.transferTo(out);
      return out.toByteArray();
    }
  }

  /** An HTTP request. Header values are never printed. */
  public static final class Request {
    private final String method;
    private final URI uri;
    private final Map<String, String> headers;
    private final byte[] body;
    private final Step step;
    private final String endpointName;
    private final Set<Integer> extraRetryStatuses;
    private final Predicate<Response> validator;
    private final Predicate<Response> permanent;

    private Request(Builder b) {
      this.method = b.method;
      this.uri = b.uri;
      this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
      this.body = b.body;
      this.step = b.step;
      this.endpointName = b.endpointName;
      this.extraRetryStatuses = Set.copyOf(b.extraRetryStatuses);
      this.validator = b.validator;
      this.permanent = b.permanent;
    }

    /** A GET builder. */
    public static Builder get(URI uri) {
      return new Builder("GET", uri);
    }

    /** A builder for any method. */
    public static Builder newBuilder(String method, URI uri) {
      return new Builder(method, uri);
    }

    /** The method. */
    public String method() {
      return method;
    }

    /** The target. */
    public URI uri() {
      return uri;
    }

    /** The step errors are attributed to. */
    public Step step() {
      return step;
    }

    String describe() {
      String where = uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();
      return (endpointName == null ? "" : endpointName + " ") + method + " " + where;
    }

    @Override
    public String toString() {
      return "Request{" + describe() + ", headers=" + headers.keySet() + "}";
    }

    /** Builder for {@link Request}. */
    public static final class Builder {
      private final String method;
      private final URI uri;
      private final Map<String, String> headers = new LinkedHashMap<>();
      private byte[] body;
      private Step step = Step.SUBJECT_TOKEN;
      private String endpointName;
      private final List<Integer> extraRetryStatuses = new ArrayList<>();
      private Predicate<Response> validator;
      private Predicate<Response> permanent;

      private Builder(String method, URI uri) {
        this.method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
        this.uri = Objects.requireNonNull(uri, "uri");
      }

      /** Adds a header; values are treated as secret in every printout. */
      public Builder header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, name));
        return this;
      }

      /** The body, sent with {@code contentType}. */
      public Builder body(String contentType, byte[] body) {
        headers.put("Content-Type", contentType);
        this.body = body.clone();
        return this;
      }

      /** A form-encoded body. */
      public Builder form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> f : fields.entrySet()) {
          if (sb.length() > 0) {
            sb.append('&');
          }
          sb.append(java.net.URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8))
              .append('=')
              .append(java.net.URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8));
        }
        return body(
            "application/x-www-form-urlencoded", sb.toString().getBytes(StandardCharsets.UTF_8));
      }

      /** The step failures are attributed to. Default {@code SUBJECT_TOKEN}. */
      public Builder step(Step step) {
        this.step = Objects.requireNonNull(step, "step");
        return this;
      }

      /** A human name for the endpoint in errors, e.g. {@code "Azure IMDS"}. */
      public Builder endpointName(String endpointName) {
        this.endpointName = endpointName;
        return this;
      }

      /** Also retries these statuses (Azure IMDS: 404 and 410 while it updates). */
      public Builder retryOnStatus(int... statuses) {
        for (int s : statuses) {
          extraRetryStatuses.add(s);
        }
        return this;
      }

      /** A 2xx response failing {@code validator} (a truncated body, say) is retried. */
      public Builder validate(Predicate<Response> validator) {
        this.validator = validator;
        return this;
      }

      /**
       * An error response matching {@code permanent} is returned at once although its status is one
       * that is normally retried (a 500 that names a configuration mistake, say).
       */
      public Builder permanentIf(Predicate<Response> permanent) {
        this.permanent = permanent;
        return this;
      }

      /** Builds the request. */
      public Request build() {
        return new Request(this);
      }
    }
  }

  /** An HTTP response with its whole body. */
  public static final class Response {
    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    Response(int status, Map<String, List<String>> headers, byte[] body) {
      this.status = status;
      this.headers = headers;
      this.body = body;
    }

    /** The status code. */
    public int status() {
      return status;
    }

    /** Whether the status is 2xx. */
    public boolean isSuccessful() {
      return status >= 200 && status < 300;
    }

    /** The first value of header {@code name}, case-insensitively. */
    public Optional<String> header(String name) {
      List<String> v = headers.get(name);
      return v == null || v.isEmpty() ? Optional.empty() : Optional.ofNullable(v.get(0));
    }

    /** All headers, case-insensitive keys. */
    public Map<String, List<String>> headers() {
      return Collections.unmodifiableMap(headers);
    }

    /** The body as UTF-8 text. May hold a secret: never log it. */
    public String body() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The raw body. */
    public byte[] bodyBytes() {
      return body.clone();
    }

    @Override
    public String toString() {
      return "Response{status=" + status + ", bytes=" + body.length + "}";
    }
  }
}

package io.github.wif4j.core.http;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.spi.Redaction;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

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
  /**
   * The most wif4j reads of any response (256 KiB). Every identity endpoint answers in a few KiB; a
   * larger body is a wrong URL, a proxy page or an attack, and is never buffered whole.
   */
  public static final int MAX_RESPONSE_BYTES = 256 * 1024;

  /** Error bodies are only quoted from, so reading stops much earlier. */
  static final int MAX_ERROR_BODY_BYTES = 16 * 1024;

  private static final Set<Integer> RETRYABLE = Set.of(408, 429, 500, 502, 503, 504);
  private static final long MAX_RETRY_AFTER_SECONDS = Duration.ofDays(1).getSeconds();
  private static final System.Logger LOG = System.getLogger(HttpExecutor.class.getName());

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

  /**
   * Sends {@code request}, retrying transient faults within the deadline: the earlier of the
   * policy's {@link TransportPolicy#deadline()} and an enclosing {@link OperationDeadline}. Every
   * connect, read and backoff is bounded by the time left; a body still arriving at the deadline is
   * abandoned. An attempt after a read timeout, and the last attempt, may use all the time left, so
   * that a slow endpoint that answers within the deadline is served.
   *
   * @throws FederationException when no usable response arrived within the deadline, the TLS
   *     certificate is not trusted (not retried), or the body exceeds {@link #MAX_RESPONSE_BYTES}
   */
  public Response send(Request request) throws IOException {
    long start = System.nanoTime();
    long policyEnd = start + OperationDeadline.saturatedNanos(policy.deadline());
    OperationDeadline scope = OperationDeadline.current().orElse(null);
    boolean scoped = scope != null && scope.deadlineNanos() - policyEnd < 0;
    long deadlineNanos = scoped ? scope.deadlineNanos() : policyEnd;
    IOException lastError = null;
    Response last = null;
    int attempts = 0;
    boolean outOfAttempts = false;
    boolean slow = false;
    for (int attempt = 1; ; attempt++) {
      long remaining = deadlineNanos - System.nanoTime();
      if (remaining <= 0) {
        break;
      }
      attempts = attempt;
      last = null;
      String outcome;
      try {
        boolean allTimeLeft = slow || attempt >= policy.maxAttempts();
        Response r = attempt(request, deadlineNanos, allTimeLeft);
        if (!isRetryable(request, r)) {
          return r;
        }
        last = r;
        outcome =
            r.isSuccessful() ? "a malformed HTTP " + r.status() + " body" : "HTTP " + r.status();
      } catch (IOException e) {
        if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
          throw e;
        }
        if (e instanceof ResponseTooLarge) {
          throw tooLarge(request, (ResponseTooLarge) e);
        }
        if (isUntrustedCertificate(e)) {
          throw untrustedCertificate(request, e);
        }
        if (isReadTimeout(e)) {
          slow = true; // connected and asked, no answer yet: the endpoint is slow, not gone
        }
        lastError = e;
        outcome = e.getClass().getSimpleName();
      }
      if (attempt >= policy.maxAttempts()) {
        outOfAttempts = System.nanoTime() - deadlineNanos < 0;
        break;
      }
      long leftMs = (deadlineNanos - System.nanoTime()) / 1_000_000L;
      long sleep;
      OptionalLong retryAfter = retryAfterMillis(last);
      if (retryAfter.isPresent()) {
        sleep = retryAfter.getAsLong();
        if (sleep >= leftMs) {
          break; // the server asked for more than is left: its answer goes to the caller now
        }
      } else {
        // our own backoff never eats the time the next attempt needs
        sleep = Math.min(policy.backoffMillis(attempt), leftMs / 2);
      }
      if (leftMs <= 0) {
        break;
      }
      LOG.log(
          Level.DEBUG,
          "{0} ({1}): attempt {2} got {3}; retrying in {4} ms, {5} ms left",
          request.describe(),
          request.step(),
          attempt,
          outcome,
          sleep,
          leftMs);
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
    long budgetMs = (deadlineNanos - start) / 1_000_000L;
    String why =
        lastError == null
            ? "no attempt fitted in the deadline"
            : lastError.getClass().getSimpleName()
                + ": "
                + Redaction.scrub(
                    ErrorBodies.removeAll(
                        String.valueOf(lastError.getMessage()), request.secrets()));
    String which = scoped ? "operation deadline" : "deadline";
    String what =
        outOfAttempts
            ? " failed after " + attempts + " attempts ("
            : " did not answer within the " + which + " of " + budgetMs + " ms (";
    String fix =
        outOfAttempts
            ? "Check that the endpoint is reachable from this host (firewall, proxy, DNS, hop"
                + " limit); the faults looked transient, so TransportPolicy.maxAttempts may be"
                + " raised."
            : slow
                ? "The endpoint accepted the request but did not answer in time: check its health"
                    + " or a proxy in between. If it is known to be this slow, raise"
                    + " TransportPolicy.readTimeout and deadline together (and refreshDeadline,"
                    + " which bounds the whole exchange)."
                : "Check that the endpoint is reachable from this host (firewall, proxy, DNS, the"
                    + " IMDS hop limit in containers); a longer deadline does not help an endpoint"
                    + " that never answers.";
    throw FederationException.builder(
            request.step(), request.describe() + what + elapsedMs + " ms, last error: " + why + ")")
        .fix(fix)
        .retryable(true)
        .cause(lastError == null ? null : sanitized(lastError, request))
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

  /** The server's Retry-After in ms (delta-seconds form), clamped to a day; never overflows. */
  private static OptionalLong retryAfterMillis(Response last) {
    String v = last == null ? "" : last.header("Retry-After").orElse("").trim();
    if (v.isEmpty() || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      return OptionalLong.empty(); // absent, HTTP-date form or negative: our own backoff
    }
    long seconds = MAX_RETRY_AFTER_SECONDS; // absurd (over 19 digits or a long): "too long"
    if (v.length() <= 19) {
      try {
        seconds = Math.min(Long.parseLong(v), MAX_RETRY_AFTER_SECONDS);
      } catch (NumberFormatException e) {
        // beyond a long
      }
    }
    return OptionalLong.of(seconds * 1000);
  }

  private Response attempt(Request request, long deadlineNanos, boolean allTimeLeft)
      throws IOException {
    HttpURLConnection c = (HttpURLConnection) request.uri.toURL().openConnection();
    long remainingMs = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000L);
    // A drip-fed answer resets the read timeout with every byte: only closing the connection at
    // the deadline bounds it.
    Watchdog watchdog = Watchdog.arm(c, deadlineNanos - System.nanoTime());
    try {
      if (c instanceof HttpsURLConnection && policy.sslContext().isPresent()) {
        ((HttpsURLConnection) c).setSSLSocketFactory(policy.sslContext().get().getSocketFactory());
      }
      c.setConnectTimeout(toTimeout(policy.connectTimeout().toMillis(), remainingMs));
      c.setReadTimeout(
          toTimeout(allTimeLeft ? remainingMs : policy.readTimeout().toMillis(), remainingMs));
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
      boolean error = status >= 400;
      InputStream in = error ? c.getErrorStream() : c.getInputStream();
      int limit = error ? MAX_ERROR_BODY_BYTES : MAX_RESPONSE_BYTES;
      long declared = c.getContentLengthLong();
      if (!error && declared > limit) {
        closeQuietly(in);
        throw new ResponseTooLarge(status, declared);
      }
      Body body =
          in == null ? new Body(new byte[0], false) : read(in, limit, !error, deadlineNanos);
      if (body.truncated() && !error) {
        throw new ResponseTooLarge(status, -1);
      }
      Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      for (Map.Entry<String, List<String>> h : c.getHeaderFields().entrySet()) {
        if (h.getKey() != null) {
          headers.put(h.getKey(), h.getValue());
        }
      }
      return new Response(status, headers, body.bytes(), body.truncated(), request.secrets());
    } catch (IOException | RuntimeException e) {
      // the watchdog's disconnect() races the request thread inside the JDK's HttpURLConnection,
      // which may then fail with a NullPointerException ("this.http" is null) instead of an
      // IOException: after the deadline, either is the deadline's timeout
      if (watchdog.fired()) {
        SocketTimeoutException t =
            new SocketTimeoutException("no complete answer when the deadline passed");
        t.initCause(e);
        throw t;
      }
      throw e;
    } finally {
      watchdog.disarm();
      c.disconnect();
    }
  }

  private static int toTimeout(long configuredMs, long remainingMs) {
    long ms = Math.min(configuredMs, Math.max(1, remainingMs));
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, ms));
  }

  /** The body, at most {@code limit} bytes; reading stops at the deadline. */
  private static Body read(InputStream in, int limit, boolean failAtLimit, long deadlineNanos)
      throws IOException {
    try (InputStream is = in) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 8192));
      byte[] buf = new byte[8192];
      int n;
      while ((n = is.read(buf, 0, Math.min(buf.length, limit + 1 - out.size()))) != -1) {
        out.write(buf, 0, n);
        if (out.size() > limit) {
          if (failAtLimit) {
            return new Body(new byte[0], true);
          }
          byte[] cut = java.util.Arrays.copyOf(out.toByteArray(), limit);
          return new Body(cut, true); // an error body: the start is all an excerpt needs
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
          throw new SocketTimeoutException("body still arriving when the deadline passed");
        }
      }
      return new Body(out.toByteArray(), false);
    }
  }

  private static void closeQuietly(InputStream in) {
    if (in != null) {
      try {
        in.close();
      } catch (IOException ignored) {
        // the connection is dropped anyway
      }
    }
  }

  private static boolean isReadTimeout(IOException e) {
    return e instanceof SocketTimeoutException
        && !String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("connect");
  }

  private static boolean isUntrustedCertificate(IOException e) {
    if (e instanceof SSLPeerUnverifiedException) {
      return true;
    }
    if (!(e instanceof SSLHandshakeException)) {
      return false;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException) {
        return true;
      }
    }
    return String.valueOf(e.getMessage()).contains("PKIX");
  }

  private static FederationException untrustedCertificate(Request request, IOException e) {
    return FederationException.builder(
            request.step(),
            request.describe()
                + ": the TLS certificate was not accepted ("
                + Redaction.scrub(String.valueOf(e.getMessage()))
                + "); not retried")
        .fix(
            "Check the URL's host name. If a TLS-inspecting proxy sits in between, add its CA to"
                + " the JVM truststore or pass it as TransportPolicy.sslContext.")
        .retryable(false)
        .build();
  }

  private static FederationException tooLarge(Request request, ResponseTooLarge e) {
    String size =
        e.declared > 0
            ? e.declared + " bytes declared"
            : "more than " + MAX_RESPONSE_BYTES + " bytes";
    return FederationException.builder(
            request.step(),
            request.describe()
                + " answered HTTP "
                + e.status
                + " with a body of "
                + size
                + "; wif4j reads at most "
                + MAX_RESPONSE_BYTES / 1024
                + " KiB and did not read it")
        .fix(
            "Identity endpoints answer in a few KiB: check the URL, and whether a proxy or captive"
                + " portal answers in its place.")
        .httpStatus(e.status)
        .retryable(false)
        .build();
  }

  /** {@code e} without text that could carry a value sent with the request. */
  private static IOException sanitized(IOException e, Request request) {
    String msg = e.getMessage();
    String clean =
        msg == null ? null : Redaction.scrub(ErrorBodies.removeAll(msg, request.secrets()));
    if (Objects.equals(msg, clean)) {
      return e;
    }
    IOException copy = new IOException(e.getClass().getSimpleName() + ": " + clean);
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }

  private record Body(byte[] bytes, boolean truncated) {}

  private static final class ResponseTooLarge extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;
    final long declared;

    ResponseTooLarge(int status, long declared) {
      super("response body too large");
      this.status = status;
      this.declared = declared;
    }
  }

  /** Closes a connection at the deadline from a shared timer thread. */
  private record Watchdog(ScheduledFuture<?> task, AtomicBoolean passed) {
    private static final ScheduledThreadPoolExecutor TIMER = timer();
    private static final java.util.concurrent.ExecutorService CLOSER =
        java.util.concurrent.Executors.newCachedThreadPool(
            r -> {
              Thread th = new Thread(r, "wif4j-http-deadline-close");
              th.setDaemon(true);
              return th;
            });

    static Watchdog arm(HttpURLConnection c, long delayNanos) {
      AtomicBoolean fired = new AtomicBoolean();
      ScheduledFuture<?> task =
          TIMER.schedule(
              () -> {
                fired.set(true);
                // disconnect() can wait for a read holding the stream's lock: never on the timer
                CLOSER.execute(c::disconnect);
              },
              Math.max(1, delayNanos),
              TimeUnit.NANOSECONDS);
      return new Watchdog(task, fired);
    }

    boolean fired() {
      return passed.get();
    }

    void disarm() {
      task.cancel(false);
    }

    private static ScheduledThreadPoolExecutor timer() {
      ScheduledThreadPoolExecutor t =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread th = new Thread(r, "wif4j-http-deadline");
                th.setDaemon(true);
                return th;
              });
      t.setRemoveOnCancelPolicy(true);
      return t;
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
    private final List<String> secrets;

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
      this.secrets = secretsOf(headers, body);
    }

    /**
     * Every value this request carries that a server might echo: header values, form values, and
     * the string values of a JSON document inside a form value (the AWS signed request).
     */
    private static final java.util.regex.Pattern AMZ_DATE =
        java.util.regex.Pattern.compile("\\d{8}T\\d{6}Z");

    private static List<String> secretsOf(Map<String, String> headers, byte[] body) {
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, String> h : headers.entrySet()) {
        if (!h.getKey().equalsIgnoreCase("Content-Type")) {
          out.add(h.getValue());
          if (h.getValue().regionMatches(true, 0, "Bearer ", 0, 7)) {
            out.add(h.getValue().substring(7).trim());
          }
        }
      }
      if (body != null && body.length <= MAX_RESPONSE_BYTES) {
        String text = new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
          int eq = pair.indexOf('=');
          if (eq < 0) {
            continue;
          }
          try {
            String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.add(value);
            if (value.startsWith("%7B") || value.startsWith("{")) {
              String json =
                  value.startsWith("{") ? value : URLDecoder.decode(value, StandardCharsets.UTF_8);
              java.util.regex.Matcher m =
                  java.util.regex.Pattern.compile("\"([^\"\\\\]{8,})\"").matcher(json);
              while (m.find()) {
                out.add(m.group(1));
              }
            }
          } catch (IllegalArgumentException ignored) {
            // not form-encoded: nothing more to learn
          }
        }
      }
      // A SigV4 timestamp (x-amz-date) and URLs are echoed back by AWS in explanations that name
      // them ("Signature expired: 20261130T141839Z is now earlier than ..."); they are not secret.
      out.removeIf(
          v ->
              v == null
                  || v.length() < 6
                  || AMZ_DATE.matcher(v).matches()
                  || v.startsWith("https://"));
      return List.copyOf(out);
    }

    /** Values sent with this request, to be removed from anything quoted back. */
    List<String> secrets() {
      return secrets;
    }

    /** A GET builder. */
    public static Builder get(URI uri) {
      return new Builder("GET", uri);
    }

    /** A builder for any method. */
    public static Builder newBuilder(String method, URI uri) {
      return new Builder(method, uri);
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

      /**
       * Adds a header; values are treated as secret in every printout.
       *
       * @throws ConfigurationException when the name or value holds a line break or another control
       *     character (the JDK would quote the value in its own error)
       */
      public Builder header(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, name);
        if (hasControl(name) || name.isEmpty()) {
          throw ConfigurationException.of(
              "header name",
              "'" + Redaction.scrub(name.strip()) + "' is not a header name",
              "a token");
        }
        if (hasControl(value)) {
          throw ConfigurationException.of(
              "header " + name,
              "the value contains a line break or control character (value not shown)",
              "a single-line value; check the variable or file it comes from for a trailing"
                  + " CR/LF");
        }
        headers.put(name, value);
        return this;
      }

      private static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
          char ch = s.charAt(i);
          if ((ch < 0x20 && ch != '\t') || ch == 0x7f) {
            return true;
          }
        }
        return false;
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
    private final boolean truncated;
    private final List<String> sentSecrets;

    Response(
        int status,
        Map<String, List<String>> headers,
        byte[] body,
        boolean truncated,
        List<String> sentSecrets) {
      this.status = status;
      this.headers = headers;
      this.body = body;
      this.truncated = truncated;
      this.sentSecrets = sentSecrets;
    }

    /** A response built by hand (tests, adapters); nothing was sent. */
    public static Response of(int status, Map<String, List<String>> headers, byte[] body) {
      Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      h.putAll(headers);
      return new Response(status, h, body.clone(), false, List.of());
    }

    /** Whether an error body was cut at the reading limit (success bodies never are). */
    public boolean truncated() {
      return truncated;
    }

    /**
     * What may be quoted from this (error) response, built from an allow-list of fields: {@code
     * error}, {@code error_description}, {@code code}, {@code message}, {@code error.status} and
     * {@code error.message}, each cut short, with every value sent in the request removed and
     * token-like text scrubbed. Free text (HTML pages, plain bodies) is never quoted: only its size
     * and type. Safe for exception messages and logs.
     */
    public String errorExcerpt() {
      return ErrorBodies.errorExcerpt(
          body(), header("Content-Type").orElse(""), body.length, truncated, sentSecrets);
    }

    /** {@code text} without any value that was sent in the request, then scrubbed. */
    public String redact(String text) {
      return Redaction.scrub(ErrorBodies.removeAll(text, sentSecrets));
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

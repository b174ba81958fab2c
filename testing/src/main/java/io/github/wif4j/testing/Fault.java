package io.github.wif4j.testing;

import java.time.Duration;
import java.util.Objects;

/**
 * A fault a {@link FakeServer} injects into the next matching requests, for testing retries,
 * deadlines and error handling.
 *
 * <pre>{@code
 * sts.enqueueFault(Fault.status(503));                       // next request answers 503
 * imds.enqueueFault(Fault.reset().onPath("/latest/api/token"));
 * sts.enqueueFault(Fault.delay(Duration.ofSeconds(6)).times(64));
 * sts.enqueueFault(Fault.status(429).withHeader("Retry-After", "9300000000"));
 * sts.enqueueFault(Fault.drip(Duration.ofSeconds(1)));       // the normal answer, 1 byte/s
 * sts.enqueueFault(Fault.endlessBody());                     // 200, a body that never ends
 * }</pre>
 */
public final class Fault {
  /** What the fault does. */
  public enum Kind {
    /** Answer with a status (and optional body) instead of the normal response. */
    STATUS,
    /** Wait, then answer normally. */
    DELAY,
    /** Never answer (until the server closes). */
    HANG,
    /** Answer 200 with a truncated body. */
    MALFORMED_BODY,
    /** Close the connection without an answer. */
    RESET,
    /** The normal answer, its body sent one byte per interval. */
    DRIP,
    /** Answer 200 with a body of a given size (or endless), sent as fast as the client reads. */
    HUGE_BODY
  }

  /** {@link #hugeBody(long)} size meaning "until the client hangs up". */
  static final long ENDLESS = -1;

  private final Kind kind;
  private final int status;
  private final String contentType;
  private final String body;
  private final Duration delay;
  private final String pathPrefix;
  private final int times;
  private final java.util.Map<String, String> headers;
  private final long size;
  private final boolean declareLength;

  private Fault(
      Kind kind,
      int status,
      String contentType,
      String body,
      Duration delay,
      String pathPrefix,
      int times) {
    this(kind, status, contentType, body, delay, pathPrefix, times, java.util.Map.of(), 0, false);
  }

  private Fault(
      Kind kind,
      int status,
      String contentType,
      String body,
      Duration delay,
      String pathPrefix,
      int times,
      java.util.Map<String, String> headers,
      long size,
      boolean declareLength) {
    this.kind = kind;
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.delay = delay;
    this.pathPrefix = pathPrefix;
    this.times = times;
    this.headers = headers;
    this.size = size;
    this.declareLength = declareLength;
  }

  /** The normal answer, with its body sent one byte every {@code interval} (a slow drip). */
  public static Fault drip(Duration interval) {
    return new Fault(Kind.DRIP, 0, null, null, Objects.requireNonNull(interval), null, 1);
  }

  /**
   * Answer 200 {@code application/json} with {@code bytes} bytes of body, chunked (no length
   * declared), as fast as the client reads.
   */
  public static Fault hugeBody(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0");
    }
    return new Fault(
        Kind.HUGE_BODY,
        200,
        "application/json",
        null,
        null,
        null,
        1,
        java.util.Map.of(),
        bytes,
        false);
  }

  /** Answer 200 with a body that never ends (until the client hangs up or the server closes). */
  public static Fault endlessBody() {
    return new Fault(
        Kind.HUGE_BODY,
        200,
        "application/json",
        null,
        null,
        null,
        1,
        java.util.Map.of(),
        ENDLESS,
        false);
  }

  /** For {@link #hugeBody(long)}: declare the length in {@code Content-Length}. */
  public Fault declaringLength() {
    return new Fault(
        kind, status, contentType, body, delay, pathPrefix, times, headers, size, true);
  }

  /** Adds a response header to a {@link #status} fault, e.g. {@code Retry-After}. */
  public Fault withHeader(String name, String value) {
    java.util.Map<String, String> h = new java.util.LinkedHashMap<>(headers);
    h.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    return new Fault(
        kind,
        status,
        contentType,
        body,
        delay,
        pathPrefix,
        times,
        java.util.Map.copyOf(h),
        size,
        declareLength);
  }

  /** Answer {@code status} with a small JSON error body. */
  public static Fault status(int status) {
    return new Fault(
        Kind.STATUS,
        status,
        "application/json",
        "{\"error\":\"fault_injected\",\"error_description\":\"injected " + status + "\"}",
        null,
        null,
        1);
  }

  /** Answer {@code status} with {@code body} of {@code contentType}, e.g. an HTML 503 page. */
  public static Fault status(int status, String contentType, String body) {
    return new Fault(Kind.STATUS, status, contentType, body, null, null, 1);
  }

  /** Wait {@code delay}, then answer normally. */
  public static Fault delay(Duration delay) {
    return new Fault(Kind.DELAY, 0, null, null, Objects.requireNonNull(delay), null, 1);
  }

  /** Never answer; released when the server closes. */
  public static Fault hang() {
    return new Fault(Kind.HANG, 0, null, null, null, null, 1);
  }

  /** Answer 200 with a body cut in half. */
  public static Fault malformedBody() {
    return new Fault(Kind.MALFORMED_BODY, 200, null, null, null, null, 1);
  }

  /** Drop the connection without a response. */
  public static Fault reset() {
    return new Fault(Kind.RESET, 0, null, null, null, null, 1);
  }

  /** Only requests whose path starts with {@code prefix} match. */
  public Fault onPath(String prefix) {
    return new Fault(
        kind,
        status,
        contentType,
        body,
        delay,
        Objects.requireNonNull(prefix),
        times,
        headers,
        size,
        declareLength);
  }

  /** Applies to the next {@code n} matching requests. Default 1. */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be >= 1");
    }
    return new Fault(
        kind, status, contentType, body, delay, pathPrefix, n, headers, size, declareLength);
  }

  /** The kind. */
  public Kind kind() {
    return kind;
  }

  int statusCode() {
    return status;
  }

  String contentType() {
    return contentType;
  }

  String body() {
    return body;
  }

  Duration delayDuration() {
    return delay;
  }

  int count() {
    return times;
  }

  java.util.Map<String, String> extraHeaders() {
    return headers;
  }

  long size() {
    return size;
  }

  boolean declaresLength() {
    return declareLength;
  }

  boolean matches(String path) {
    return pathPrefix == null || path.startsWith(pathPrefix);
  }

  @Override
  public String toString() {
    return "Fault{"
        + kind
        + (kind == Kind.STATUS ? " " + status : "")
        + (delay != null ? " " + delay : "")
        + (pathPrefix != null ? " on " + pathPrefix : "")
        + " x"
        + times
        + "}";
  }
}

package io.github.wif4j.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

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
public final class Fault implements Cloneable {
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
  // Not final: the factories and withers set them on a fresh instance or a copy (clone()); no
  // Fault changes once returned.
  private String body;
  private Duration delay;
  private String pathPrefix;
  private int times = 1;
  private Map<String, String> headers = Map.of();
  private long size;
  private boolean declareLength;

  private Fault(Kind kind, int status, String contentType) {
    this.kind = kind;
    this.status = status;
    this.contentType = contentType;
  }

  /** A copy of this fault with {@code change} applied. */
  private Fault with(Consumer<Fault> change) {
    try {
      Fault copy = (Fault) clone();
      change.accept(copy);
      return copy;
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /** The normal answer, with its body sent one byte every {@code interval} (a slow drip). */
  public static Fault drip(Duration interval) {
    Fault f = new Fault(Kind.DRIP, 0, null);
    f.delay = Objects.requireNonNull(interval);
    return f;
  }

  /**
   * Answer 200 {@code application/json} with {@code bytes} bytes of body, chunked (no length
   * declared), as fast as the client reads.
   */
  public static Fault hugeBody(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be >= 0");
    }
    return sized(bytes);
  }

  /** Answer 200 with a body that never ends (until the client hangs up or the server closes). */
  public static Fault endlessBody() {
    return sized(ENDLESS);
  }

  private static Fault sized(long bytes) {
    Fault f = new Fault(Kind.HUGE_BODY, 200, "application/json");
    f.size = bytes;
    return f;
  }

  /** For {@link #hugeBody(long)}: declare the length in {@code Content-Length}. */
  public Fault declaringLength() {
    return with(f -> f.declareLength = true);
  }

  /** Adds a response header to a {@link #status} fault, e.g. {@code Retry-After}. */
  public Fault withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
    return with(f -> f.headers = Map.copyOf(h));
  }

  /** Answer {@code status} with a small JSON error body. */
  public static Fault status(int status) {
    return status(
        status,
        "application/json",
        "{\"error\":\"fault_injected\",\"error_description\":\"injected " + status + "\"}");
  }

  /** Answer {@code status} with {@code body} of {@code contentType}, e.g. an HTML 503 page. */
  public static Fault status(int status, String contentType, String body) {
    Fault f = new Fault(Kind.STATUS, status, contentType);
    f.body = body;
    return f;
  }

  /** Wait {@code delay}, then answer normally. */
  public static Fault delay(Duration delay) {
    Fault f = new Fault(Kind.DELAY, 0, null);
    f.delay = Objects.requireNonNull(delay);
    return f;
  }

  /** Never answer; released when the server closes. */
  public static Fault hang() {
    return new Fault(Kind.HANG, 0, null);
  }

  /** Answer 200 with a body cut in half. */
  public static Fault malformedBody() {
    return new Fault(Kind.MALFORMED_BODY, 200, null);
  }

  /** Drop the connection without a response. */
  public static Fault reset() {
    return new Fault(Kind.RESET, 0, null);
  }

  /** Only requests whose path starts with {@code prefix} match. */
  public Fault onPath(String prefix) {
    Objects.requireNonNull(prefix);
    return with(f -> f.pathPrefix = prefix);
  }

  /** Applies to the next {@code n} matching requests. Default 1. */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be >= 1");
    }
    return with(f -> f.times = n);
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

  Map<String, String> extraHeaders() {
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

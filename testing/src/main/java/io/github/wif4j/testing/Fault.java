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
    RESET
  }

  private final Kind kind;
  private final int status;
  private final String contentType;
  private final String body;
  private final Duration delay;
  private final String pathPrefix;
  private final int times;

  private Fault(
      Kind kind,
      int status,
      String contentType,
      String body,
      Duration delay,
      String pathPrefix,
      int times) {
    this.kind = kind;
    this.status = status;
    this.contentType = contentType;
    this.body = body;
    this.delay = delay;
    this.pathPrefix = pathPrefix;
    this.times = times;
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
    return new Fault(kind, status, contentType, body, delay, Objects.requireNonNull(prefix), times);
  }

  /** Applies to the next {@code n} matching requests. Default 1. */
  public Fault times(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("times must be >= 1");
    }
    return new Fault(kind, status, contentType, body, delay, pathPrefix, n);
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

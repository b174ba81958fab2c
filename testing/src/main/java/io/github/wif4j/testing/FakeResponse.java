package io.github.wif4j.testing;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A response a {@link FakeServer} sends. Immutable; build with the static factories. */
public final class FakeResponse {
  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private FakeResponse(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    this.body = body;
  }

  /** A JSON response; {@code json} is a JSON text or an object Jackson can serialise. */
  public static FakeResponse json(int status, Object json) {
    String text = json instanceof String ? (String) json : Jsons.write(json);
    return of(status, "application/json; charset=utf-8", text);
  }

  /** A {@code text/plain} response. */
  public static FakeResponse text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text);
  }

  /** A {@code text/xml} response. */
  public static FakeResponse xml(int status, String xml) {
    return of(status, "text/xml; charset=utf-8", xml);
  }

  /** A response with any content type. */
  public static FakeResponse of(int status, String contentType, String body) {
    Map<String, String> h = new LinkedHashMap<>();
    if (contentType != null) {
      h.put("Content-Type", contentType);
    }
    return new FakeResponse(
        status, h, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
  }

  /** An OAuth-style JSON error, {@code {"error", "error_description"}}. */
  static FakeResponse oauthError(int status, String error, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    return json(status, body);
  }

  /** Google's JSON error, {@code {"error": {"code", "message", "status"}}}. */
  static FakeResponse googleError(int code, String status, String message) {
    return googleError(code, status, message, null);
  }

  /**
   * Google's 403 {@code PERMISSION_DENIED} for {@code permission} (on {@code resource} of {@code
   * domain}, when not null), with the {@code ErrorInfo} detail {@code IAM_PERMISSION_DENIED}.
   */
  static FakeResponse permissionDenied(String domain, String permission, String resource) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("permission", permission);
    String on = "";
    if (resource != null) {
      metadata.put("resource", resource);
      on = " '//" + domain + "/" + resource + "'";
    }
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
    info.put("reason", "IAM_PERMISSION_DENIED");
    info.put("domain", domain);
    info.put("metadata", metadata);
    String message =
        "Permission '" + permission + "' denied on resource" + on + " (or it may not exist).";
    return googleError(403, "PERMISSION_DENIED", message, info);
  }

  private static FakeResponse googleError(
      int code, String status, String message, Map<String, Object> errorInfo) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("status", status);
    if (errorInfo != null) {
      error.put("details", List.of(errorInfo));
    }
    return json(code, Map.of("error", error));
  }

  /** This response with one more header. */
  public FakeResponse withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(headers);
    h.put(name, value);
    return new FakeResponse(status, h, body);
  }

  /** The status. */
  public int status() {
    return status;
  }

  /** The headers. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body as text. */
  public String bodyString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "FakeResponse{status=" + status + ", bytes=" + body.length + "}";
  }
}

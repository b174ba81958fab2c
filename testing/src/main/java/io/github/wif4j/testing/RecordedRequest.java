package io.github.wif4j.testing;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request a {@link FakeServer} received. Immutable. {@link #toString()} prints header names
 * only: values may be tokens or identity headers.
 */
public final class RecordedRequest {
  private final String method;
  private final String path;
  private final String rawQuery;
  private final Map<String, List<String>> headers;
  private final byte[] body;

  RecordedRequest(
      String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
    this.method = method;
    this.path = path;
    this.rawQuery = rawQuery;
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    h.putAll(headers);
    this.headers = Collections.unmodifiableMap(h);
    this.body = body;
  }

  /** The HTTP method, upper case. */
  public String method() {
    return method;
  }

  /** The decoded path, e.g. {@code /v1/token}. */
  public String path() {
    return path;
  }

  /** The raw query string without {@code ?}, or empty. */
  public String rawQuery() {
    return rawQuery == null ? "" : rawQuery;
  }

  /** Decoded query parameters (first value of each). */
  public Map<String, String> query() {
    return decodeForm(rawQuery());
  }

  /** A query parameter, or null. */
  public String query(String name) {
    return query().get(name);
  }

  /** The first value of header {@code name}, case-insensitively, or null. */
  public String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The token of an {@code Authorization: Bearer} header, or null. */
  String bearerToken() {
    String auth = header("Authorization");
    return auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
  }

  /** All headers (case-insensitive keys). */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** The raw body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body as UTF-8. */
  public String bodyString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body decoded as {@code application/x-www-form-urlencoded} (first value of each). */
  public Map<String, String> form() {
    return decodeForm(bodyString());
  }

  /** Decodes a form or query string; the last occurrence of a key wins. */
  private static Map<String, String> decodeForm(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s == null || s.isEmpty()) {
      return out;
    }
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      String v = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(
          URLDecoder.decode(k, StandardCharsets.UTF_8),
          URLDecoder.decode(v, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public String toString() {
    return "RecordedRequest{"
        + method
        + " "
        + path
        + (rawQuery == null ? "" : "?<query>")
        + ", headers="
        + headers.keySet()
        + ", bodyBytes="
        + body.length
        + "}";
  }
}

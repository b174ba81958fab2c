package io.github.wif4j.core.http;

import io.github.wif4j.core.spi.Json;
import io.github.wif4j.core.spi.Redaction;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** What of an HTTP error answer may be quoted: values this process sent removed, fields cut. */
final class ErrorBodies {
  private static final int FIELD_MAX = 300;

  private ErrorBodies() {}

  /**
   * {@code text} with every occurrence of each value in {@code secrets} (values this process sent:
   * header values, form fields) replaced, whatever their shape: a short opaque token or a GUID
   * identity header is removed as surely as a JWT.
   */
  static String removeAll(String text, Collection<String> secrets) {
    if (text == null || secrets == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : secrets) {
      if (s != null && s.length() >= 6 && out.contains(s)) {
        out = out.replace(s, "<redacted>");
      }
    }
    return out;
  }

  /**
   * An excerpt of an error body built from an allow-list of fields ({@code error}, {@code
   * error_description}, {@code code}, {@code message}, and {@code error.status}/{@code
   * error.message} of Google's envelope), each cut to a few hundred characters <em>before</em> it
   * is scrubbed. Anything else (HTML, plain text, unknown JSON) is described by type and size,
   * never quoted. {@code sent} are values of the request, removed wherever they appear.
   */
  static String errorExcerpt(
      String body, String contentType, int bytes, boolean truncated, Collection<String> sent) {
    StringBuilder sb = new StringBuilder();
    if (!truncated && body != null && bytes <= 64 * 1024) {
      Optional<Map<String, Object>> json = Json.object(body);
      if (json.isPresent()) {
        Map<String, Object> n = json.get();
        if (n.get("error") instanceof Map) {
          @SuppressWarnings("unchecked")
          Map<String, Object> envelope = (Map<String, Object>) n.get("error");
          field(sb, envelope, "status", sent);
          field(sb, envelope, "message", sent);
        } else {
          field(sb, n, "error", sent);
          field(sb, n, "error_description", sent);
          field(sb, n, "code", sent);
          field(sb, n, "Code", sent);
          field(sb, n, "message", sent);
          field(sb, n, "Message", sent);
        }
        if (sb.length() > 0) {
          return sb.toString();
        }
      }
    }
    String type = contentType == null || contentType.isBlank() ? "unknown type" : contentType;
    int semi = type.indexOf(';');
    type = (semi > 0 ? type.substring(0, semi) : type).strip();
    if (type.length() > 60 || !type.matches("[A-Za-z0-9.+/_-]+|unknown type")) {
      type = "unknown type";
    }
    boolean json = !truncated && body != null && bytes <= 64 * 1024 && Json.isWellFormed(body);
    return (json ? "a JSON body without error fields, " : "a non-JSON body of ")
        + (truncated ? "more than " : "")
        + bytes
        + " bytes ("
        + type
        + ", not quoted)";
  }

  private static void field(
      StringBuilder sb, Map<String, Object> n, String name, Collection<String> sent) {
    Object v = n.get(name);
    if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
      return;
    }
    String text = String.valueOf(v);
    if (text.length() > FIELD_MAX) {
      text = text.substring(0, FIELD_MAX) + "...";
    }
    text = Redaction.scrub(removeAll(text, sent)).replaceAll("\\s+", " ").strip();
    if (text.isEmpty()) {
      return;
    }
    if (sb.length() > 0) {
      sb.append(
          name.toLowerCase(java.util.Locale.ROOT).endsWith("description")
                  || name.equalsIgnoreCase("message")
              ? ": "
              : " ");
    }
    sb.append(text);
  }
}

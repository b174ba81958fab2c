package io.github.wif4j.core.internal;

import io.github.wif4j.core.spi.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of messages, {@code toString()} and logs. Internal: not part of the API.
 *
 * <p>{@link #fingerprint(String)} identifies a value without revealing it (first 8 hex chars of its
 * SHA-256). {@link #scrub(String)} removes token-like substrings from server text before it is
 * quoted in an exception.
 */
public final class Redaction {
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");
  private static final Pattern GOOGLE_TOKEN = Pattern.compile("ya29\\.[A-Za-z0-9_.-]+");
  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[A-Za-z0-9._~+/=-]{8,}");
  private static final Pattern KEY_VALUE =
      Pattern.compile(
          "(?i)((?<![A-Za-z0-9])\"?(?:access_token|accesstoken|id_token|token|secret|secretaccesskey|sessiontoken"
              + "|session_token|subject_token|client_secret|password|signature|x-amz-security-token"
              + "|x-identity-header|authorization)\"?\\s*[:=]\\s*\"?)([^\"&,\\s}]{4,})");

  /** {@code SecretAccessKey abc...}: a secret's name, then blanks, then the value. */
  private static final Pattern NAME_SPACE_VALUE =
      Pattern.compile(
          "(?i)(\\b(?:secret_?access_?key|session_?token|x-amz-security-token|access_token"
              + "|id_token|subject_token|client_secret|password|x-identity-header|identity_header)"
              + "\\s+)([A-Za-z0-9+/=_.~-]{8,})");

  private static final Pattern LONG_OPAQUE = Pattern.compile("[A-Za-z0-9+/=_-]{80,}");
  private static final int FIELD_MAX = 300;

  private Redaction() {}

  /** A short, stable, non-reversible id for a secret: {@code sha256:1a2b3c4d}. */
  public static String fingerprint(String secret) {
    if (secret == null) {
      return "null";
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return "sha256:" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      return "sha256:unavailable";
    }
  }

  /** Removes token-like substrings (JWTs, Google tokens, key=value secrets, long opaque runs). */
  public static String scrub(String text) {
    if (text == null) {
      return null;
    }
    String out = JWT.matcher(text).replaceAll("<redacted-jwt>");
    out = GOOGLE_TOKEN.matcher(out).replaceAll("<redacted-token>");
    out = BEARER.matcher(out).replaceAll("$1<redacted>");
    Matcher m = KEY_VALUE.matcher(out);
    out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)) + "<redacted>");
    out =
        NAME_SPACE_VALUE
            .matcher(out)
            .replaceAll(r -> Matcher.quoteReplacement(r.group(1)) + "<redacted>");
    out = LONG_OPAQUE.matcher(out).replaceAll(r -> isPath(r.group()) ? "$0" : "<redacted>");
    return out;
  }

  /**
   * Resource names ({@code //iam.googleapis.com/projects/.../workloadIdentityPools/...}) are long
   * too, but slash-separated every few characters, unlike base64 (a slash every 64 on average).
   */
  private static boolean isPath(String run) {
    long slashes = run.chars().filter(c -> c == '/').count();
    return slashes * 20 > run.length();
  }

  /** A scrubbed excerpt of at most {@code max} characters, for quoting server bodies. */
  public static String excerpt(String text, int max) {
    String s = scrub(text == null ? "" : text.strip());
    s = s.replaceAll("\\s+", " ");
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  /**
   * {@code text} with every occurrence of each value in {@code secrets} (values this process sent:
   * header values, form fields) replaced, whatever their shape: a short opaque token or a GUID
   * identity header is removed as surely as a JWT.
   */
  public static String removeAll(String text, Collection<String> secrets) {
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
  public static String errorExcerpt(
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
    text = scrub(removeAll(text, sent)).replaceAll("\\s+", " ").strip();
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

package io.github.wif4j.core.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of messages, {@code toString()} and logs, for sources and tools built on wif4j:
 * every module redacts the same way, so the secret sweep tests hold for all of them.
 *
 * <pre>{@code
 * "access key " + Redaction.fingerprint(accessKeyId)          // "access key sha256:1a2b3c4d"
 * "server said: " + Redaction.excerpt(response.body(), 200)   // tokens removed, cut to 200
 * }</pre>
 *
 * <p>{@link #fingerprint(String)} identifies a value without revealing it (first 8 hex chars of its
 * SHA-256). {@link #scrub(String)} removes token-like substrings (JWTs, Google access tokens,
 * bearer values, {@code key=value} secrets, long opaque runs, the shape of an AWS secret key) from
 * server text before it is quoted in an exception. Stateless and thread-safe; nothing here throws.
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

  /**
   * The shape of an AWS secret access key: exactly 40 base64 characters standing alone. Only runs
   * that mix upper case, lower case and digits count, so hex digests and words are left alone.
   */
  private static final Pattern AWS_SECRET_SHAPE =
      Pattern.compile("(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/]{40}(?![A-Za-z0-9+/=_-])");

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
    out =
        AWS_SECRET_SHAPE
            .matcher(out)
            .replaceAll(
                r -> looksRandom(r.group()) ? "<redacted>" : Matcher.quoteReplacement(r.group()));
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

  private static boolean looksRandom(String run) {
    return !isPath(run)
        && run.chars().anyMatch(Character::isUpperCase)
        && run.chars().anyMatch(Character::isLowerCase)
        && run.chars().anyMatch(Character::isDigit);
  }

  /** A scrubbed excerpt of at most {@code max} characters, for quoting server bodies. */
  public static String excerpt(String text, int max) {
    String s = scrub(text == null ? "" : text.strip());
    s = s.replaceAll("\\s+", " ");
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}

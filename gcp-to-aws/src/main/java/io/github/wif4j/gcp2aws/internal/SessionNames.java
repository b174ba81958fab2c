package io.github.wif4j.gcp2aws.internal;

import java.util.regex.Pattern;

/** STS RoleSessionName rules: {@code [\w+=,.@-]}, 2 to 64 characters. Internal. */
public final class SessionNames {
  /** The characters and length STS accepts. */
  public static final Pattern VALID = Pattern.compile("^[\\w+=,.@-]{2,64}$");

  private static final Pattern INVALID_CHARS = Pattern.compile("[^\\w+=,.@-]");
  private static final String FALLBACK = "wif4j-gcp-to-aws";

  private SessionNames() {}

  /**
   * A session name that tells CloudTrail who assumed the role: the service account email from the
   * token (shortened to {@code name@project} when longer than 64), else the instance name, else
   * {@code google-<sub>}.
   */
  public static String fromClaims(IdTokenClaims claims) {
    String email = claims.get("email");
    if (email != null && !email.isBlank()) {
      String s = clean(email);
      if (s.length() > 64) {
        s = clean(email.replaceFirst("\\.iam\\.gserviceaccount\\.com$", ""));
      }
      return sanitize(s);
    }
    if (claims.instanceName() != null) {
      return truncate(sanitize(claims.instanceName()));
    }
    if (claims.get("sub") != null) {
      return truncate(sanitize("google-" + claims.get("sub")));
    }
    return FALLBACK;
  }

  /** Replaces characters STS rejects with {@code -} and pads/truncates to 2..64. */
  public static String sanitize(String raw) {
    String s = clean(raw);
    if (s.length() < 2) {
      return FALLBACK;
    }
    return truncate(s);
  }

  private static String clean(String raw) {
    return INVALID_CHARS.matcher(raw == null ? "" : raw.trim()).replaceAll("-");
  }

  private static String truncate(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64);
  }
}

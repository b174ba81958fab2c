package io.github.wif4j.gcp2aws.internal;

import io.github.wif4j.core.spi.JwtClaims;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The non-secret claims of an ID token, decoded without verification for session names and error
 * messages. Never holds the token itself. Internal.
 *
 * @param shown the claims worth showing ({@code iss, aud, azp, sub, email, exp}), in that order
 * @param instanceName the GCE instance name of a full-format metadata token, or null
 */
public record IdTokenClaims(Map<String, String> shown, String instanceName) {
  private static final String[] SHOWN = {"iss", "aud", "azp", "sub", "email", "exp"};

  /** Claims as given, kept read-only. */
  public IdTokenClaims {
    shown = Collections.unmodifiableMap(shown);
  }

  /** Decodes {@code jwt}; empty claims when it is not a JWT. Never throws. */
  public static IdTokenClaims decode(String jwt) {
    JwtClaims claims = JwtClaims.decode(jwt);
    Map<String, String> out = new LinkedHashMap<>();
    for (String c : SHOWN) {
      claims.text(c).ifPresent(v -> out.put(c, v));
    }
    return new IdTokenClaims(
        out, claims.text("google", "compute_engine", "instance_name").orElse(null));
  }

  /** A claim, or null. */
  public String get(String name) {
    return shown.get(name);
  }

  /** The issuer without {@code https://}: the IAM provider name and condition-key prefix. */
  public String providerName() {
    String iss = shown.getOrDefault("iss", "accounts.google.com");
    return iss.replaceFirst("^https://", "");
  }

  /** Whether the token comes from Google ({@code accounts.google.com}). */
  public boolean isGoogle() {
    return "accounts.google.com".equals(providerName());
  }

  /** The IAM condition keys AWS evaluates for this token, with their values. */
  public Map<String, String> conditionKeys() {
    Map<String, String> keys = new LinkedHashMap<>();
    String p = providerName();
    String aud = shown.get("aud");
    String azp = shown.get("azp");
    if (isGoogle()) {
      if (azp != null || aud != null) {
        keys.put(p + ":aud", azp != null ? azp : aud);
      }
      if (aud != null) {
        keys.put(p + ":oaud", aud);
      }
    } else if (aud != null) {
      keys.put(p + ":aud", aud);
    }
    if (shown.get("sub") != null) {
      keys.put(p + ":sub", shown.get("sub"));
    }
    return keys;
  }

  @Override
  public String toString() {
    return "IdTokenClaims" + shown;
  }
}

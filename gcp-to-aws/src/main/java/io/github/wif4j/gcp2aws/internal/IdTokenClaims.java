package io.github.wif4j.gcp2aws.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The non-secret claims of an ID token, decoded without verification for session names and error
 * messages. Never holds the token itself. Internal.
 */
public final class IdTokenClaims {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] SHOWN = {"iss", "aud", "azp", "sub", "email", "exp"};

  private final Map<String, String> claims;
  private final String instanceName;

  private IdTokenClaims(Map<String, String> claims, String instanceName) {
    this.claims = Collections.unmodifiableMap(claims);
    this.instanceName = instanceName;
  }

  /** Decodes {@code jwt}; empty claims when it is not a JWT. Never throws. */
  public static IdTokenClaims decode(String jwt) {
    Map<String, String> out = new LinkedHashMap<>();
    String instance = null;
    String[] parts = jwt == null ? new String[0] : jwt.trim().split("\\.");
    if (parts.length >= 2) {
      try {
        JsonNode payload =
            MAPPER.readTree(
                new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        for (String c : SHOWN) {
          JsonNode v = payload.get(c);
          if (v != null && !v.isNull()) {
            out.put(
                c,
                v.isTextual()
                    ? v.asText()
                    : v.isArray() && v.size() > 0 ? v.get(0).asText() : v.toString());
          }
        }
        JsonNode ce = payload.path("google").path("compute_engine").path("instance_name");
        instance = ce.isTextual() ? ce.asText() : null;
      } catch (java.io.IOException | IllegalArgumentException e) {
        out.clear();
      }
    }
    return new IdTokenClaims(out, instance);
  }

  /** The claims worth showing ({@code iss, aud, azp, sub, email, exp}), in that order. */
  public Map<String, String> shown() {
    return claims;
  }

  /** A claim, or null. */
  public String get(String name) {
    return claims.get(name);
  }

  /** The GCE instance name of a full-format metadata token, or null. */
  public String instanceName() {
    return instanceName;
  }

  /** The issuer without {@code https://}: the IAM provider name and condition-key prefix. */
  public String providerName() {
    String iss = claims.getOrDefault("iss", "accounts.google.com");
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
    String aud = claims.get("aud");
    String azp = claims.get("azp");
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
    if (claims.get("sub") != null) {
      keys.put(p + ":sub", claims.get("sub"));
    }
    return keys;
  }

  @Override
  public String toString() {
    return "IdTokenClaims" + claims;
  }
}

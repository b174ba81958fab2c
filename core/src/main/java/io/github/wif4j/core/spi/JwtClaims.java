package io.github.wif4j.core.spi;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claims of a JWT, decoded <em>without</em> verifying its signature: to explain a token (error
 * messages, {@code wif4j doctor}) or to read its expiry, never to trust it. Holds only the claims,
 * never the token.
 *
 * <pre>{@code
 * JwtClaims claims = JwtClaims.decode(subjectToken.value());
 * claims.text("sub");                // Optional[system:serviceaccount:ns:sa]
 * claims.expiry();                   // from "exp"
 * claims.shown("iss", "aud", "sub"); // for a message: present claims, in this order
 * }</pre>
 *
 * <p>Immutable. {@link #decode(String)} never throws: anything that is not a JWT with a JSON object
 * payload gives empty claims.
 */
public final class JwtClaims {
  private static final JwtClaims EMPTY = new JwtClaims(Map.of());

  private final Map<String, Object> claims;

  private JwtClaims(Map<String, Object> claims) {
    this.claims = Collections.unmodifiableMap(claims);
  }

  /** The claims of {@code jwt} (header.payload[.signature]); empty when it is not a JWT. */
  public static JwtClaims decode(String jwt) {
    if (jwt == null) {
      return EMPTY;
    }
    String[] parts = jwt.trim().split("\\.", -1);
    return parts.length < 2 ? EMPTY : ofPayload(parts[1]);
  }

  /** The claims of a JWT's base64url payload segment alone. */
  public static JwtClaims ofPayload(String payload) {
    if (payload == null || payload.isEmpty()) {
      return EMPTY;
    }
    try {
      String json = new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8);
      return Json.object(json).map(JwtClaims::new).orElse(EMPTY);
    } catch (IllegalArgumentException e) {
      return EMPTY;
    }
  }

  /**
   * All claims as plain Java values: strings, {@code Long}/{@code Double}, booleans, lists, maps.
   */
  public Map<String, Object> asMap() {
    return claims;
  }

  /** A claim's value, or null. */
  public Object get(String name) {
    return claims.get(name);
  }

  /**
   * A claim as text: a string as is, the first element of an array (e.g. a one-entry {@code aud}),
   * a number or boolean as written; empty when absent or null.
   */
  public Optional<String> text(String name) {
    Object v = claims.get(name);
    if (v instanceof List<?> l) {
      v = l.isEmpty() ? null : l.get(0);
    }
    if (v == null) {
      return Optional.empty();
    }
    return Optional.of(v instanceof Map || v instanceof List ? Json.write(v) : String.valueOf(v));
  }

  /** The text at a nested path, e.g. {@code ("google", "compute_engine", "instance_name")}. */
  public Optional<String> text(String... path) {
    return Json.text(claims, path);
  }

  /** The {@code exp} claim as an instant, when it is a number. */
  public Optional<Instant> expiry() {
    Object exp = claims.get("exp");
    return exp instanceof Number
        ? Optional.of(Instant.ofEpochSecond(((Number) exp).longValue()))
        : Optional.empty();
  }

  /**
   * The named claims that are present, in the given order, for a message: strings as is, other
   * values as JSON (an array {@code aud} stays an array).
   */
  public Map<String, String> shown(String... names) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : names) {
      Object v = claims.get(n);
      if (v != null) {
        out.put(n, v instanceof String ? (String) v : Json.write(v));
      }
    }
    return out;
  }

  /** The named claims that are present, in the given order, with their plain Java values. */
  public Map<String, Object> select(String... names) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String n : names) {
      if (claims.containsKey(n)) {
        out.put(n, claims.get(n));
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "JwtClaims" + claims;
  }
}

package io.github.wif4j.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * An OIDC issuer for tests: signs RS256 JWTs and verifies them, like a cluster's service-account
 * issuer, Entra, Google's accounts.google.com or AWS outbound identity federation.
 *
 * <pre>{@code
 * FakeJwtIssuer issuer = FakeJwtIssuer.create("https://oidc.example.test");
 * String jwt = issuer.issue("system:serviceaccount:ns:sa", "https://my-app", Duration.ofHours(1), Map.of());
 * Map<String, Object> claims = issuer.verify(jwt);
 * }</pre>
 *
 * <p>Thread-safe. Keys are generated per instance (RSA 2048).
 */
public final class FakeJwtIssuer {
  private volatile Clock clock = Clock.systemUTC();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final String issuer;
  private final String keyId;
  private final KeyPair keys;

  private FakeJwtIssuer(String issuer) {
    this.issuer = issuer;
    this.keyId = UUID.randomUUID().toString().substring(0, 8);
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      this.keys = g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** An issuer whose {@code iss} claim is {@code issuerUrl}. */
  public static FakeJwtIssuer create(String issuerUrl) {
    return new FakeJwtIssuer(issuerUrl);
  }

  /** The {@code iss} value. */
  public String issuer() {
    return issuer;
  }

  /**
   * The issuer's "now" for {@code iat}/{@code exp} of the tokens it issues and for {@link
   * #verify(String)}: give it the {@link FakeClock} the code under test uses (default: the system
   * clock).
   */
  public void useClock(Clock clock) {
    this.clock = java.util.Objects.requireNonNull(clock, "clock");
  }

  /** Signs {@code claims}, adding {@code iss}, {@code iat} and {@code exp} (+1 h) when absent. */
  public String issue(Map<String, Object> claims) {
    Map<String, Object> c = new LinkedHashMap<>();
    long now = clock.instant().getEpochSecond();
    c.put("iss", issuer);
    c.put("iat", now);
    c.put("exp", now + 3600);
    c.putAll(claims);
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", "RS256");
    header.put("kid", keyId);
    header.put("typ", "JWT");
    String signingInput =
        B64.encodeToString(Jsons.write(header).getBytes(StandardCharsets.UTF_8))
            + "."
            + B64.encodeToString(Jsons.write(c).getBytes(StandardCharsets.UTF_8));
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initSign(keys.getPrivate());
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + B64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Signs a token for {@code subject} and {@code audience} valid for {@code lifetime}. */
  public String issue(
      String subject, String audience, Duration lifetime, Map<String, Object> extraClaims) {
    Map<String, Object> c = new LinkedHashMap<>();
    long now = clock.instant().getEpochSecond();
    c.put("sub", subject);
    c.put("aud", audience);
    c.put("iat", now);
    c.put("exp", now + lifetime.getSeconds());
    c.putAll(extraClaims);
    return issue(c);
  }

  /**
   * Verifies signature, issuer and expiry; returns the claims.
   *
   * @throws IllegalArgumentException with the reason when the token is not valid
   */
  public Map<String, Object> verify(String jwt) {
    return verify(jwt, clock.instant());
  }

  /** Verifies as {@link #verify(String)} does, with {@code now} as the time for the expiry. */
  public Map<String, Object> verify(String jwt, Instant now) {
    String[] parts = jwt == null ? new String[0] : jwt.trim().split("\\.");
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a JWT (expected three dot-separated parts)");
    }
    Map<String, Object> header;
    try {
      header = Jsons.readMap(new String(B64D.decode(parts[0]), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed JWT header");
    }
    if (!"RS256".equals(header.get("alg"))) {
      throw new IllegalArgumentException("unsupported alg " + header.get("alg") + ", need RS256");
    }
    try {
      Signature s = Signature.getInstance("SHA256withRSA");
      s.initVerify(keys.getPublic());
      s.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      if (!s.verify(B64D.decode(parts[2]))) {
        throw new IllegalArgumentException("signature does not verify against " + issuer);
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("signature does not verify against " + issuer);
    }
    Map<String, Object> claims = decodeClaimsUnverified(jwt);
    if (!issuer.equals(claims.get("iss"))) {
      throw new IllegalArgumentException("issuer " + claims.get("iss") + " is not " + issuer);
    }
    Object exp = claims.get("exp");
    if (!(exp instanceof Number) || ((Number) exp).longValue() < now.getEpochSecond()) {
      throw new IllegalArgumentException("token expired at " + exp);
    }
    return claims;
  }

  /** The claims of any JWT, without verification; empty map when it is not a JWT. */
  public static Map<String, Object> decodeClaimsUnverified(String jwt) {
    String[] parts = jwt == null ? new String[0] : jwt.trim().split("\\.");
    if (parts.length < 2) {
      return Map.of();
    }
    try {
      return Jsons.readMap(new String(B64D.decode(parts[1]), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Map.of();
    }
  }

  @Override
  public String toString() {
    return "FakeJwtIssuer{" + issuer + ", kid=" + keyId + "}";
  }
}

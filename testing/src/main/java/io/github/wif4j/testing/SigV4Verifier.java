package io.github.wif4j.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 as AWS does, for the fakes that receive signed requests (Google
 * STS's AWS subject tokens, AWS STS calls from the AWS SDK).
 *
 * <pre>{@code
 * SigV4Verifier.Result r = SigV4Verifier.verify("POST", uri, headers, payload, now, secrets::get);
 * if (!r.valid()) { ... r.reason() ... }
 * }</pre>
 */
public final class SigV4Verifier {
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private SigV4Verifier() {}

  /**
   * The outcome: valid or the reason it is not, plus the parsed access key and region.
   *
   * @param valid whether the signature verifies
   * @param reason why not, when invalid
   * @param accessKeyId the access key id from the credential scope
   * @param region the region from the credential scope
   */
  public record Result(boolean valid, String reason, String accessKeyId, String region) {
    static Result fail(String reason) {
      return new Result(false, reason, null, null);
    }
  }

  /**
   * Verifies a signed request, with {@code now} as the verifier's time for the 15-minute signing
   * window.
   *
   * @param headers header name (any case) to values; must contain Authorization and X-Amz-Date
   * @param secretFor access key id to secret access key, or null when unknown
   */
  public static Result verify(
      String method,
      URI uri,
      Map<String, List<String>> headers,
      byte[] payload,
      Instant now,
      Function<String, String> secretFor) {
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey() != null && !e.getValue().isEmpty() && !h.containsKey(e.getKey())) {
        h.put(e.getKey(), e.getValue().get(0));
      }
    }
    String auth = h.get("Authorization");
    if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
      return Result.fail("missing AWS4-HMAC-SHA256 Authorization header");
    }
    Map<String, String> parts = new TreeMap<>();
    for (String p : auth.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
      int eq = p.indexOf('=');
      if (eq > 0) {
        parts.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
      }
    }
    String credential = parts.get("Credential");
    String signedHeaders = parts.get("SignedHeaders");
    String signature = parts.get("Signature");
    if (credential == null || signedHeaders == null || signature == null) {
      return Result.fail("Authorization header lacks Credential, SignedHeaders or Signature");
    }
    String[] scope = credential.split("/");
    if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
      return Result.fail("malformed credential scope");
    }
    String accessKeyId = scope[0];
    String date = scope[1];
    String region = scope[2];
    String service = scope[3];
    String amzDate = h.get("X-Amz-Date");
    if (amzDate == null) {
      return Result.fail("missing X-Amz-Date");
    }
    try {
      Instant signedAt = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
      if (Duration.between(signedAt, now).abs().compareTo(Duration.ofMinutes(15)) > 0) {
        return Result.fail("request signed at " + amzDate + ", more than 15 minutes ago");
      }
    } catch (RuntimeException e) {
      return Result.fail("malformed X-Amz-Date");
    }
    if (!amzDate.startsWith(date)) {
      return Result.fail("credential scope date does not match X-Amz-Date");
    }
    String secret = secretFor.apply(accessKeyId);
    if (secret == null) {
      return Result.fail("The security token included in the request is invalid (unknown key)");
    }
    StringBuilder canonical = new StringBuilder();
    canonical.append(method.toUpperCase(Locale.ROOT)).append('\n');
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    canonical.append(path).append('\n');
    canonical.append(canonicalQuery(uri.getRawQuery())).append('\n');
    for (String name : signedHeaders.split(";")) {
      String v = h.get(name);
      if (v == null) {
        if ("host".equals(name)) {
          v = uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        } else {
          return Result.fail("signed header " + name + " is missing");
        }
      }
      canonical.append(name).append(':').append(v.trim().replaceAll("\\s+", " ")).append('\n');
    }
    canonical.append('\n').append(signedHeaders).append('\n');
    String payloadHash = h.get("X-Amz-Content-Sha256");
    if (payloadHash == null || payloadHash.startsWith("UNSIGNED")) {
      payloadHash = hex(sha256(payload));
    }
    canonical.append(payloadHash);
    String stringToSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate
            + "\n"
            + date
            + "/"
            + region
            + "/"
            + service
            + "/aws4_request\n"
            + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII))) {
      return Result.fail(
          "The request signature we calculated does not match the signature you provided");
    }
    return new Result(true, null, accessKeyId, region);
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (String p : rawQuery.split("&")) {
      int eq = p.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? p : p.substring(0, eq), StandardCharsets.UTF_8);
      String v = URLDecoder.decode(eq < 0 ? "" : p.substring(eq + 1), StandardCharsets.UTF_8);
      pairs.add(encode(k) + "=" + encode(v));
    }
    Collections.sort(pairs);
    return String.join("&", pairs);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8)
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~");
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}

package io.github.wif4j.testing;

import static io.github.wif4j.testing.FakeResponse.oauthError;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Google Security Token Service ({@code POST /v1/token}) for Workload Identity Federation, over
 * https with {@link TestTls}'s certificate.
 *
 * <p>It checks what the real service checks: the form fields, the audience, and the subject token —
 * a real SigV4 verification of AWS GetCallerIdentity tokens, signature/issuer/audience/expiry of
 * OIDC JWTs — then the provider's attribute condition, and answers with Google's own error codes
 * and descriptions.
 *
 * <pre>{@code
 * FakeGoogleSts sts = new FakeGoogleSts().start();
 * sts.registerAwsCredentials("ASIA...", "secret", "arn:aws:sts::123456789012:assumed-role/app/i-0abc");
 * sts.trustIssuer(clusterIssuer, "https://my-app");
 * sts.setAttributeCondition(assertion -> assertion.get("arn").toString().contains("/app/"));
 * }</pre>
 */
public final class FakeGoogleSts extends FakeServer {
  /** The only grant type STS accepts. */
  public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";

  private static final Pattern AUDIENCE =
      Pattern.compile(
          "^//iam\\.googleapis\\.com/projects/(\\d+)/locations/global/workloadIdentityPools/"
              + "([a-z0-9-]+)/providers/([a-z0-9-]+)$");
  private static final Pattern STS_HOST =
      Pattern.compile("^sts(\\.[a-z0-9-]+)?\\.amazonaws\\.com$");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * One successful exchange.
   *
   * @param audience the audience
   * @param subjectTokenType the subject token type
   * @param scope the requested scope
   * @param assertion what the attribute condition saw: AWS {arn, account, userid, region} or JWT
   *     claims
   * @param principal {@code
   *     principal://iam.googleapis.com/projects/N/locations/global/workloadIdentityPools/P/subject/S}
   * @param accessToken the access token issued
   */
  public record Exchange(
      String audience,
      String subjectTokenType,
      String scope,
      Map<String, Object> assertion,
      String principal,
      String accessToken) {
    /** Copies the assertion. */
    public Exchange {
      assertion = Collections.unmodifiableMap(new LinkedHashMap<>(assertion));
    }

    @Override
    public String toString() {
      return "Exchange{" + principal + ", type=" + subjectTokenType + "}";
    }
  }

  private final Map<String, String[]> awsCredentials = new ConcurrentHashMap<>();
  private final Map<String, String[]> trustedIssuers = new ConcurrentHashMap<>();
  private final Map<String, FakeJwtIssuer> issuers = new ConcurrentHashMap<>();
  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
  private final Map<String, Exchange> byToken = new ConcurrentHashMap<>();
  private final AtomicInteger counter = new AtomicInteger();
  private volatile String expectedAudience;
  private volatile Predicate<Map<String, Object>> condition = a -> true;
  private volatile Duration lifetime = Duration.ofHours(1);
  private final Set<String> expiredAwsKeys = ConcurrentHashMap.newKeySet();
  private volatile Duration awsClockOffset = Duration.ZERO;

  /** A fake STS over https. Call {@link #start()}. */
  public FakeGoogleSts() {
    super(true);
  }

  @Override
  public FakeGoogleSts start() {
    super.start();
    return this;
  }

  /** {@code https://127.0.0.1:PORT/v1/token}. */
  public String tokenUrl() {
    return baseUri() + "/v1/token";
  }

  /** Only this audience is a known provider; others are {@code invalid_target}. */
  public FakeGoogleSts expectAudience(String audience) {
    this.expectedAudience = audience;
    return this;
  }

  /** Lets the fake verify SigV4 tokens signed with this key, for the given caller ARN. */
  public FakeGoogleSts registerAwsCredentials(
      String accessKeyId, String secretAccessKey, String callerArn) {
    awsCredentials.put(accessKeyId, new String[] {secretAccessKey, callerArn});
    return this;
  }

  /**
   * AWS now treats the session token of {@code accessKeyId} as expired: the replayed
   * GetCallerIdentity fails with {@code ExpiredToken}, relayed as {@code invalid_grant}.
   */
  public FakeGoogleSts expireAwsCredentials(String accessKeyId) {
    expiredAwsKeys.add(accessKeyId);
    return this;
  }

  /**
   * AWS's clock runs {@code offset} ahead of this JVM's (negative: behind). Beyond 15 minutes a
   * replayed GetCallerIdentity fails with {@code SignatureDoesNotMatch: Signature expired}, as when
   * the workload's clock is off.
   */
  public FakeGoogleSts setAwsClockOffset(Duration offset) {
    this.awsClockOffset = offset;
    return this;
  }

  /**
   * Forgets a key registered with {@link #registerAwsCredentials}: requests signed with it are
   * answered {@code invalid_grant}, as for a revoked or expired AWS key.
   */
  public FakeGoogleSts revokeAwsCredentials(String accessKeyId) {
    awsCredentials.remove(accessKeyId);
    return this;
  }

  /** Accepts JWTs from {@code issuer} whose {@code aud} is one of {@code allowedAudiences}. */
  public FakeGoogleSts trustIssuer(FakeJwtIssuer issuer, String... allowedAudiences) {
    trustedIssuers.put(issuer.issuer(), allowedAudiences.clone());
    issuers.put(issuer.issuer(), issuer);
    return this;
  }

  /** The provider's attribute condition over the assertion. Default: accept all. */
  public FakeGoogleSts setAttributeCondition(Predicate<Map<String, Object>> condition) {
    this.condition = condition == null ? a -> true : condition;
    return this;
  }

  /** {@code expires_in} of issued tokens. Default 1 h. */
  public FakeGoogleSts setTokenLifetime(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  /** Every access token issued, in order. */
  public List<String> issuedTokens() {
    return exchanges.stream().map(Exchange::accessToken).toList();
  }

  /** Whether this fake issued {@code token}. */
  public boolean isIssued(String token) {
    return token != null && byToken.containsKey(token);
  }

  /** The principal an issued token stands for, or null. */
  public String principalFor(String token) {
    Exchange e = token == null ? null : byToken.get(token);
    return e == null ? null : e.principal();
  }

  /** The successful exchanges, in order. */
  public List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    if (!"POST".equals(request.method()) || !"/v1/token".equals(request.path())) {
      return FakeResponse.json(404, Map.of("error", "not_found"));
    }
    Map<String, String> form = request.form();
    if (!GRANT_TYPE.equals(form.get("grant_type"))) {
      return oauthError(
          400,
          "unsupported_grant_type",
          "Invalid value for \"grant_type\": " + form.get("grant_type"));
    }
    if (!"urn:ietf:params:oauth:token-type:access_token".equals(form.get("requested_token_type"))) {
      return oauthError(400, "invalid_request", "Invalid value for \"requested_token_type\".");
    }
    String audience = form.get("audience");
    Matcher m = audience == null ? null : AUDIENCE.matcher(audience);
    if (m == null || !m.matches()) {
      return oauthError(
          400,
          "invalid_request",
          "Invalid value for \"audience\". This value should be the full resource name of the"
              + " Identity Provider. See"
              + " https://cloud.google.com/iam/docs/reference/sts/rest/v1/TopLevel/token for the"
              + " list of possible formats.");
    }
    if (expectedAudience != null && !expectedAudience.equals(audience)) {
      return oauthError(
          400,
          "invalid_target",
          "The target service indicated by the \"audience\" parameters is invalid. This might"
              + " either be because the pool or provider is disabled or deleted or because it"
              + " doesn't exist.");
    }
    String type = form.get("subject_token_type");
    String token = form.get("subject_token");
    if (token == null || token.isEmpty()) {
      return oauthError(400, "invalid_request", "Missing required parameter: subject_token.");
    }
    Map<String, Object> assertion;
    String subject;
    try {
      if ("urn:ietf:params:aws:token-type:aws4_request".equals(type)) {
        assertion = verifyAws(token, audience);
        subject = String.valueOf(assertion.get("arn"));
      } else if ("urn:ietf:params:oauth:token-type:jwt".equals(type)
          || "urn:ietf:params:oauth:token-type:id_token".equals(type)) {
        assertion = verifyJwt(token);
        subject = String.valueOf(assertion.get("sub"));
      } else {
        return oauthError(400, "invalid_request", "Invalid value for \"subject_token_type\".");
      }
    } catch (IllegalArgumentException e) {
      return oauthError(400, "invalid_grant", e.getMessage());
    }
    if (!condition.test(assertion)) {
      return oauthError(
          400,
          "unauthorized_client",
          "The given credential is rejected by the attribute condition.");
    }
    String principal =
        "principal://iam.googleapis.com/projects/"
            + m.group(1)
            + "/locations/global/workloadIdentityPools/"
            + m.group(2)
            + "/subject/"
            + subject;
    byte[] r = new byte[18];
    RANDOM.nextBytes(r);
    String accessToken = "sts-" + counter.incrementAndGet() + "-" + HexFormat.of().formatHex(r);
    Exchange ex =
        new Exchange(audience, type, form.get("scope"), assertion, principal, accessToken);
    exchanges.add(ex);
    byToken.put(accessToken, ex);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", accessToken);
    body.put("issued_token_type", "urn:ietf:params:oauth:token-type:access_token");
    body.put("token_type", "Bearer");
    body.put("expires_in", lifetime.getSeconds());
    return FakeResponse.json(200, body);
  }

  private Map<String, Object> verifyAws(String token, String audience) {
    String json = URLDecoder.decode(token, StandardCharsets.UTF_8);
    Map<String, Object> node;
    try {
      node = Jsons.readMap(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "The subject token is not a valid serialized AWS GetCallerIdentity request.");
    }
    String url = Jsons.text(node, "url", null);
    String method = Jsons.text(node, "method", "");
    if (url == null || !(node.get("headers") instanceof List)) {
      throw new IllegalArgumentException(
          "The subject token is not a valid serialized AWS GetCallerIdentity request.");
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (Object o : Jsons.list(node, "headers")) {
      @SuppressWarnings("unchecked")
      Map<String, Object> h = o instanceof Map ? (Map<String, Object>) o : Map.of();
      headers
          .computeIfAbsent(Jsons.text(h, "key", ""), k -> new ArrayList<>())
          .add(Jsons.text(h, "value", ""));
    }
    URI uri = URI.create(url);
    String host = uri.getHost();
    if (host == null || !STS_HOST.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "The AWS GetCallerIdentity request must be sent to an STS endpoint, not " + host + ".");
    }
    List<String> target = headers.get("x-goog-cloud-target-resource");
    if (target == null || !target.contains(audience)) {
      throw new IllegalArgumentException(
          "The x-goog-cloud-target-resource header does not match the audience.");
    }
    if (!"POST".equalsIgnoreCase(method)) {
      throw new IllegalArgumentException("The AWS request method must be POST.");
    }
    String skew = awsClockCheck(headers);
    if (skew != null) {
      throw awsError("SignatureDoesNotMatch", skew);
    }
    SigV4Verifier.Result r =
        SigV4Verifier.verify(
            method,
            uri,
            headers,
            new byte[0],
            now(),
            akid -> {
              String[] c = awsCredentials.get(akid);
              return c == null ? null : c[0];
            });
    if (!r.valid()) {
      String reason = String.valueOf(r.reason());
      if (reason.contains("unknown key")) {
        throw awsError(
            "InvalidClientTokenId", "The security token included in the request is invalid.");
      }
      if (reason.contains("does not match the signature")) {
        throw awsError(
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided."
                + " Check your AWS Secret Access Key and signing method. Consult the service"
                + " documentation for details.");
      }
      throw awsError("IncompleteSignature", reason);
    }
    if (expiredAwsKeys.contains(r.accessKeyId())) {
      throw awsError("ExpiredToken", "The security token included in the request is expired");
    }
    String arn = awsCredentials.get(r.accessKeyId())[1];
    Map<String, Object> assertion = new LinkedHashMap<>();
    assertion.put("arn", arn);
    String[] arnParts = arn.split(":");
    assertion.put("account", arnParts.length > 4 ? arnParts[4] : "");
    assertion.put(
        "userid",
        "AROA" + Math.abs(arn.hashCode()) + ":" + arn.substring(arn.lastIndexOf('/') + 1));
    assertion.put("region", r.region());
    return assertion;
  }

  /**
   * How Google STS relays AWS's refusal of the replayed request: {@code invalid_grant} with AWS's
   * error code and message [wording unverified; AWS's own texts are verbatim].
   */
  private static IllegalArgumentException awsError(String code, String message) {
    return new IllegalArgumentException(
        "Received invalid AWS response of type " + code + " with error message: " + message);
  }

  /** AWS's 15-minute SigV4 window against its own (offset) clock; null when inside. */
  private String awsClockCheck(Map<String, List<String>> headers) {
    List<String> date = headers.get("x-amz-date");
    if (date == null || date.isEmpty()) {
      return null;
    }
    java.time.format.DateTimeFormatter f =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC);
    java.time.Instant signed;
    try {
      signed = java.time.LocalDateTime.parse(date.get(0), f).toInstant(java.time.ZoneOffset.UTC);
    } catch (RuntimeException e) {
      return null;
    }
    java.time.Instant awsNow = now().plus(awsClockOffset);
    Duration window = Duration.ofMinutes(15);
    if (signed.isBefore(awsNow.minus(window))) {
      return "Signature expired: "
          + date.get(0)
          + " is now earlier than "
          + f.format(awsNow.minus(window))
          + " ("
          + f.format(awsNow)
          + " - 15 min.)";
    }
    if (signed.isAfter(awsNow.plus(window))) {
      return "Signature not yet current: "
          + date.get(0)
          + " is still later than "
          + f.format(awsNow.plus(window))
          + " ("
          + f.format(awsNow)
          + " + 15 min.)";
    }
    return null;
  }

  private Map<String, Object> verifyJwt(String jwt) {
    Map<String, Object> unverified = FakeJwtIssuer.decodeClaimsUnverified(jwt);
    if (unverified.isEmpty()) {
      throw new IllegalArgumentException("Unable to parse the ID Token.");
    }
    Object iss = unverified.get("iss");
    FakeJwtIssuer issuer = iss == null ? null : issuers.get(iss.toString());
    if (issuer == null) {
      throw new IllegalArgumentException(
          "The issuer in ID Token " + iss + " does not match the expected ISSUER.");
    }
    Map<String, Object> claims;
    try {
      claims = issuer.verify(jwt, now());
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith("token expired")) {
        throw new IllegalArgumentException("ID Token issued at ... is stale to sign-in.");
      }
      throw new IllegalArgumentException("Invalid ID Token: " + e.getMessage() + ".");
    }
    Object aud = claims.get("aud");
    List<String> auds =
        aud instanceof List<?> list
            ? list.stream().map(String::valueOf).toList()
            : aud == null ? List.of() : List.of(aud.toString());
    String[] allowed = trustedIssuers.get(iss.toString());
    if (allowed.length > 0 && Arrays.stream(allowed).noneMatch(auds::contains)) {
      throw new IllegalArgumentException(
          "The audience in ID Token "
              + auds
              + " does not match the expected audience "
              + String.join(",", allowed)
              + ".");
    }
    return claims;
  }
}

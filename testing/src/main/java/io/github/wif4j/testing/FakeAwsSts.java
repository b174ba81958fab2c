package io.github.wif4j.testing;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AWS Security Token Service over the Query API ({@code POST /}, form body, XML answers), plain
 * http on 127.0.0.1, for the Google → AWS direction and for AWS outbound identity federation.
 *
 * <ul>
 *   <li>{@code AssumeRoleWithWebIdentity} (unsigned): verifies the JWT against the {@linkplain
 *       #trustIssuer(FakeJwtIssuer, String...) trusted issuers}, then the role's trust policy
 *       ({@link #allowRole(String, Map)} with IAM condition keys such as {@code
 *       accounts.google.com:aud}, or {@link #allowRole(String, Predicate)}), and answers fresh
 *       {@code ASIA...} session credentials.
 *   <li>{@code GetCallerIdentity} (SigV4): a real signature check against the credentials this fake
 *       issued or those {@linkplain #registerCredentials(String, String, String) registered}.
 *   <li>{@code GetWebIdentityToken} (SigV4): an RS256 JWT signed by {@link #outboundIssuer()}
 *       ({@code iss} {@code https://<uuid>.tokens.sts.global.api.aws}, {@code sub} the role ARN).
 *       {@code SigningAlgorithm=ES384} is refused with {@code ValidationError} (Google accepts only
 *       RS256/ES256 tokens, so a client has no reason to ask for ES384).
 * </ul>
 *
 * <pre>{@code
 * FakeAwsSts sts = new FakeAwsSts().start();
 * sts.trustIssuer(gce.googleIssuer());
 * sts.allowRole("arn:aws:iam::123456789012:role/app",
 *     Map.of("accounts.google.com:aud", gce.serviceAccountUniqueId()));
 * StsClient client = StsClient.builder().endpointOverride(sts.endpoint()).region(Region.US_EAST_1)...;
 * sts.enqueueFault(FakeAwsSts.throttling());            // next call: 400 Throttling
 * }</pre>
 *
 * <p>Error codes follow the STS model, e.g. {@code InvalidIdentityToken}, {@code
 * ExpiredTokenException}, {@code AccessDenied}, {@code IDPRejectedClaim}, {@code
 * OutboundWebIdentityFederationDisabledException}, {@code SessionDurationEscalationException}.
 * Thread-safe.
 */
public final class FakeAwsSts extends FakeServer {
  /** The XML namespace of every STS response. */
  public static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";

  /** The account of role ARNs when tests need one. */
  public static final String ACCOUNT = "123456789012";

  private static final Pattern ROLE_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}):role/((?:[\\w+=,.@-]+/)*)([\\w+=,.@-]+)$");
  private static final Pattern ASSUMED_ROLE_ARN =
      Pattern.compile("^arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([\\w+=,.@-]+)/(.+)$");
  private static final Pattern SESSION_NAME = Pattern.compile("^[\\w+=,.@-]{2,64}$");
  private static final Pattern POLICY_ARN =
      Pattern.compile("^arn:aws[a-z-]*:iam::(\\d{12}|aws):policy/.+$");
  private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  private static final String MIXED = ALNUM + "abcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long MAX_SESSION_SECONDS = 3600; // a new IAM role's MaxSessionDuration
  private static final String INVALID_TOKEN =
      "The security token included in the request is invalid.";

  /**
   * One successful AssumeRoleWithWebIdentity.
   *
   * @param roleArn the role ARN requested
   * @param sessionName the RoleSessionName
   * @param durationSeconds the DurationSeconds granted
   * @param policy the session policy JSON, or null
   * @param policyArns the managed session policy ARNs
   * @param claims the verified claims of the web identity token
   * @param accessKeyId the access key id issued
   * @param expiration when the credentials expire
   */
  public record AssumedRole(
      String roleArn,
      String sessionName,
      long durationSeconds,
      String policy,
      List<String> policyArns,
      Map<String, Object> claims,
      String accessKeyId,
      Instant expiration) {
    /** Copies the lists and maps. */
    public AssumedRole {
      policyArns = List.copyOf(policyArns);
      claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
    }

    @Override
    public String toString() {
      return "AssumedRole{" + roleArn + ", session=" + sessionName + ", akid=" + accessKeyId + "}";
    }
  }

  /**
   * A key this fake accepts SigV4 signatures of; {@code sessionToken} null accepts any (or no)
   * session token, {@code expiration} null never expires.
   */
  private record Caller(
      String secret, String sessionToken, String principalArn, Instant expiration) {}

  private final Map<String, String[]> trustedIssuers = new ConcurrentHashMap<>();
  private final Map<String, FakeJwtIssuer> issuers = new ConcurrentHashMap<>();
  private final Map<String, Predicate<Map<String, Object>>> roles = new ConcurrentHashMap<>();
  private final Map<String, Caller> callers = new ConcurrentHashMap<>();
  private final List<AssumedRole> assumed = new CopyOnWriteArrayList<>();
  private final List<String> webIdentityTokens = new CopyOnWriteArrayList<>();
  private final FakeJwtIssuer outbound =
      FakeJwtIssuer.create("https://" + UUID.randomUUID() + ".tokens.sts.global.api.aws");
  private volatile Duration lifetimeOverride;
  private volatile boolean outboundEnabled = true;
  private final List<FakeGoogleSts> googleVerifiers = new CopyOnWriteArrayList<>();
  private volatile Predicate<Map<String, Object>> rejectClaims = c -> false;

  /** A fake STS over http. Call {@link #start()}. */
  public FakeAwsSts() {
    super(false);
  }

  /**
   * A fake STS over https ({@link TestTls}'s certificate) when {@code https}, as the real one is,
   * so that a client's TLS start-up is part of what is measured. Call {@link #start()}.
   */
  public FakeAwsSts(boolean https) {
    super(https);
  }

  @Override
  public FakeAwsSts start() {
    super.start();
    return this;
  }

  /**
   * Registers every credential set AssumeRoleWithWebIdentity issues from now on with {@code
   * google}, so a fake Google STS can verify GetCallerIdentity requests signed with them (EKS IRSA
   * → Google).
   */
  public FakeAwsSts trustedBy(FakeGoogleSts google) {
    googleVerifiers.add(google);
    return this;
  }

  /** The endpoint for {@code StsClient.builder().endpointOverride(...)}. */
  public URI endpoint() {
    return baseUri();
  }

  /**
   * Trusts JWTs signed by {@code issuer}. With {@code clientIds}, like an IAM OIDC provider's
   * client ID list, a token whose {@code aud} is not listed is {@code InvalidIdentityToken:
   * Incorrect token audience}; without, any audience passes here (Google's built-in {@code
   * accounts.google.com} provider) and the role's trust policy decides.
   */
  public FakeAwsSts trustIssuer(FakeJwtIssuer issuer, String... clientIds) {
    trustedIssuers.put(issuer.issuer(), clientIds.clone());
    issuers.put(issuer.issuer(), issuer);
    return this;
  }

  /**
   * Lets web identities assume {@code roleArn} when the trust policy's {@code StringEquals}
   * condition holds: every entry of {@code stringEquals} (IAM condition key such as {@code
   * accounts.google.com:aud}, {@code accounts.google.com:oaud}, {@code accounts.google.com:sub} or
   * {@code oidc.example.com:sub}) equals the value derived from the token, see {@link
   * #conditionKeys(Map)}.
   */
  public FakeAwsSts allowRole(String roleArn, Map<String, String> stringEquals) {
    Map<String, String> expected = Map.copyOf(stringEquals);
    return allowRole(
        roleArn,
        claims -> {
          Map<String, String> keys = conditionKeys(claims);
          return expected.entrySet().stream()
              .allMatch(e -> e.getValue().equals(keys.get(e.getKey())));
        });
  }

  /** Lets web identities whose verified claims match {@code claimsCondition} assume the role. */
  public FakeAwsSts allowRole(String roleArn, Predicate<Map<String, Object>> claimsCondition) {
    roles.put(roleArn, claimsCondition);
    return this;
  }

  /** Tokens matching {@code reject} are refused with {@code IDPRejectedClaim} (403). */
  public FakeAwsSts rejectClaims(Predicate<Map<String, Object>> reject) {
    this.rejectClaims = reject == null ? c -> false : reject;
    return this;
  }

  /**
   * Issues credentials with this lifetime whatever DurationSeconds says, e.g. a few seconds to test
   * expiry. Default: DurationSeconds.
   */
  public FakeAwsSts setCredentialLifetime(Duration lifetime) {
    this.lifetimeOverride = lifetime;
    return this;
  }

  /** Accepts SigV4 requests signed with this key pair, standing for {@code principalArn}. */
  public FakeAwsSts registerCredentials(
      String accessKeyId, String secretAccessKey, String principalArn) {
    callers.put(accessKeyId, new Caller(secretAccessKey, null, principalArn, null));
    return this;
  }

  /**
   * From now on the credentials of {@code accessKeyId} are expired: signed calls fail with {@code
   * ExpiredToken}.
   */
  public FakeAwsSts expireCredentials(String accessKeyId) {
    callers.computeIfPresent(
        accessKeyId, (k, c) -> new Caller(c.secret, c.sessionToken, c.principalArn, Instant.EPOCH));
    return this;
  }

  /** Whether GetWebIdentityToken works (IAM {@code EnableOutboundWebIdentityFederation}). */
  public FakeAwsSts setOutboundFederationEnabled(boolean enabled) {
    this.outboundEnabled = enabled;
    return this;
  }

  /** The issuer of GetWebIdentityToken JWTs; trust it in a FakeGoogleSts. */
  public FakeJwtIssuer outboundIssuer() {
    return outbound;
  }

  /** The successful AssumeRoleWithWebIdentity calls, in order. */
  public List<AssumedRole> assumedRoles() {
    return List.copyOf(assumed);
  }

  /** The JWTs GetWebIdentityToken issued, in order. */
  public List<String> webIdentityTokens() {
    return List.copyOf(webIdentityTokens);
  }

  /** How many requests asked for {@code action} (e.g. {@code AssumeRoleWithWebIdentity}). */
  public int actionCount(String action) {
    return (int) requests().stream().filter(r -> action.equals(params(r).get("Action"))).count();
  }

  /**
   * The IAM condition keys AWS derives from web identity token claims: for {@code
   * accounts.google.com}, {@code :aud} is {@code azp} when present (the service account's unique
   * id) else {@code aud}, {@code :oaud} is {@code aud} and {@code :sub} is {@code sub}; for other
   * issuers {@code <issuer without https://>:aud} and {@code :sub}.
   */
  public static Map<String, String> conditionKeys(Map<String, Object> claims) {
    Map<String, String> keys = new LinkedHashMap<>();
    String iss = String.valueOf(claims.get("iss"));
    String provider = iss.startsWith("https://") ? iss.substring("https://".length()) : iss;
    String aud = firstAudience(claims.get("aud"));
    Object azp = claims.get("azp");
    if ("accounts.google.com".equals(provider)) {
      keys.put(provider + ":aud", azp != null ? azp.toString() : aud);
      if (aud != null) {
        keys.put(provider + ":oaud", aud);
      }
    } else if (aud != null) {
      keys.put(provider + ":aud", aud);
    }
    if (claims.get("sub") != null) {
      keys.put(provider + ":sub", claims.get("sub").toString());
    }
    if (claims.get("email") != null) {
      keys.put(provider + ":email", claims.get("email").toString());
    }
    return keys;
  }

  /** A fault answering an STS error: {@code ErrorResponse} XML with {@code code}. */
  public static Fault errorFault(int status, String code, String message) {
    return Fault.status(status, "text/xml", errorXml(status, code, message));
  }

  /** {@code 400 Throttling: Rate exceeded}, which the AWS SDK retries. */
  public static Fault throttling() {
    return errorFault(400, "Throttling", "Rate exceeded");
  }

  /** {@code 400 IDPCommunicationError}, the transient failure to reach the OIDC issuer. */
  public static Fault idpCommunicationError() {
    return errorFault(
        400,
        "IDPCommunicationError",
        "The request could not be fulfilled because the identity provider (IDP) that was asked to"
            + " verify the incoming identity token could not be reached.");
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    if (!"/".equals(request.path())) {
      return error(404, "UnknownOperationException", "Unknown path " + request.path());
    }
    Map<String, String> p = params(request);
    if (!"2011-06-15".equals(p.get("Version"))) {
      return error(400, "InvalidParameterValue", "Version must be 2011-06-15");
    }
    String action = p.get("Action");
    return switch (String.valueOf(action)) {
      case "AssumeRoleWithWebIdentity" -> assumeRoleWithWebIdentity(p);
      case "GetCallerIdentity" -> callerIdentity(authenticate(request));
      case "GetWebIdentityToken" -> webIdentityToken(authenticate(request), p);
      default -> error(400, "InvalidAction", "Could not find operation " + action + " for version");
    };
  }

  private FakeResponse assumeRoleWithWebIdentity(Map<String, String> p) {
    String roleArn = p.get("RoleArn");
    String session = p.get("RoleSessionName");
    String token = p.get("WebIdentityToken");
    if (roleArn == null || session == null || token == null) {
      String missing =
          roleArn == null ? "roleArn" : session == null ? "roleSessionName" : "webIdentityToken";
      return validation(
          "Value null at '" + missing + "' failed to satisfy constraint: Member must not be null");
    }
    Matcher role = ROLE_ARN.matcher(roleArn);
    if (!role.matches()) {
      return validation(
          "Value '"
              + roleArn
              + "' at 'roleArn' failed to satisfy constraint: Member must be a role ARN");
    }
    if (!SESSION_NAME.matcher(session).matches()) {
      return validation(
          "Value '"
              + session
              + "' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: [\\w+=,.@-]* and have length between 2 and 64");
    }
    long duration = durationSeconds(p, 3600, 900, 43200);
    if (duration > MAX_SESSION_SECONDS) {
      return validation(
          "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    }
    String policy = p.get("Policy");
    if (policy != null) {
      try {
        Jsons.read(policy);
      } catch (IllegalArgumentException e) {
        return error(400, "MalformedPolicyDocument", "The policy is not in the valid JSON format.");
      }
    }
    List<String> policyArns = new ArrayList<>();
    for (int i = 1; p.containsKey("PolicyArns.member." + i + ".arn"); i++) {
      String arn = p.get("PolicyArns.member." + i + ".arn");
      if (!POLICY_ARN.matcher(arn).matches()) {
        return validation(
            "Value '" + arn + "' at 'policyArns." + i + ".member.arn' is not a policy ARN");
      }
      policyArns.add(arn);
    }
    Map<String, Object> unverified = FakeJwtIssuer.decodeClaimsUnverified(token);
    if (unverified.isEmpty()) {
      return error(400, "InvalidIdentityToken", "The ID Token provided is not a valid JWT.");
    }
    Object iss = unverified.get("iss");
    FakeJwtIssuer issuer = iss == null ? null : issuers.get(iss.toString());
    if (issuer == null) {
      return error(
          400,
          "InvalidIdentityToken",
          "No OpenIDConnect provider found in your account for " + iss);
    }
    Map<String, Object> claims;
    try {
      claims = issuer.verify(token, now());
    } catch (IllegalArgumentException e) {
      if (e.getMessage().startsWith("token expired")) {
        return error(
            400,
            "ExpiredTokenException",
            "Token expired: current date/time "
                + now().getEpochSecond()
                + " must be before the expiration date/time "
                + unverified.get("exp"));
      }
      return error(
          400, "InvalidIdentityToken", "Couldn't verify the token signature: " + e.getMessage());
    }
    String[] clientIds = trustedIssuers.get(iss.toString());
    if (clientIds.length > 0 && !List.of(clientIds).contains(firstAudience(claims.get("aud")))) {
      return error(400, "InvalidIdentityToken", "Incorrect token audience");
    }
    if (rejectClaims.test(claims)) {
      return error(
          403,
          "IDPRejectedClaim",
          "The identity provider rejected the claims in the web identity token.");
    }
    Predicate<Map<String, Object>> trust = roles.get(roleArn);
    if (trust == null || !trust.test(claims)) {
      return error(403, "AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity");
    }
    Duration lifetime = lifetimeOverride != null ? lifetimeOverride : Duration.ofSeconds(duration);
    Instant expiration = now().plus(lifetime).truncatedTo(ChronoUnit.SECONDS);
    String akid = "ASIA" + random(16, ALNUM);
    String secret = random(40, MIXED);
    String sessionToken = "IQoJb3JpZ2luX2VjE" + random(120, MIXED);
    String roleName = role.group(3);
    String assumedArn =
        "arn:aws:sts::" + role.group(1) + ":assumed-role/" + roleName + "/" + session;
    callers.put(akid, new Caller(secret, sessionToken, assumedArn, expiration));
    for (FakeGoogleSts google : googleVerifiers) {
      google.registerAwsCredentials(akid, secret, assumedArn);
    }
    assumed.add(
        new AssumedRole(roleArn, session, duration, policy, policyArns, claims, akid, expiration));
    String provider = iss.toString().replaceFirst("^https://", "");
    return success(
        "AssumeRoleWithWebIdentity",
        element(4, "SubjectFromWebIdentityToken", claims.get("sub"))
            + element(4, "Audience", conditionKeys(claims).get(provider + ":aud"))
            + "    <AssumedRoleUser>\n"
            + element(6, "Arn", assumedArn)
            + element(6, "AssumedRoleId", roleId(roleArn) + ":" + session)
            + "    </AssumedRoleUser>\n"
            + "    <Credentials>\n"
            + element(6, "AccessKeyId", akid)
            + element(6, "SecretAccessKey", secret)
            + element(6, "SessionToken", sessionToken)
            + element(6, "Expiration", expiration)
            + "    </Credentials>\n"
            + element(4, "Provider", provider));
  }

  /** The caller of a SigV4-signed request; else answers the STS error. */
  private Caller authenticate(RecordedRequest request) {
    String query = request.rawQuery();
    URI uri = URI.create(baseUri() + request.path() + (query.isEmpty() ? "" : "?" + query));
    SigV4Verifier.Result r =
        SigV4Verifier.verify(
            request.method(),
            uri,
            request.headers(),
            request.body(),
            now(),
            akid -> {
              Caller c = callers.get(akid);
              return c == null ? null : c.secret;
            });
    if (!r.valid()) {
      if (r.reason() != null && r.reason().contains("unknown key")) {
        throw new Answer(error(403, "InvalidClientTokenId", INVALID_TOKEN));
      }
      if (r.reason() != null && r.reason().startsWith("missing")) {
        throw new Answer(
            error(403, "MissingAuthenticationToken", "Request is missing Authentication Token"));
      }
      throw new Answer(error(403, "SignatureDoesNotMatch", String.valueOf(r.reason())));
    }
    Caller c = callers.get(r.accessKeyId());
    if (c.sessionToken != null && !c.sessionToken.equals(request.header("X-Amz-Security-Token"))) {
      throw new Answer(error(403, "InvalidClientTokenId", INVALID_TOKEN));
    }
    if (c.expiration != null && !now().isBefore(c.expiration)) {
      throw new Answer(
          error(400, "ExpiredToken", "The security token included in the request is expired"));
    }
    return c;
  }

  private FakeResponse callerIdentity(Caller c) {
    Matcher m = ASSUMED_ROLE_ARN.matcher(c.principalArn);
    String userId =
        m.matches()
            ? roleId(roleArnOf(c.principalArn)) + ":" + m.group(4)
            : "AIDA" + hashId(c.principalArn);
    return success(
        "GetCallerIdentity",
        element(4, "Arn", c.principalArn)
            + element(4, "UserId", userId)
            + element(4, "Account", account(c.principalArn)));
  }

  private FakeResponse webIdentityToken(Caller c, Map<String, String> p) {
    List<String> audiences = new ArrayList<>();
    for (int i = 1; p.containsKey("Audience.member." + i); i++) {
      audiences.add(p.get("Audience.member." + i));
    }
    if (audiences.isEmpty() || audiences.size() > 10) {
      return validation(
          "Value at 'audience' failed to satisfy constraint: Member must have length between 1 and"
              + " 10");
    }
    for (String a : audiences) {
      if (a.isEmpty() || a.length() > 1000) {
        return validation("Each audience must have length between 1 and 1000");
      }
    }
    String alg = p.get("SigningAlgorithm");
    if (alg == null) {
      return validation(
          "Value null at 'signingAlgorithm' failed to satisfy constraint: Member must not be null");
    }
    if (!"RS256".equals(alg)) {
      return validation(
          "SigningAlgorithm '"
              + alg
              + "' is not supported by this fake; use RS256 (the only algorithm both AWS and Google"
              + " STS accept)");
    }
    long duration = durationSeconds(p, 300, 60, 3600);
    if (!outboundEnabled) {
      return error(
          403,
          "OutboundWebIdentityFederationDisabledException",
          "Outbound web identity federation is disabled for this account. Call"
              + " iam:EnableOutboundWebIdentityFederation first.");
    }
    Instant now = now();
    Instant exp = now.plusSeconds(duration);
    if (c.expiration != null && exp.isAfter(c.expiration)) {
      return error(
          403,
          "SessionDurationEscalationException",
          "The requested token duration would extend beyond the caller's session expiration.");
    }
    Map<String, Object> requestTags = new LinkedHashMap<>();
    for (int i = 1; p.containsKey("Tags.member." + i + ".Key"); i++) {
      requestTags.put(
          p.get("Tags.member." + i + ".Key"), p.getOrDefault("Tags.member." + i + ".Value", ""));
    }
    Map<String, Object> aws = new LinkedHashMap<>();
    aws.put("aws_account", account(c.principalArn));
    aws.put("source_region", "us-east-1");
    aws.put("principal_tags", Map.of());
    aws.put("request_tags", requestTags);
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("aud", audiences.size() == 1 ? audiences.get(0) : audiences);
    claims.put("sub", roleArnOf(c.principalArn));
    claims.put("iat", now.getEpochSecond());
    claims.put("exp", exp.getEpochSecond());
    claims.put("jti", UUID.randomUUID().toString());
    claims.put("https://sts.amazonaws.com/", aws);
    String jwt = outbound.issue(claims);
    webIdentityTokens.add(jwt);
    return success(
        "GetWebIdentityToken",
        element(4, "WebIdentityToken", jwt)
            + element(4, "Expiration", Instant.ofEpochSecond(exp.getEpochSecond())));
  }

  private static Map<String, String> params(RecordedRequest r) {
    Map<String, String> p = new LinkedHashMap<>(r.query());
    String type = r.header("Content-Type");
    if (type == null
        || type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      p.putAll(r.form());
    }
    return p;
  }

  private static String firstAudience(Object aud) {
    if (aud instanceof List) {
      List<?> l = (List<?>) aud;
      return l.isEmpty() ? null : String.valueOf(l.get(0));
    }
    return aud == null ? null : aud.toString();
  }

  /** The account of a principal ARN. */
  private static String account(String principalArn) {
    String[] parts = principalArn.split(":");
    return parts.length > 4 ? parts[4] : ACCOUNT;
  }

  /** The role ARN behind an assumed-role session ARN; other principals stand for themselves. */
  private static String roleArnOf(String principalArn) {
    Matcher m = ASSUMED_ROLE_ARN.matcher(principalArn);
    return m.matches()
        ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3)
        : principalArn;
  }

  private static String roleId(String roleArn) {
    return "AROA" + hashId(roleArn);
  }

  private static String hashId(String s) {
    StringBuilder sb = new StringBuilder();
    long h = s.hashCode() & 0xffffffffL;
    for (int i = 0; i < 17; i++) {
      sb.append(ALNUM.charAt((int) (h % ALNUM.length())));
      h = h * 31 + i + 7;
      h &= 0xffffffffffL;
    }
    return sb.toString();
  }

  private static String random(int n, String alphabet) {
    StringBuilder sb = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  /**
   * {@code <ActionResponse>} holding {@code <ActionResult>} with {@code result}, and a request id.
   */
  private static FakeResponse success(String action, String result) {
    return FakeResponse.xml(
        200,
        "<"
            + action
            + "Response xmlns=\""
            + NAMESPACE
            + "\">\n  <"
            + action
            + "Result>\n"
            + result
            + "  </"
            + action
            + "Result>\n  <ResponseMetadata>\n"
            + element(4, "RequestId", UUID.randomUUID())
            + "  </ResponseMetadata>\n</"
            + action
            + "Response>\n");
  }

  /** {@code <name>value</name>} on a line of its own, indented by {@code indent} spaces. */
  private static String element(int indent, String name, Object value) {
    return " ".repeat(indent) + "<" + name + ">" + esc(String.valueOf(value)) + "</" + name + ">\n";
  }

  /** DurationSeconds, {@code fallback} when absent; else answers STS's ValidationError. */
  private static long durationSeconds(Map<String, String> p, long fallback, long min, long max) {
    String value = p.get("DurationSeconds");
    if (value == null) {
      return fallback;
    }
    long duration;
    try {
      duration = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new Answer(validation("Value at 'durationSeconds' is not a number"));
    }
    if (duration < min || duration > max) {
      throw new Answer(
          validation(
              "Value '"
                  + duration
                  + "' at 'durationSeconds' failed to satisfy constraint: Member must have value"
                  + " between "
                  + min
                  + " and "
                  + max));
    }
    return duration;
  }

  private static FakeResponse validation(String message) {
    return error(400, "ValidationError", "1 validation error detected: " + message);
  }

  private static FakeResponse error(int status, String code, String message) {
    return FakeResponse.xml(status, errorXml(status, code, message));
  }

  static String errorXml(int status, String code, String message) {
    return "<ErrorResponse xmlns=\""
        + NAMESPACE
        + "\">\n  <Error>\n"
        + element(4, "Type", status >= 500 ? "Receiver" : "Sender")
        + element(4, "Code", code)
        + element(4, "Message", message)
        + "  </Error>\n"
        + element(2, "RequestId", UUID.randomUUID())
        + "</ErrorResponse>\n";
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}

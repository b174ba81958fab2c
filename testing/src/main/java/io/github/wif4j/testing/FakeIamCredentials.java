package io.github.wif4j.testing;

import java.security.SecureRandom;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * IAM Service Account Credentials ({@code generateAccessToken}, {@code generateIdToken}) over
 * https, with Google's error envelope.
 *
 * <pre>{@code
 * FakeIamCredentials iam = new FakeIamCredentials().start();
 * iam.acceptTokensFrom(sts);
 * iam.allowImpersonation("app@proj.iam.gserviceaccount.com");
 * }</pre>
 *
 * <p>Without {@link #allowImpersonation(String)} a caller gets the real 403 {@code
 * PERMISSION_DENIED} envelope, as when {@code roles/iam.workloadIdentityUser} is missing.
 */
public final class FakeIamCredentials extends FakeServer {
  private static final Pattern PATH =
      Pattern.compile(
          "^/v1/projects/-/serviceAccounts/([^/:]+):(generateAccessToken|generateIdToken)$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final FakeJwtIssuer google = FakeJwtIssuer.create("https://accounts.google.com");
  private final Map<String, Predicate<String>> bindings = new ConcurrentHashMap<>();
  private final Set<String> issued = ConcurrentHashMap.newKeySet();
  private final List<String> issuedInOrder = new CopyOnWriteArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();
  private volatile Predicate<String> acceptBearer = t -> false;
  private volatile java.util.function.Function<String, String> principalOf = t -> "unknown";

  /** A fake over https. Call {@link #start()}. */
  public FakeIamCredentials() {
    super(true);
  }

  @Override
  public FakeIamCredentials start() {
    super.start();
    return this;
  }

  /** {@code https://127.0.0.1:PORT/v1/projects/-/serviceAccounts/EMAIL:generateAccessToken}. */
  public String impersonationUrl(String email) {
    return baseUri() + "/v1/projects/-/serviceAccounts/" + email + ":generateAccessToken";
  }

  /** Bearer tokens that authenticate callers. Default: none. */
  public FakeIamCredentials acceptBearerTokens(Predicate<String> accept) {
    this.acceptBearer = accept;
    return this;
  }

  /** Accepts the access tokens {@code sts} issued, and knows their principals. */
  public FakeIamCredentials acceptTokensFrom(FakeGoogleSts sts) {
    Predicate<String> before = acceptBearer;
    this.acceptBearer = t -> sts.isIssued(t) || before.test(t);
    java.util.function.Function<String, String> previous = principalOf;
    this.principalOf = t -> sts.isIssued(t) ? sts.principalFor(t) : previous.apply(t);
    return this;
  }

  /** Anyone with an accepted token may impersonate {@code email}. */
  public FakeIamCredentials allowImpersonation(String email) {
    bindings.put(email, p -> true);
    return this;
  }

  /** Principals matching {@code principal} may impersonate {@code email}. */
  public FakeIamCredentials allowImpersonation(String email, Predicate<String> principal) {
    bindings.put(email, principal);
    return this;
  }

  /** Removes every binding on {@code email}. */
  public FakeIamCredentials denyImpersonation(String email) {
    bindings.remove(email);
    return this;
  }

  /** The issuer of ID tokens ({@code https://accounts.google.com}). */
  public FakeJwtIssuer googleIssuer() {
    return google;
  }

  /** Access tokens issued, in order. */
  public List<String> issuedTokens() {
    return new ArrayList<>(issuedInOrder);
  }

  /** Whether this fake issued {@code token}. */
  public boolean isIssued(String token) {
    return token != null && issued.contains(token);
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    Matcher m = PATH.matcher(request.path());
    if (!"POST".equals(request.method()) || !m.matches()) {
      return FakeResponse.googleError(404, "NOT_FOUND", "Requested entity was not found.");
    }
    String bearer = request.bearerToken();
    if (bearer == null || !acceptBearer.test(bearer)) {
      return FakeResponse.googleError(
          401,
          "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token, login"
              + " cookie or other valid authentication credential.");
    }
    String email = m.group(1);
    Predicate<String> binding = bindings.get(email);
    String permission =
        "generateAccessToken".equals(m.group(2))
            ? "iam.serviceAccounts.getAccessToken"
            : "iam.serviceAccounts.getOpenIdToken";
    if (binding == null || !binding.test(principalOf.apply(bearer))) {
      return FakeResponse.permissionDenied("iam.googleapis.com", permission, null);
    }
    Map<String, Object> body;
    try {
      body = Jsons.readMap(request.bodyString());
    } catch (IllegalArgumentException e) {
      return FakeResponse.googleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    }
    if ("generateIdToken".equals(m.group(2))) {
      String audience = Jsons.text(body, "audience", "");
      if (audience.isEmpty()) {
        return FakeResponse.googleError(400, "INVALID_ARGUMENT", "audience is required");
      }
      Map<String, Object> claims = new LinkedHashMap<>();
      claims.put("aud", audience);
      String uniqueId = String.valueOf(100000000000000000L + Math.abs((long) email.hashCode()));
      claims.put("azp", uniqueId);
      claims.put("sub", uniqueId);
      if (Boolean.TRUE.equals(body.get("includeEmail"))) {
        claims.put("email", email);
        claims.put("email_verified", true);
      }
      return FakeResponse.json(200, Map.of("token", google.issue(claims)));
    }
    long seconds = 3600;
    String lifetime = Jsons.text(body, "lifetime", "3600s");
    try {
      seconds = Long.parseLong(lifetime.replaceAll("s$", ""));
    } catch (NumberFormatException e) {
      return FakeResponse.googleError(400, "INVALID_ARGUMENT", "Invalid value at 'lifetime'");
    }
    if (seconds < 1 || seconds > 43200) {
      return FakeResponse.googleError(
          400,
          "INVALID_ARGUMENT",
          "The lifetime of the requested token exceeds the maximum allowed lifetime of 43200s.");
    }
    byte[] r = new byte[18];
    RANDOM.nextBytes(r);
    String token = "iam-" + counter.incrementAndGet() + "-" + HexFormat.of().formatHex(r);
    issued.add(token);
    issuedInOrder.add(token);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("accessToken", token);
    out.put("expireTime", now().plusSeconds(seconds).truncatedTo(ChronoUnit.SECONDS).toString());
    return FakeResponse.json(200, out);
  }
}

package io.github.wif4j.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The EC2 instance metadata service (IMDS), and the Firecracker MMDS that Amazon Bedrock AgentCore
 * Runtime serves in the same place. Plain http, text bodies, the role credentials as JSON.
 *
 * <p>{@link Mode} picks how the session-token {@code PUT /latest/api/token} behaves: answered with
 * tokens required ({@code HttpTokens=required}), answered with tokens optional, unknown to the
 * service (404, an IMDSv1-only endpoint) or refused with 405 as MMDS V1 does. A hanging token PUT
 * (the hop-limit case behind a container bridge) is {@link #exceedPutHopLimit()}: the connection is
 * accepted and the PUT never answered, while tokenless GETs still work where v1 is allowed.
 *
 * <pre>{@code
 * FakeEc2Metadata imds = new FakeEc2Metadata(FakeEc2Metadata.Mode.V2_REQUIRED).start();
 * imds.trustedBy(cloud.sts());          // the fake Google STS verifies what these credentials sign
 * // AWS_EC2_METADATA_SERVICE_ENDPOINT = imds.baseUri()
 * }</pre>
 *
 * <p>Credentials rotate on {@link #rotateCredentials()}; each set is registered with every STS
 * passed to {@link #trustedBy(FakeGoogleSts)}.
 */
public final class FakeEc2Metadata extends FakeServer {
  private static final String TOKEN_PATH = "/latest/api/token";
  private static final String CREDS_PATH = "/latest/meta-data/iam/security-credentials/";
  private static final String EXTENDED_PATH =
      "/latest/meta-data/iam/security-credentials-extended/";

  /** How the service treats session tokens. */
  public enum Mode {
    /** IMDSv2 with {@code HttpTokens=required}: a GET without a valid token gets 401. */
    V2_REQUIRED,
    /** IMDSv2 with {@code HttpTokens=optional}: tokenless GETs work, bad tokens get 401. */
    V2_OPTIONAL,
    /** An IMDSv1-only endpoint: the token PUT is unknown (404); tokenless GETs work. */
    V1_ONLY,
    /**
     * Amazon Bedrock AgentCore Runtime / Firecracker MMDS V1: the token PUT is refused with 405 and
     * {@code Allow: GET}; tokenless GETs work.
     */
    AGENTCORE_MMDS,
    /**
     * Amazon Bedrock AgentCore Runtime with {@code requireMMDSV2} (Firecracker MMDS V2): the token
     * PUT answers a token (TTL header {@code X-metadata-token-ttl-seconds} or the EC2 name), and a
     * GET without a valid {@code X-metadata-token} / {@code X-aws-ec2-metadata-token} gets 401.
     */
    AGENTCORE_MMDS_V2
  }

  /**
   * One set of role credentials the fake handed out.
   *
   * @param accessKeyId {@code ASIA...}
   * @param secretAccessKey the secret key (tests scan output for it)
   * @param sessionToken the session token (tests scan output for it)
   * @param expiration when they expire
   */
  public record IssuedCredentials(
      String accessKeyId, String secretAccessKey, String sessionToken, Instant expiration) {
    @Override
    public String toString() {
      return "IssuedCredentials{" + accessKeyId + ", expires " + expiration + "}";
    }
  }

  private final Mode mode;
  private final Map<String, Instant> sessionTokens = new ConcurrentHashMap<>();
  private final CredentialRotation credentials = new CredentialRotation("ASIAFAKEIMDS", "imds");
  private volatile String accountId = "123456789012";
  private volatile String roleName = "wif4j-ec2-role";
  private volatile String instanceId = "i-0fake1234567890abc";
  private volatile String region = "us-east-1";
  private volatile Duration credentialLifetime = Duration.ofHours(6);

  /** IMDSv2 with tokens required, the EC2 default for new instances. */
  public FakeEc2Metadata() {
    this(Mode.V2_REQUIRED);
  }

  /** A service in the given mode. */
  public FakeEc2Metadata(Mode mode) {
    super(false);
    this.mode = mode;
    rotateCredentials();
  }

  @Override
  public FakeEc2Metadata start() {
    super.start();
    return this;
  }

  /** The attached role; {@code null} detaches it (role list answers 404, as on a bare instance). */
  public FakeEc2Metadata setRole(String roleName) {
    this.roleName = roleName;
    return this;
  }

  /** The region (and availability zone {@code REGION + "a"}). Default {@code us-east-1}. */
  public FakeEc2Metadata setRegion(String region) {
    this.region = region;
    return this;
  }

  /** Lifetime of the next credentials. Default 6 h, like instance profile credentials. */
  public FakeEc2Metadata setCredentialLifetime(Duration lifetime) {
    this.credentialLifetime = lifetime;
    return this;
  }

  /** The role's session ARN as STS GetCallerIdentity reports it. */
  public String callerArn() {
    return "arn:aws:sts::" + accountId + ":assumed-role/" + roleName + "/" + instanceId;
  }

  /** The role ARN ({@code arn:aws:iam::ACCOUNT:role/NAME}), what attribute conditions match. */
  public String roleArn() {
    return "arn:aws:iam::" + accountId + ":role/" + roleName;
  }

  /** Issues a new set of credentials, served from now on. */
  public IssuedCredentials rotateCredentials() {
    return credentials.rotate(now().plus(credentialLifetime));
  }

  /** The credentials served now. */
  public IssuedCredentials currentCredentials() {
    return credentials.current();
  }

  /** Registers the current and all future credentials with {@code sts} for SigV4 checks. */
  public FakeEc2Metadata trustedBy(FakeGoogleSts sts) {
    credentials.trustedBy(sts, this::callerArn);
    return this;
  }

  /**
   * Simulates {@code HttpPutResponseHopLimit=1} seen from a container: every token PUT is accepted
   * and never answered (the reply dies one hop early), until the server closes. Tokenless GETs are
   * unaffected, so they work unless the mode requires tokens.
   */
  public FakeEc2Metadata exceedPutHopLimit() {
    enqueueFault(Fault.hang().onPath(TOKEN_PATH).times(Integer.MAX_VALUE));
    return this;
  }

  /** How many session-token PUTs arrived. */
  public int tokenRequestCount() {
    return requestCount(TOKEN_PATH);
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    String path = request.path();
    if (TOKEN_PATH.equals(path)) {
      return token(request);
    }
    if (!"GET".equals(request.method()) && !"HEAD".equals(request.method())) {
      return FakeResponse.text(405, "Method Not Allowed").withHeader("Allow", "GET, HEAD, PUT");
    }
    FakeResponse denied = checkToken(request);
    if (denied != null) {
      return denied;
    }
    if (path.equals(CREDS_PATH.substring(0, CREDS_PATH.length() - 1))) {
      path = CREDS_PATH; // IMDS lists the role with or without the trailing slash (gcloud omits it)
    }
    if (path.startsWith(CREDS_PATH)) {
      return credentials(path.substring(CREDS_PATH.length()), false);
    }
    if (path.startsWith(EXTENDED_PATH)) {
      if (mode == Mode.AGENTCORE_MMDS || mode == Mode.AGENTCORE_MMDS_V2) {
        return notFound();
      }
      return credentials(path.substring(EXTENDED_PATH.length()), true);
    }
    return switch (path) {
      case "/latest/meta-data/" ->
          FakeResponse.text(200, "ami-id\nhostname\niam/\ninstance-id\nlocal-ipv4\nplacement/");
      case "/latest/meta-data/placement/availability-zone" -> FakeResponse.text(200, region + "a");
      case "/latest/meta-data/placement/region" -> FakeResponse.text(200, region);
      case "/latest/meta-data/instance-id" -> FakeResponse.text(200, instanceId);
      case "/latest/dynamic/instance-identity/document" ->
          FakeResponse.json(
              200,
              Map.of(
                  "accountId", accountId,
                  "availabilityZone", region + "a",
                  "instanceId", instanceId,
                  "region", region));
      default -> notFound();
    };
  }

  private FakeResponse token(RecordedRequest request) {
    if (mode == Mode.V1_ONLY) {
      return notFound();
    }
    if (mode == Mode.AGENTCORE_MMDS) {
      return FakeResponse.text(405, "Method Not Allowed").withHeader("Allow", "GET");
    }
    if (!"PUT".equals(request.method())) {
      return FakeResponse.text(405, "Method Not Allowed").withHeader("Allow", "PUT");
    }
    if (request.header("X-Forwarded-For") != null) {
      return FakeResponse.text(400, "X-Forwarded-For is not allowed");
    }
    String ttl = request.header("X-aws-ec2-metadata-token-ttl-seconds");
    if (ttl == null && mode == Mode.AGENTCORE_MMDS_V2) {
      ttl = request.header("X-metadata-token-ttl-seconds"); // MMDS's own header name
    }
    int seconds;
    try {
      seconds = ttl == null ? -1 : Integer.parseInt(ttl.trim());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 1 || seconds > 21600) {
      return FakeResponse.text(400, "Bad Request: invalid or missing token TTL");
    }
    String token = "AQAEAFake" + UUID.randomUUID().toString().replace("-", "") + "==";
    sessionTokens.put(token, now().plusSeconds(seconds));
    return FakeResponse.text(200, token)
        .withHeader("X-aws-ec2-metadata-token-ttl-seconds", Integer.toString(seconds));
  }

  private FakeResponse checkToken(RecordedRequest request) {
    String token = request.header("X-aws-ec2-metadata-token");
    if (token == null && mode == Mode.AGENTCORE_MMDS_V2) {
      token = request.header("X-metadata-token");
    }
    if (token == null) {
      return mode == Mode.V2_REQUIRED || mode == Mode.AGENTCORE_MMDS_V2
          ? FakeResponse.text(401, "Unauthorized")
          : null;
    }
    if (mode == Mode.V1_ONLY || mode == Mode.AGENTCORE_MMDS) {
      return null; // token headers are ignored where tokens do not exist
    }
    Instant expiry = sessionTokens.get(token);
    if (expiry == null || now().isAfter(expiry)) {
      return FakeResponse.text(401, "Unauthorized");
    }
    return null;
  }

  private FakeResponse credentials(String rest, boolean extended) {
    String role = roleName;
    if (role == null) {
      return notFound();
    }
    if (rest.isEmpty()) {
      return FakeResponse.text(200, role);
    }
    if (!rest.equals(role)) {
      return notFound();
    }
    IssuedCredentials c = credentials.current();
    StringBuilder json = new StringBuilder();
    json.append("{\n  \"Code\" : \"Success\",\n  \"LastUpdated\" : \"")
        .append(now().truncatedTo(ChronoUnit.SECONDS))
        .append("\",\n  \"Type\" : \"AWS-HMAC\",\n  \"AccessKeyId\" : \"")
        .append(c.accessKeyId())
        .append("\",\n  \"SecretAccessKey\" : \"")
        .append(c.secretAccessKey())
        .append("\",\n  \"Token\" : \"")
        .append(c.sessionToken())
        .append("\",\n  \"Expiration\" : \"")
        .append(c.expiration());
    if (extended) {
      json.append("\",\n  \"AccountId\" : \"").append(accountId);
    }
    json.append("\"\n}");
    return FakeResponse.of(200, "text/plain", json.toString());
  }

  private static FakeResponse notFound() {
    return FakeResponse.of(
        404,
        "text/html",
        "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>\n<html><head><title>404 - Not Found"
            + "</title></head><body><h1>404 - Not Found</h1></body></html>");
  }
}

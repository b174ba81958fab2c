package io.github.wif4j.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The AWS container credentials endpoint: ECS task roles ({@code
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI}), EKS Pod Identity and Lambda SnapStart ({@code
 * AWS_CONTAINER_CREDENTIALS_FULL_URI} with {@code AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]}). Plain
 * http on loopback. The {@code Authorization} header is compared verbatim (no {@code Bearer}).
 *
 * <pre>{@code
 * FakeContainerCredentials ecs = new FakeContainerCredentials("/v2/credentials/abc").start();
 * ecs.requireAuthorization("snapstart-token");  // optional
 * ecs.trustedBy(cloud.sts());
 * // AWS_CONTAINER_CREDENTIALS_FULL_URI = ecs.credentialsUri()
 * }</pre>
 */
public final class FakeContainerCredentials extends FakeServer {
  private static final String ACCOUNT = "123456789012";
  private static final String ROLE = "wif4j-task-role";

  private final String path;
  private final CredentialRotation credentials = new CredentialRotation("ASIAFAKECTR", "container");
  private volatile String authorization;
  private volatile Duration lifetime = Duration.ofHours(6);

  /**
   * Serves credentials at {@code path}, e.g. {@code /v2/credentials/UUID} or {@code
   * /v1/credentials}.
   */
  public FakeContainerCredentials(String path) {
    super(false);
    this.path = path;
    rotateCredentials();
  }

  @Override
  public FakeContainerCredentials start() {
    super.start();
    return this;
  }

  /** The path credentials are served at (what {@code ..._RELATIVE_URI} holds). */
  public String path() {
    return path;
  }

  /** {@code http://127.0.0.1:PORT/PATH}, for {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}. */
  public String credentialsUri() {
    return baseUri() + path;
  }

  /** Requires this exact {@code Authorization} value; {@code null} requires none (ECS). */
  public FakeContainerCredentials requireAuthorization(String value) {
    this.authorization = value;
    return this;
  }

  /** The role ARN. */
  public String roleArn() {
    return "arn:aws:iam::" + ACCOUNT + ":role/" + ROLE;
  }

  /** The session ARN GetCallerIdentity reports for these credentials. */
  public String callerArn() {
    return "arn:aws:sts::" + ACCOUNT + ":assumed-role/" + ROLE + "/task-0fake";
  }

  /** Lifetime of the next credentials. */
  public FakeContainerCredentials setCredentialLifetime(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  /** Issues and serves a new set of credentials. */
  public FakeEc2Metadata.IssuedCredentials rotateCredentials() {
    return credentials.rotate(now().plus(lifetime));
  }

  /** The credentials served now. */
  public FakeEc2Metadata.IssuedCredentials currentCredentials() {
    return credentials.current();
  }

  /** Registers the current and future credentials with {@code sts} for SigV4 checks. */
  public FakeContainerCredentials trustedBy(FakeGoogleSts sts) {
    credentials.trustedBy(sts, this::callerArn);
    return this;
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    if (!request.path().equals(path)) {
      return error(404, "NotFound", "No credentials at this path");
    }
    if (!"GET".equals(request.method())) {
      return error(405, "MethodNotAllowed", "Use GET");
    }
    String expected = authorization;
    if (expected != null) {
      String got = request.header("Authorization");
      if (got == null) {
        return error(401, "AccessDeniedException", "Authorization header is missing");
      }
      if (!got.equals(expected)) {
        return error(403, "AccessDeniedException", "Authorization token is not valid");
      }
    }
    FakeEc2Metadata.IssuedCredentials c = credentials.current();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("AccessKeyId", c.accessKeyId());
    body.put("SecretAccessKey", c.secretAccessKey());
    body.put("Token", c.sessionToken());
    body.put("Expiration", c.expiration().toString());
    body.put("RoleArn", roleArn());
    body.put("AccountId", ACCOUNT);
    return FakeResponse.json(200, body);
  }

  private static FakeResponse error(int status, String code, String message) {
    return FakeResponse.json(status, Map.of("code", code, "message", message));
  }
}

package io.github.wif4j.testing;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AWS Systems Manager Parameter Store ({@code GetParameter}) and Secrets Manager ({@code
 * GetSecretValue}) on one loopback port, speaking their AWS JSON 1.1 protocol: {@code POST /},
 * {@code X-Amz-Target: AmazonSSM.GetParameter} or {@code secretsmanager.GetSecretValue}, error
 * bodies {@code {"__type":"...","message":"..."}} with the services' own texts.
 *
 * <pre>{@code
 * FakeAwsConfigStores aws = new FakeAwsConfigStores().start();
 * aws.putParameter("/wif4j/credential-config", json, true);   // a SecureString
 * aws.denyDecrypt();                                          // the role lacks kms:Decrypt
 * // SsmClient.builder().endpointOverride(aws.baseUri()) ...
 * }</pre>
 *
 * <p>Requests must carry a SigV4 {@code Authorization} header; the signature itself is not checked.
 */
public final class FakeAwsConfigStores extends FakeServer {
  private static final String ACCOUNT = "123456789012";
  private static final String CALLER = "arn:aws:sts::" + ACCOUNT + ":assumed-role/lambda-role/fn";

  private final Map<String, String[]> parameters = new ConcurrentHashMap<>();
  private final Map<String, String> secrets = new ConcurrentHashMap<>();
  private final Set<String> denied = ConcurrentHashMap.newKeySet();
  private volatile boolean denyDecrypt;
  private volatile String region = "us-east-1";

  /** Plain http on 127.0.0.1. */
  public FakeAwsConfigStores() {
    super(false);
  }

  @Override
  public FakeAwsConfigStores start() {
    super.start();
    return this;
  }

  /** The endpoint to pass as the SDK client's {@code endpointOverride}. */
  public URI endpoint() {
    return baseUri();
  }

  /** Stores a parameter; {@code secure} makes it a {@code SecureString} (KMS-encrypted). */
  public FakeAwsConfigStores putParameter(String name, String value, boolean secure) {
    parameters.put(name, new String[] {value, secure ? "SecureString" : "String"});
    return this;
  }

  /** Stores a secret's {@code SecretString}. */
  public FakeAwsConfigStores putSecret(String name, String value) {
    secrets.put(name, value);
    return this;
  }

  /**
   * The caller lacks the permission for {@code action} ({@code ssm:GetParameter} or {@code
   * secretsmanager:GetSecretValue}): {@code AccessDeniedException}.
   */
  public FakeAwsConfigStores deny(String action) {
    denied.add(action);
    return this;
  }

  /** The caller may read SecureStrings but not decrypt them ({@code kms:Decrypt} missing). */
  public FakeAwsConfigStores denyDecrypt() {
    this.denyDecrypt = true;
    return this;
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    String target = request.header("X-Amz-Target");
    String auth = request.header("Authorization");
    if (!"POST".equals(request.method()) || target == null) {
      return error(404, "UnknownOperationException", null);
    }
    if (auth == null || !auth.startsWith("AWS4-HMAC-SHA256 ")) {
      return error(400, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    Map<String, Object> body;
    try {
      body = Jsons.readMap(request.bodyString());
    } catch (IllegalArgumentException e) {
      return error(400, "SerializationException", null);
    }
    return switch (target) {
      case "AmazonSSM.GetParameter" -> getParameter(body);
      case "secretsmanager.GetSecretValue" -> getSecretValue(body);
      default -> error(400, "UnknownOperationException", null);
    };
  }

  private FakeResponse getParameter(Map<String, Object> body) {
    String name = Jsons.text(body, "Name", "");
    String arn = "arn:aws:ssm:" + region + ":" + ACCOUNT + ":parameter" + slash(name);
    if (denied.contains("ssm:GetParameter")) {
      return error(400, "AccessDeniedException", notAuthorized("ssm:GetParameter", arn));
    }
    String[] p = parameters.get(name);
    if (p == null) {
      return error(400, "ParameterNotFound", null);
    }
    boolean decrypt = Boolean.TRUE.equals(body.get("WithDecryption"));
    String value = p[0];
    if ("SecureString".equals(p[1])) {
      if (decrypt && denyDecrypt) {
        return error(
            400,
            "AccessDeniedException",
            notAuthorized(
                "kms:Decrypt",
                "arn:aws:kms:"
                    + region
                    + ":"
                    + ACCOUNT
                    + ":key/1234abcd-12ab-34cd-56ef-1234567890ab"));
      }
      if (!decrypt) {
        value = "AQICAHiFakeCiphertextBlob" + Integer.toHexString(value.hashCode());
      }
    }
    Map<String, Object> parameter = new LinkedHashMap<>();
    parameter.put("Name", name);
    parameter.put("Type", p[1]);
    parameter.put("Value", value);
    parameter.put("Version", 1);
    parameter.put("LastModifiedDate", 1.7e9);
    parameter.put("ARN", arn);
    parameter.put("DataType", "text");
    return FakeResponse.of(
        200, "application/x-amz-json-1.1", Jsons.write(Map.of("Parameter", parameter)));
  }

  private FakeResponse getSecretValue(Map<String, Object> body) {
    String id = Jsons.text(body, "SecretId", "");
    String arn = "arn:aws:secretsmanager:" + region + ":" + ACCOUNT + ":secret:" + id + "-AbCdEf";
    if (denied.contains("secretsmanager:GetSecretValue")) {
      return error(
          400, "AccessDeniedException", notAuthorized("secretsmanager:GetSecretValue", arn));
    }
    String value = secrets.get(id);
    if (value == null) {
      return error(
          400, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ARN", arn);
    out.put("Name", id);
    out.put("VersionId", "01234567-89ab-cdef-0123-456789abcdef");
    out.put("SecretString", value);
    out.put("VersionStages", java.util.List.of("AWSCURRENT"));
    out.put("CreatedDate", 1.7e9);
    return FakeResponse.of(200, "application/x-amz-json-1.1", Jsons.write(out));
  }

  private static String notAuthorized(String action, String resource) {
    return "User: "
        + CALLER
        + " is not authorized to perform: "
        + action
        + " on resource: "
        + resource
        + " because no identity-based policy allows the "
        + action
        + " action";
  }

  private static String slash(String name) {
    return name.startsWith("/") ? name : "/" + name;
  }

  private static FakeResponse error(int status, String type, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("__type", type);
    if (message != null) {
      body.put("message", message);
    }
    return FakeResponse.of(status, "application/x-amz-json-1.1", Jsons.write(body))
        .withHeader("x-amzn-ErrorType", type);
  }
}

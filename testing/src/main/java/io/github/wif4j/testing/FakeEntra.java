package io.github.wif4j.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Entra ID v2 token endpoint for workload identity federation ({@code POST
 * /TENANT/oauth2/v2.0/token}, {@code client_credentials} with a {@code client_assertion} JWT), as
 * AKS workload identity uses it. Federated identity credentials are registered with {@link
 * #addFederatedCredential}; an assertion matching none gets the real {@code AADSTS70021} error.
 * Serves https (like login.microsoftonline.com) with {@link TestTls}.
 */
public final class FakeEntra extends FakeServer {
  /** The audience AKS projects into service account tokens for Entra. */
  public static final String TOKEN_EXCHANGE_AUDIENCE = "api://AzureADTokenExchange";

  private record Federated(String clientId, FakeJwtIssuer issuer, String subject) {}

  private final FakeAzureIdentity tenant;
  private final FakeJwtIssuer v2;
  private final List<Federated> federated = new CopyOnWriteArrayList<>();
  private final List<String> issued = new CopyOnWriteArrayList<>();

  /** An Entra tenant. */
  public FakeEntra(FakeAzureIdentity tenant) {
    super(true);
    this.tenant = tenant;
    this.v2 =
        FakeJwtIssuer.create("https://login.microsoftonline.com/" + tenant.tenantId() + "/v2.0");
  }

  @Override
  public FakeEntra start() {
    super.start();
    return this;
  }

  /** What {@code AZURE_AUTHORITY_HOST} holds: {@code https://127.0.0.1:PORT/}. */
  public String authorityHost() {
    return baseUri() + "/";
  }

  /** The issuer of the v2 access tokens this endpoint returns. */
  public FakeJwtIssuer issuer() {
    return v2;
  }

  /** Access tokens issued. */
  public List<String> issuedTokens() {
    return List.copyOf(issued);
  }

  /**
   * Trusts tokens of {@code issuer} with subject {@code subject} and audience {@code
   * api://AzureADTokenExchange} for the app (or user-assigned identity) {@code clientId}.
   */
  public FakeEntra addFederatedCredential(String clientId, FakeJwtIssuer issuer, String subject) {
    federated.add(new Federated(clientId, issuer, subject));
    return this;
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    String expected = "/" + tenant.tenantId() + "/oauth2/v2.0/token";
    if (!request.path().equals(expected) || !"POST".equals(request.method())) {
      return error(
          400,
          "invalid_request",
          900023,
          "AADSTS900023: Specified tenant identifier is neither a valid DNS name, nor a valid external domain.");
    }
    Map<String, String> form = request.form();
    if (!"client_credentials".equals(form.get("grant_type"))
        || !"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            .equals(form.get("client_assertion_type"))) {
      return error(
          400,
          "unsupported_grant_type",
          70003,
          "AADSTS70003: The app requested an unsupported grant type.");
    }
    String scope = form.getOrDefault("scope", "");
    if (!scope.endsWith("/.default")) {
      return error(
          400,
          "invalid_scope",
          1002012,
          "AADSTS1002012: The provided value for scope "
              + scope
              + " is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.");
    }
    String clientId = form.get("client_id");
    String assertion = form.getOrDefault("client_assertion", "");
    Map<String, Object> claims;
    try {
      claims = FakeJwtIssuer.decodeClaimsUnverified(assertion);
    } catch (RuntimeException e) {
      return error(400, "invalid_client", 50027, "AADSTS50027: JWT token is invalid or malformed.");
    }
    Federated match = null;
    for (Federated f : federated) {
      if (f.clientId.equals(clientId)
          && f.issuer.issuer().equals(claims.get("iss"))
          && f.subject.equals(claims.get("sub"))
          && TOKEN_EXCHANGE_AUDIENCE.equals(claims.get("aud"))) {
        match = f;
        break;
      }
    }
    if (match == null) {
      return error(
          400,
          "invalid_request",
          70021,
          "AADSTS70021: No matching federated identity record found for presented assertion."
              + " Assertion Issuer: '"
              + claims.get("iss")
              + "'. Assertion Subject: '"
              + claims.get("sub")
              + "'. Assertion Audience: '"
              + claims.get("aud")
              + "'."
              + " https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation\r\n"
              + "Trace ID: "
              + UUID.randomUUID()
              + "\r\nCorrelation ID: "
              + UUID.randomUUID()
              + "\r\nTimestamp: "
              + now());
    }
    try {
      match.issuer.verify(assertion, now());
    } catch (IllegalArgumentException e) {
      return error(
          400,
          "invalid_client",
          700027,
          "AADSTS700027: Client assertion failed signature validation.");
    }
    String resource = scope.substring(0, scope.length() - "/.default".length());
    long now = now().getEpochSecond();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("aud", resource);
    c.put("azp", clientId);
    c.put(
        "oid",
        "9d4e3f2a-"
            + clientId.substring(0, Math.min(8, clientId.length()))
            + "-4000-8000-000000000000");
    c.put("sub", c.get("oid"));
    c.put("tid", tenant.tenantId());
    c.put("iat", now);
    c.put("exp", now + 3599);
    String token = v2.issue(c);
    issued.add(token);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("expires_in", 3599);
    body.put("ext_expires_in", 3599);
    body.put("access_token", token);
    return FakeResponse.json(200, body);
  }

  private static FakeResponse error(int status, String error, int code, String description) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put("error_description", description);
    body.put("error_codes", new ArrayList<>(List.of(code)));
    body.put("timestamp", Instant.now().toString());
    body.put("trace_id", UUID.randomUUID().toString());
    body.put("correlation_id", UUID.randomUUID().toString());
    body.put("error_uri", "https://login.microsoftonline.com/error?code=" + code);
    return FakeResponse.json(status, body);
  }
}

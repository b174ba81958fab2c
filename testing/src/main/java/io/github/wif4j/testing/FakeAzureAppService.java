package io.github.wif4j.testing;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The App Service / Functions / Container Apps managed identity endpoint ({@code IDENTITY_ENDPOINT}
 * with the rotating {@code X-IDENTITY-HEADER}, api-version 2019-08-01) and its legacy variant
 * ({@code MSI_ENDPOINT} with {@code Secret}, api-version 2017-09-01, Windows-style {@code
 * expires_on}). Plain http on loopback, like the platform's local endpoint.
 *
 * <pre>{@code
 * FakeAzureAppService app = new FakeAzureAppService(new FakeAzureIdentity()).start();
 * env.put("IDENTITY_ENDPOINT", app.identityEndpoint());
 * env.put("IDENTITY_HEADER", app.identityHeader());
 * app.rotateIdentityHeader();   // the platform rotates it; the old value is refused from now on
 * }</pre>
 */
public final class FakeAzureAppService extends FakeServer {
  private static final DateTimeFormatter LEGACY_EXPIRY =
      DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a xxx", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final FakeAzureIdentity tenant;
  private volatile String identityHeader = UUID.randomUUID().toString();
  private volatile String msiSecret = UUID.randomUUID().toString();

  /** An endpoint serving tokens of {@code tenant}'s identities. */
  public FakeAzureAppService(FakeAzureIdentity tenant) {
    super(false);
    this.tenant = tenant;
  }

  @Override
  public FakeAzureAppService start() {
    super.start();
    return this;
  }

  /** What {@code IDENTITY_ENDPOINT} (and {@code MSI_ENDPOINT}) hold. */
  public String identityEndpoint() {
    return baseUri() + "/msi/token";
  }

  /** The current {@code IDENTITY_HEADER}. */
  public String identityHeader() {
    return identityHeader;
  }

  /** The current {@code MSI_SECRET}. */
  public String msiSecret() {
    return msiSecret;
  }

  /** Rotates {@code IDENTITY_HEADER}; returns the new value. */
  public String rotateIdentityHeader() {
    identityHeader = UUID.randomUUID().toString();
    return identityHeader;
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    if (!"/msi/token".equals(request.path()) || !"GET".equals(request.method())) {
      return FakeResponse.json(404, Map.of("statusCode", 404, "message", "Not found"));
    }
    String version = request.query("api-version");
    boolean legacy = "2017-09-01".equals(version);
    if (!legacy && !"2019-08-01".equals(version)) {
      return error(400, "The api-version '" + version + "' is not supported.");
    }
    if (legacy) {
      if (!msiSecret.equals(request.header("Secret"))) {
        return error(401, "Unauthorized: the Secret header is missing or wrong.");
      }
    } else if (!identityHeader.equals(request.header("X-IDENTITY-HEADER"))) {
      return error(401, "Unauthorized: the X-IDENTITY-HEADER is missing or wrong.");
    }
    String resource = request.query("resource");
    if (resource == null || resource.isEmpty()) {
      return error(400, "Required query parameter resource is missing.");
    }
    String clientId = request.query(legacy ? "clientid" : "client_id");
    String objectId =
        legacy ? null : firstOf(request.query("object_id"), request.query("principal_id"));
    String resourceId = legacy ? null : request.query("mi_res_id");
    int given =
        (clientId != null ? 1 : 0) + (objectId != null ? 1 : 0) + (resourceId != null ? 1 : 0);
    FakeAzureIdentity.Identity identity = tenant.select(clientId, objectId, resourceId);
    if (given > 1 || identity == null) {
      return error(400, "Unable to load the proper Managed Identity.");
    }
    if (tenant.isRejected(resource)) {
      // App Service / Container Apps: no app registration for the resource yields this generic
      // 500 (their spelling), not Entra's AADSTS500011
      return error(500, "An unexpected error occured while fetching the AAD Token.");
    }
    Map<String, String> t = tenant.token(identity, resource, now());
    Map<String, String> body = new LinkedHashMap<>();
    body.put("access_token", t.get("access_token"));
    body.put(
        "expires_on",
        legacy
            ? LEGACY_EXPIRY.format(Instant.ofEpochSecond(Long.parseLong(t.get("expires_on"))))
            : t.get("expires_on"));
    body.put("resource", resource);
    body.put("token_type", "Bearer");
    body.put("client_id", identity.clientId());
    return FakeResponse.json(200, body);
  }

  private static String firstOf(String a, String b) {
    return a != null ? a : b;
  }

  private static FakeResponse error(int status, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("statusCode", status);
    body.put("message", message);
    body.put("correlationId", UUID.randomUUID().toString());
    return FakeResponse.json(status, body);
  }
}

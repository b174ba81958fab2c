package io.github.wif4j.testing;

import static io.github.wif4j.testing.FakeResponse.oauthError;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Azure VM / VMSS Instance Metadata Service managed identity: {@code GET
 * /metadata/identity/oauth2/token?api-version=2018-02-01&resource=...} with {@code Metadata: true},
 * numbers as strings, error bodies {@code {"error","error_description"}}. Retryable statuses (404,
 * 410, 429, 5xx) come from {@link #enqueueFault(Fault)}.
 */
public final class FakeAzureImds extends FakeServer {
  static final String PATH = "/metadata/identity/oauth2/token";

  private final FakeAzureIdentity tenant;

  /** An IMDS serving tokens of {@code tenant}'s identities. */
  public FakeAzureImds(FakeAzureIdentity tenant) {
    super(false);
    this.tenant = tenant;
  }

  @Override
  public FakeAzureImds start() {
    super.start();
    return this;
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    if (request.header("X-Forwarded-For") != null) {
      return oauthError(400, "bad_request", "X-Forwarded-For is not allowed");
    }
    if (!PATH.equals(request.path())) {
      return oauthError(404, "not_found", "Not Found");
    }
    String metadata = request.header("Metadata");
    if (metadata == null || !metadata.equalsIgnoreCase("true")) {
      return oauthError(400, "bad_request_102", "Required metadata header not specified");
    }
    if (request.query("api-version") == null) {
      return oauthError(400, "invalid_request", "api-version is required");
    }
    String resource = request.query("resource");
    if (resource == null || resource.isEmpty()) {
      return oauthError(400, "invalid_request", "resource is required");
    }
    String resourceId = request.query("msi_res_id");
    if (resourceId == null) {
      resourceId = request.query("mi_res_id");
    }
    FakeAzureIdentity.Identity identity =
        tenant.select(request.query("client_id"), request.query("object_id"), resourceId);
    if (identity == null) {
      return oauthError(400, "invalid_request", "Identity not found");
    }
    if (tenant.isRejected(resource)) {
      return oauthError(
          400,
          "invalid_resource",
          "AADSTS500011: The resource principal named "
              + resource
              + " was not found in the tenant named "
              + tenant.tenantId()
              + ".");
    }
    Map<String, String> t = tenant.token(identity, resource, now());
    Map<String, String> body = new LinkedHashMap<>(t);
    body.put("refresh_token", "");
    return FakeResponse.json(200, body);
  }
}

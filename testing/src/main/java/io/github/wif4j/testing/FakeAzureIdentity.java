package io.github.wif4j.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Entra ID tenant behind the Azure managed identity fakes: its identities (system-assigned and
 * user-assigned) and the key that signs their access tokens ({@code iss =
 * https://sts.windows.net/TENANT/}, v1 tokens as managed identity endpoints return them). Trust
 * {@link #issuer()} in a {@link FakeGoogleSts} with the resources (audiences) your provider allows.
 */
public final class FakeAzureIdentity {
  /**
   * One managed identity.
   *
   * @param clientId the client (application) id
   * @param objectId the object (principal) id: the token's {@code oid} and {@code sub}
   * @param resourceId the ARM resource id of a user-assigned identity; null for system-assigned
   */
  public record Identity(String clientId, String objectId, String resourceId) {}

  private final String tenantId;
  private final FakeJwtIssuer issuer;
  private final Identity system;
  private final Map<String, Identity> userAssigned = new ConcurrentHashMap<>();
  private final List<String> issued = new CopyOnWriteArrayList<>();
  private final List<String> rejectedResources = new CopyOnWriteArrayList<>();
  private volatile Duration lifetime = Duration.ofHours(1);

  /** A tenant with a system-assigned identity. */
  public FakeAzureIdentity() {
    this.tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    this.issuer = FakeJwtIssuer.create("https://sts.windows.net/" + tenantId + "/");
    this.system =
        new Identity(
            "5e29463d-71da-4fe0-8e69-999b57db23b0", "1f2e3d4c-0000-4a5b-9c8d-7e6f5a4b3c2d", null);
  }

  /** The tenant id ({@code tid}). */
  public String tenantId() {
    return tenantId;
  }

  /** The token signer. */
  public FakeJwtIssuer issuer() {
    return issuer;
  }

  /** The system-assigned identity. */
  public Identity systemAssigned() {
    return system;
  }

  /** Adds a user-assigned identity named {@code name}. */
  public Identity addUserAssigned(String name) {
    Identity id =
        new Identity(
            UUID.randomUUID().toString(),
            UUID.randomUUID().toString(),
            "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourcegroups/rg/providers/"
                + "Microsoft.ManagedIdentity/userAssignedIdentities/"
                + name);
    userAssigned.put(id.clientId(), id);
    return id;
  }

  /** Makes requests for {@code resource} fail as Entra does for an unknown application ID URI. */
  public FakeAzureIdentity rejectResource(String resource) {
    rejectedResources.add(resource);
    return this;
  }

  /** Lifetime of issued tokens. */
  public FakeAzureIdentity setTokenLifetime(Duration lifetime) {
    this.lifetime = lifetime;
    return this;
  }

  /** Every access token issued. */
  public List<String> issuedTokens() {
    return List.copyOf(issued);
  }

  boolean isRejected(String resource) {
    return rejectedResources.contains(resource);
  }

  /** The identity a request selects, or null when it names none that exists. */
  Identity select(String clientId, String objectId, String resourceId) {
    if (clientId == null && objectId == null && resourceId == null) {
      return system;
    }
    for (Identity i : userAssigned.values()) {
      if (i.clientId().equalsIgnoreCase(clientId)
          || i.objectId().equalsIgnoreCase(objectId)
          || i.resourceId().equalsIgnoreCase(resourceId)) { // false for a null selector
        return i;
      }
    }
    return null;
  }

  /** Issues a v1 access token for {@code identity} and {@code resource}. */
  Map<String, String> token(Identity identity, String resource, Instant at) {
    long now = at.getEpochSecond();
    long exp = now + lifetime.getSeconds();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("aud", resource);
    c.put("iat", now);
    c.put("nbf", now);
    c.put("exp", exp);
    c.put("appid", identity.clientId());
    c.put("idtyp", "app");
    c.put("oid", identity.objectId());
    c.put("sub", identity.objectId());
    c.put("tid", tenantId);
    c.put(
        "xms_mirid",
        identity.resourceId() == null ? "/subscriptions/.../sites/app" : identity.resourceId());
    String jwt = issuer.issue(c);
    issued.add(jwt);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("access_token", jwt);
    out.put("expires_on", Long.toString(exp));
    out.put("expires_in", Long.toString(lifetime.getSeconds()));
    out.put("not_before", Long.toString(now));
    out.put("resource", resource);
    out.put("token_type", "Bearer");
    out.put("client_id", identity.clientId());
    return out;
  }
}

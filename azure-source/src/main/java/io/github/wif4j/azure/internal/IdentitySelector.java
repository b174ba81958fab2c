package io.github.wif4j.azure.internal;

/**
 * Which managed identity to ask for: a user-assigned one by client id, object (principal) id or ARM
 * resource id, or (all null) the system-assigned identity.
 */
public final class IdentitySelector {
  private final String clientId;
  private final String objectId;
  private final String resourceId;

  private IdentitySelector(String clientId, String objectId, String resourceId) {
    this.clientId = clientId;
    this.objectId = objectId;
    this.resourceId = resourceId;
  }

  /** A selector; at most one argument is non-null (checked by the builder). */
  public static IdentitySelector of(String clientId, String objectId, String resourceId) {
    return new IdentitySelector(clientId, objectId, resourceId);
  }

  /** The client id, or null. */
  public String clientId() {
    return clientId;
  }

  /** The object id, or null. */
  public String objectId() {
    return objectId;
  }

  /** The ARM resource id, or null. */
  public String resourceId() {
    return resourceId;
  }

  @Override
  public String toString() {
    if (clientId != null) {
      return "client id " + clientId;
    }
    if (objectId != null) {
      return "object id " + objectId;
    }
    if (resourceId != null) {
      return "resource id " + resourceId;
    }
    return "system-assigned";
  }
}

package io.github.wif4j.azure.internal;

/**
 * Which managed identity to ask for: a user-assigned one by client id, object (principal) id or ARM
 * resource id, or (all null) the system-assigned identity. At most one is non-null (checked by the
 * builder).
 */
public record IdentitySelector(String clientId, String objectId, String resourceId) {
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

package io.github.wif4j.azure.internal;

/** The environment variables Azure platforms set, and wif4j's own Azure settings. */
public final class AzureEnv {
  public static final String IDENTITY_ENDPOINT = "IDENTITY_ENDPOINT";
  public static final String IDENTITY_HEADER = "IDENTITY_HEADER";
  public static final String MSI_ENDPOINT = "MSI_ENDPOINT";
  public static final String MSI_SECRET = "MSI_SECRET";
  public static final String FEDERATED_TOKEN_FILE = "AZURE_FEDERATED_TOKEN_FILE";
  public static final String AUTHORITY_HOST = "AZURE_AUTHORITY_HOST";
  public static final String TENANT_ID = "AZURE_TENANT_ID";
  public static final String CLIENT_ID = "AZURE_CLIENT_ID";
  public static final String POD_IDENTITY_AUTHORITY_HOST = "AZURE_POD_IDENTITY_AUTHORITY_HOST";

  /** The resource (audience) to request: an application ID URI such as {@code api://...}. */
  public static final String RESOURCE = "WIF4J_AZURE_RESOURCE";

  /** AKS mode: {@code direct} (cluster token to Google) or {@code entra} (exchange at Entra). */
  public static final String AKS_MODE = "WIF4J_AZURE_AKS_MODE";

  /** The resource many setups use when no application ID URI was registered. */
  public static final String MANAGEMENT_RESOURCE = "https://management.azure.com/";

  private AzureEnv() {}
}

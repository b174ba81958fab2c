package io.github.wif4j.azure.internal;

import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.spi.SubjectToken;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * VM / VMSS instance metadata managed identity ({@code /metadata/identity/oauth2/token},
 * api-version 2018-02-01, {@code Metadata: true}), retrying 404, 410, 429 and 5xx as Azure advises.
 *
 * @param imdsEndpoint the IMDS base URI, no trailing slash
 */
public record ImdsManagedIdentitySource(
    URI imdsEndpoint, String resource, IdentitySelector identity, HttpExecutor http, Clock clock)
    implements AzureTokenFetcher {
  @Override
  public Refreshed<SubjectToken> fetch() throws IOException {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("api-version", "2018-02-01");
    q.put("resource", resource);
    if (identity.clientId() != null) {
      q.put("client_id", identity.clientId());
    } else if (identity.objectId() != null) {
      q.put("object_id", identity.objectId());
    } else if (identity.resourceId() != null) {
      q.put("msi_res_id", identity.resourceId());
    }
    HttpExecutor.Response r =
        http.send(
            HttpExecutor.Request.get(
                    URI.create(
                        imdsEndpoint + "/metadata/identity/oauth2/token?" + AzureHttp.query(q)))
                .header("Metadata", "true")
                .step(Step.SUBJECT_TOKEN)
                .endpointName("Azure instance metadata (IMDS)")
                .retryOnStatus(404, 410)
                .validate(AzureHttp::hasToken)
                .build());
    if (!r.isSuccessful()) {
      throw AzureTokens.failure(r, "Azure IMDS", resource, true);
    }
    return AzureTokens.parse(r, "Azure IMDS", clock).asSubjectToken();
  }

  @Override
  public String description() {
    return "Azure managed identity (vm imds"
        + (identity.clientId() != null ? ", client id " + identity.clientId() : "")
        + "), resource "
        + resource;
  }
}

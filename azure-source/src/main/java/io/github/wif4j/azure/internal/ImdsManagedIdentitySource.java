package io.github.wif4j.azure.internal;

import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * VM / VMSS instance metadata managed identity ({@code /metadata/identity/oauth2/token},
 * api-version 2018-02-01, {@code Metadata: true}), retrying 404, 410, 429 and 5xx as Azure advises.
 */
public final class ImdsManagedIdentitySource implements AzureTokenFetcher {
  private final URI imdsEndpoint;
  private final String resource;
  private final IdentitySelector identity;
  private final HttpExecutor http;
  private final Clock clock;

  /** Reads tokens from the IMDS at {@code imdsEndpoint} (no trailing slash). */
  public ImdsManagedIdentitySource(
      URI imdsEndpoint,
      String resource,
      IdentitySelector identity,
      HttpExecutor http,
      Clock clock) {
    this.imdsEndpoint = imdsEndpoint;
    this.resource = resource;
    this.identity = identity;
    this.http = http;
    this.clock = clock;
  }

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
    AzureTokens.Token t = AzureTokens.parse(r, "Azure IMDS", clock);
    return Refreshed.expiringAt(
        SubjectToken.of(t.value(), SubjectTokenType.JWT, t.expiresAt()), t.expiresAt());
  }

  @Override
  public String description() {
    return "Azure managed identity (vm imds"
        + (identity.clientId() != null ? ", client id " + identity.clientId() : "")
        + "), resource "
        + resource;
  }
}

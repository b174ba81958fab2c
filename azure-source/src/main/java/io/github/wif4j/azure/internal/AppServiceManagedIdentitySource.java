package io.github.wif4j.azure.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.http.AllowedHosts;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.spi.SubjectToken;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * App Service / Functions / Container Apps managed identity ({@code IDENTITY_ENDPOINT} + {@code
 * X-IDENTITY-HEADER}, api-version 2019-08-01), or the legacy {@code MSI_ENDPOINT} + {@code Secret}
 * variant (2017-09-01, Windows-style {@code expires_on}). Both variables are read on every fetch
 * because the platform rotates them.
 *
 * @param legacy the legacy MSI endpoint rather than App Service's
 */
public record AppServiceManagedIdentitySource(
    Environment env,
    boolean legacy,
    String resource,
    IdentitySelector identity,
    HttpExecutor http,
    Clock clock)
    implements AzureTokenFetcher {
  @Override
  public Refreshed<SubjectToken> fetch() throws IOException {
    String endpointVar = legacy ? AzureEnv.MSI_ENDPOINT : AzureEnv.IDENTITY_ENDPOINT;
    String secretVar = legacy ? AzureEnv.MSI_SECRET : AzureEnv.IDENTITY_HEADER;
    String endpoint = env.get(endpointVar).orElseThrow(() -> AzureHttp.missing(endpointVar));
    Optional<String> secret = env.get(secretVar); // Cloud Shell's MSI endpoint has no secret
    if (!legacy && secret.isEmpty()) {
      throw AzureHttp.missing(secretVar);
    }
    URI base = AzureHttp.httpUri(endpointVar, endpoint);
    String host = base.getHost();
    if (!AllowedHosts.isLoopback(host) && !AllowedHosts.of(env, List.of()).isOptedIn(host)) {
      // the identity header is a credential: only the platform's local endpoint gets it
      throw ConfigurationException.of(
          endpointVar,
          "host '" + host + "' is not loopback",
          "the local endpoint the platform sets (http://localhost:PORT/... or"
              + " http://127.0.0.1:PORT/...); to send the identity header to another host, allow it"
              + " with "
              + AllowedHosts.ENV_ALLOWED_HOSTS
              + "="
              + host);
    }
    Map<String, String> q = new LinkedHashMap<>();
    q.put("resource", resource);
    q.put("api-version", legacy ? "2017-09-01" : "2019-08-01");
    if (identity.clientId() != null) {
      q.put(legacy ? "clientid" : "client_id", identity.clientId());
    } else if (identity.objectId() != null && !legacy) {
      q.put("object_id", identity.objectId());
    } else if (identity.resourceId() != null && !legacy) {
      q.put("mi_res_id", identity.resourceId());
    }
    HttpExecutor.Request.Builder request =
        HttpExecutor.Request.get(URI.create(base + "?" + AzureHttp.query(q)))
            .step(Step.SUBJECT_TOKEN)
            .endpointName(legacy ? "Azure MSI endpoint" : "Azure managed identity endpoint")
            .header("Metadata", "true")
            .validate(AzureHttp::hasToken)
            .permanentIf(r -> AzureTokens.isUnregisteredResource(r, resource));
    secret.ifPresent(s -> request.header(legacy ? "Secret" : "X-IDENTITY-HEADER", s));
    HttpExecutor.Response r = http.send(request.build());
    String name = "The Azure managed identity endpoint";
    if (!r.isSuccessful()) {
      throw AzureTokens.failure(r, name, resource);
    }
    return AzureTokens.parse(r, name, clock).asSubjectToken();
  }

  @Override
  public String description() {
    return "Azure managed identity ("
        + (legacy ? "legacy msi" : "app service")
        + (identity.clientId() != null ? ", client id " + identity.clientId() : "")
        + "), resource "
        + resource;
  }
}

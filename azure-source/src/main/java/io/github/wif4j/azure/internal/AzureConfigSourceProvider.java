package io.github.wif4j.azure.internal;

import io.github.wif4j.azure.AzureSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.config.ConfigSourceProvider;
import io.github.wif4j.core.config.CredentialSource;
import io.github.wif4j.core.config.Format;
import io.github.wif4j.core.config.UrlCredentialSource;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Serves a configuration file's Azure managed-identity {@code url} source (gcloud's {@code
 * create-cred-config --azure}: the VM IMDS token URL with {@code Metadata: True}) with {@link
 * AzureSource}: the file's resource and identity, tokens cached to their expiry, IMDS
 * 404/410/429/5xx retried as Azure advises. On App Service, Functions and Container Apps ({@code
 * IDENTITY_ENDPOINT} and {@code IDENTITY_HEADER} set), where the file's IMDS URL cannot answer, the
 * platform's endpoint serves the same resource. Any other url source is left to google-auth.
 */
public final class AzureConfigSourceProvider implements ConfigSourceProvider {
  private static final System.Logger LOG =
      System.getLogger(AzureConfigSourceProvider.class.getName());
  private static final String IMDS_TOKEN_PATH = "/metadata/identity/oauth2/token";

  @Override
  public Optional<Source> serve(
      CredentialSource credentialSource, Environment environment, TransportPolicy policy) {
    if (!(credentialSource instanceof UrlCredentialSource)) {
      return Optional.empty();
    }
    UrlCredentialSource src = (UrlCredentialSource) credentialSource;
    URI url;
    try {
      url = URI.create(src.url());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    boolean metadataHeader =
        src.headers().entrySet().stream()
            .anyMatch(
                h ->
                    h.getKey().equalsIgnoreCase("Metadata")
                        && h.getValue().equalsIgnoreCase("true"));
    Format f = src.format();
    if (!IMDS_TOKEN_PATH.equals(url.getPath())
        || !metadataHeader
        || src.headers().size() != 1
        || f.type() != Format.Type.JSON
        || !f.subjectTokenFieldName().orElse("").equals("access_token")) {
      return Optional.empty(); // not an Azure managed-identity URL: google-auth reads it
    }
    Map<String, String> query = query(url.getRawQuery());
    String resource = query.get("resource");
    if (resource == null) {
      return Optional.empty();
    }
    AzureSource.Builder b =
        AzureSource.builder().resource(resource).environment(environment).transportPolicy(policy);
    Optional.ofNullable(query.get("client_id")).ifPresent(b::clientId);
    Optional.ofNullable(query.get("object_id")).ifPresent(b::objectId);
    Optional.ofNullable(query.getOrDefault("msi_res_id", query.get("mi_res_id")))
        .ifPresent(b::resourceId);
    if (environment.has(AzureEnv.IDENTITY_ENDPOINT) && environment.has(AzureEnv.IDENTITY_HEADER)) {
      LOG.log(
          System.Logger.Level.INFO,
          "The configuration names the Azure VM metadata endpoint, but {0} and {1} are set: the App"
              + " Service managed identity endpoint serves the token for {2}",
          AzureEnv.IDENTITY_ENDPOINT,
          AzureEnv.IDENTITY_HEADER,
          resource);
      b.kind(AzureSource.Kind.APP_SERVICE);
    } else {
      b.kind(AzureSource.Kind.VM_IMDS)
          .imdsEndpoint(URI.create(url.getScheme() + "://" + url.getRawAuthority()));
    }
    return Optional.of(b.build());
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}

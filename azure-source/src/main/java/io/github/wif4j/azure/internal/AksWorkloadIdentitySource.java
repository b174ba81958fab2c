package io.github.wif4j.azure.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.spi.BoundedFiles;
import io.github.wif4j.core.spi.JwtClaims;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AKS workload identity: the projected service account token in {@code AZURE_FEDERATED_TOKEN_FILE}
 * (re-read on every fetch; the kubelet rotates it), used as the subject token itself ({@code
 * direct}) or exchanged at Entra ({@code AZURE_AUTHORITY_HOST}/{@code AZURE_TENANT_ID}, client
 * {@code AZURE_CLIENT_ID}) for an access token for the resource ({@code entra}).
 *
 * @param viaEntra exchange the token at Entra for {@code resource}
 * @param clientId the Entra client; null: {@code AZURE_CLIENT_ID}
 */
public record AksWorkloadIdentitySource(
    Environment env,
    boolean viaEntra,
    String resource,
    String clientId,
    HttpExecutor http,
    Clock clock)
    implements AzureTokenFetcher {
  private static final String DEFAULT_AUTHORITY = "https://login.microsoftonline.com/";
  private static final Duration UNKNOWN_EXPIRY_LIFETIME = Duration.ofMinutes(5);

  @Override
  public Refreshed<SubjectToken> fetch() throws IOException {
    if (viaEntra) {
      return entra().asSubjectToken();
    }
    String jwt = readTokenFile();
    Instant now = clock.instant();
    Instant expiry = JwtClaims.decode(jwt).expiry().orElse(now.plus(UNKNOWN_EXPIRY_LIFETIME));
    // the kubelet rewrites the file at 80% of its lifetime: re-read it well before expiry
    Instant prefetch = min(expiry.minus(Duration.ofMinutes(5)), now.plus(Duration.ofMinutes(5)));
    return Refreshed.expiringAt(SubjectToken.of(jwt, SubjectTokenType.JWT, expiry), expiry)
        .withPrefetchAt(prefetch);
  }

  private AzureTokens.Token entra() throws IOException {
    String tenant =
        env.get(AzureEnv.TENANT_ID).orElseThrow(() -> AzureHttp.missing(AzureEnv.TENANT_ID));
    String client =
        clientId != null
            ? clientId
            : env.get(AzureEnv.CLIENT_ID).orElseThrow(() -> AzureHttp.missing(AzureEnv.CLIENT_ID));
    String authority = env.get(AzureEnv.AUTHORITY_HOST).orElse(DEFAULT_AUTHORITY);
    URI base =
        AzureHttp.httpUri(
            AzureEnv.AUTHORITY_HOST, authority.endsWith("/") ? authority : authority + "/");
    if (!"https".equals(base.getScheme())) {
      throw ConfigurationException.of(
          AzureEnv.AUTHORITY_HOST, "'" + authority + "' is not https", DEFAULT_AUTHORITY);
    }
    if (!tenant.matches("[A-Za-z0-9][A-Za-z0-9.-]{0,253}")) {
      throw ConfigurationException.of(
          AzureEnv.TENANT_ID,
          "'" + tenant.strip() + "' is not a tenant id",
          "the directory (tenant) id, a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47, or a"
              + " verified domain such as contoso.onmicrosoft.com");
    }
    Map<String, String> form = new LinkedHashMap<>();
    form.put("client_id", client);
    form.put("scope", AzureHttp.scopeFor(resource));
    form.put("grant_type", "client_credentials");
    form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.put("client_assertion", readTokenFile());
    HttpExecutor.Response r =
        http.send(
            HttpExecutor.Request.newBuilder(
                    "POST", URI.create(base + tenant + "/oauth2/v2.0/token"))
                .form(form)
                .step(Step.SUBJECT_TOKEN)
                .endpointName("Entra ID token endpoint")
                .validate(AzureHttp::hasToken)
                .build());
    if (!r.isSuccessful()) {
      throw AzureTokens.failure(r, "Entra ID", resource);
    }
    return AzureTokens.parse(r, "Entra ID", clock);
  }

  private String readTokenFile() throws FederationException {
    String file =
        env.get(AzureEnv.FEDERATED_TOKEN_FILE)
            .orElseThrow(() -> AzureHttp.missing(AzureEnv.FEDERATED_TOKEN_FILE));
    String token;
    try {
      // a regular file of at most 64 KiB: a FIFO or /dev/zero must not hang or exhaust us
      token =
          new String(BoundedFiles.read(Path.of(file), 64 * 1024), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      throw FederationException.builder(
              Step.SUBJECT_TOKEN,
              "Cannot read " + AzureEnv.FEDERATED_TOKEN_FILE + " (" + file + ")")
          .fix(
              "Label the pod azure.workload.identity/use: \"true\" and annotate its service account"
                  + " with azure.workload.identity/client-id, so the webhook mounts the token.")
          .cause(e)
          .build();
    }
    if (token.isEmpty()) {
      throw FederationException.builder(
              Step.SUBJECT_TOKEN, AzureEnv.FEDERATED_TOKEN_FILE + " (" + file + ") is empty")
          .fix("Check the azure-identity-token projected volume of the pod.")
          .retryable(true)
          .build();
    }
    return token;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  @Override
  public String description() {
    return viaEntra
        ? "Azure AKS workload identity via Entra ID, resource " + resource
        : "Azure AKS workload identity (cluster token)";
  }
}

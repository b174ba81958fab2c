package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.spi.Json;
import io.github.wif4j.core.spi.Redaction;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/** {@code wif4j print-id-token --audience AUD}: a Google ID token for scripting. */
public final class PrintIdTokenCommand implements Command {
  @Override
  public String name() {
    return "print-id-token";
  }

  @Override
  public String summary() {
    return "print a Google ID token for an audience (metadata server or impersonation)";
  }

  @Override
  public String help() {
    return "Usage: wif4j print-id-token --audience AUDIENCE\n\n"
        + "On Compute Engine, Cloud Run and GKE: from the metadata server (GCE_METADATA_HOST is\n"
        + "honoured). Elsewhere: federates like the library and asks IAM Credentials generateIdToken\n"
        + "for WIF4J_SERVICE_ACCOUNT (the federated principal needs\n"
        + "roles/iam.serviceAccountOpenIdTokenCreator on it). Prints only the token.";
  }

  @Override
  public Set<String> options() {
    return Set.of("audience");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    String audience = args.required("audience", "the ID token's aud claim");
    boolean federated =
        context.environment().has(FederationSettings.ENV_SERVICE_ACCOUNT)
            || context.environment().has(FederationSettings.ENV_IMPERSONATION_URL)
            || context.environment().has(FederationSettings.ENV_AUDIENCE)
            || context.environment().has(FederationSettings.ENV_PROJECT_NUMBER)
            || Federation.config(context).isPresent();
    String token =
        federated
            ? viaIamCredentials(context, audience)
            : IdTokenSource.detect(context.environment(), context.transportPolicy())
                .fetch(audience);
    context.console().out(token);
    return ExitCodes.OK;
  }

  /** The federated token (direct access) calls generateIdToken for the configured account. */
  private static String viaIamCredentials(CliContext context, String audience) throws Exception {
    FederationSettings settings = Federation.settings(context);
    URI accessUrl =
        settings
            .serviceAccountImpersonationUrl()
            .orElseThrow(
                () ->
                    ConfigurationException.missing(
                        FederationSettings.ENV_SERVICE_ACCOUNT,
                        "the service account whose ID token to mint, e.g."
                            + " NAME@PROJECT_ID.iam.gserviceaccount.com (this host federates, and"
                            + " Google STS issues access tokens only: IAM Credentials"
                            + " generateIdToken makes the ID token, and the federated principal"
                            + " needs roles/iam.serviceAccountOpenIdTokenCreator on that account)"));
    URI idUrl =
        URI.create(accessUrl.toString().replace(":generateAccessToken", ":generateIdToken"));
    FederationSettings.Builder direct =
        FederationSettings.builder()
            .audience(settings.audience())
            .tokenUrl(settings.tokenUrl().toString())
            .universeDomain(settings.universeDomain());
    try (FederatedCredentials federated =
        Federation.credentials(context).settings(direct.build()).build()) {
      String bearer = federated.getRequestMetadata(idUrl).get("Authorization").get(0);
      String body =
          "{\"audience\":\""
              + audience.replace("\\", "\\\\").replace("\"", "\\\"")
              + "\",\"includeEmail\":true}";
      HttpExecutor.Response r =
          HttpExecutor.create(context.transportPolicy())
              .send(
                  HttpExecutor.Request.newBuilder("POST", idUrl)
                      .header("Authorization", bearer)
                      .body("application/json", body.getBytes(StandardCharsets.UTF_8))
                      .step(Step.ID_TOKEN)
                      .endpointName("IAM Credentials generateIdToken")
                      .build());
      if (r.status() != 200) {
        throw FederationException.builder(
                Step.ID_TOKEN,
                "IAM Credentials generateIdToken answered HTTP "
                    + r.status()
                    + ": "
                    + Redaction.excerpt(r.body(), 200))
            .httpStatus(r.status())
            .fix(
                r.status() == 403
                    ? "Grant the federated principal roles/iam.serviceAccountOpenIdTokenCreator on "
                        + settings.serviceAccountEmail().orElse("the service account")
                        + " (gcloud iam service-accounts add-iam-policy-binding ... --role="
                        + "roles/iam.serviceAccountOpenIdTokenCreator --member='principal://...')"
                    : "Retry later; check the service account exists.")
            .build();
      }
      return Json.flatObject(r.body())
          .map(m -> m.get("token"))
          .filter(t -> !t.isBlank())
          .orElseThrow(
              () ->
                  FederationException.builder(
                          Step.ID_TOKEN, "generateIdToken answered without a token")
                      .retryable(true)
                      .build());
    }
  }
}

package io.github.wif4j.cli.commands;

import com.google.auth.oauth2.IdTokenCredentials;
import com.google.auth.oauth2.IdTokenProvider;
import com.google.auth.oauth2.ImpersonatedCredentials;
import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.util.List;
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
        + "honoured). Elsewhere: federates like the library and asks IAM Credentials for an ID token\n"
        + "of WIF4J_SERVICE_ACCOUNT (which needs roles/iam.serviceAccountOpenIdTokenCreator for the\n"
        + "federated principal). Prints only the token.";
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
            || Federation.config(context).isPresent();
    String token;
    if (!federated) {
      token =
          IdTokenSource.detect(context.environment(), context.transportPolicy()).fetch(audience);
    } else {
      FederationSettings settings = Federation.settings(context);
      String sa =
          settings
              .serviceAccountEmail()
              .orElseThrow(
                  () ->
                      new Args.UsageException(
                          "an ID token needs a service account: set "
                              + FederationSettings.ENV_SERVICE_ACCOUNT));
      try (FederatedCredentials source = Federation.credentials(context).build()) {
        ImpersonatedCredentials impersonated =
            ImpersonatedCredentials.create(
                source, sa, null, List.of("https://www.googleapis.com/auth/cloud-platform"), 3600);
        IdTokenCredentials id =
            IdTokenCredentials.newBuilder()
                .setIdTokenProvider((IdTokenProvider) impersonated)
                .setTargetAudience(audience)
                .setOptions(List.of(IdTokenProvider.Option.INCLUDE_EMAIL))
                .build();
        id.refresh();
        token = id.getIdToken().getTokenValue();
      }
    }
    context.console().out(token);
    return ExitCodes.OK;
  }
}

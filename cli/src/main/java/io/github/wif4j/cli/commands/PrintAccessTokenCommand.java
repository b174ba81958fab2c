package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.FederatedCredentials;

/**
 * {@code wif4j print-access-token}: the Google access token, like {@code gcloud auth
 * print-access-token}.
 */
public final class PrintAccessTokenCommand implements Command {
  @Override
  public String name() {
    return "print-access-token";
  }

  @Override
  public String summary() {
    return "print a Google access token for this workload (for scripts)";
  }

  @Override
  public String help() {
    return "Usage: wif4j print-access-token\n\n"
        + "Federates like the library (WIF4J_* variables or GOOGLE_APPLICATION_CREDENTIALS) and prints\n"
        + "the access token on standard output, nothing else. Example:\n"
        + "  curl -H \"Authorization: Bearer $(wif4j print-access-token)\" https://...";
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    try (FederatedCredentials credentials = Federation.credentials(context).build()) {
      credentials.refresh();
      context.console().out(credentials.getAccessToken().getTokenValue());
      return ExitCodes.OK;
    }
  }
}

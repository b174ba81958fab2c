package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.CliContext;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.config.ExternalAccountConfig;
import java.util.Optional;

/** The configuration every command shares: environment variables or an external_account file. */
final class Federation {
  private Federation() {}

  /** The external_account file or JSON the environment names, if any. */
  static Optional<ExternalAccountConfig> config(CliContext context) {
    return ExternalAccountConfig.fromEnvironment(context.environment());
  }

  /** Settings from the file, else from the {@code WIF4J_*} variables. */
  static FederationSettings settings(CliContext context) {
    Optional<ExternalAccountConfig> config = config(context);
    return config.isPresent()
        ? config.get().settings()
        : FederationSettings.fromEnvironment(context.environment());
  }

  /** Credentials configured like the library's {@code FederatedCredentials.fromEnvironment()}. */
  static FederatedCredentials.Builder credentials(CliContext context) {
    Optional<ExternalAccountConfig> config = config(context);
    FederatedCredentials.Builder b =
        FederatedCredentials.builder()
            .environment(context.environment())
            .transportPolicy(context.transportPolicy())
            .backgroundRefresh(false);
    return config.isPresent()
        ? b.config(config.get())
        : b.settings(FederationSettings.fromEnvironment(context.environment()));
  }
}

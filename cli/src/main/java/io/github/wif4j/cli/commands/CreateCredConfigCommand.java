package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.config.AwsCredentialSource;
import io.github.wif4j.core.config.ExecutableCredentialSource;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * {@code wif4j create-cred-config}: writes the standard {@code external_account} JSON for this
 * environment, for tools that only read Google credential files (gcloud, other languages).
 */
public final class CreateCredConfigCommand implements Command {
  @Override
  public String name() {
    return "create-cred-config";
  }

  @Override
  public String summary() {
    return "write the standard external_account JSON for this environment";
  }

  @Override
  public String help() {
    return "Usage: wif4j create-cred-config [--output FILE] [--executable [--command CMD]]\n\n"
        + "Audience, service account and lifetime come from the WIF4J_* variables. The source is:\n"
        + "  AWS (detected)   google-auth's own aws1 source with IMDSv2, like gcloud --aws\n"
        + "                   --enable-imdsv2 (it reads env keys and EC2 metadata only)\n"
        + "  --executable     an executable source running CMD (default 'wif4j google-executable'),\n"
        + "                   for sources google-auth lacks: App Service, AKS, ECS, SnapStart, ...\n"
        + "Prints to standard output unless --output is given. Contains no secret.";
  }

  @Override
  public Set<String> flags() {
    return Set.of("executable");
  }

  @Override
  public Set<String> options() {
    return Set.of("output", "command");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    FederationSettings settings = FederationSettings.fromEnvironment(context.environment());
    ExternalAccountConfig.Builder config = ExternalAccountConfig.builder().settings(settings);
    boolean executable = args.flag("executable") || args.option("command").isPresent();
    if (!executable) {
      Source source = SourceDetector.detect(context.environment());
      if (source instanceof AwsSigningSource) {
        config
            .subjectTokenType(SubjectTokenType.AWS4_REQUEST)
            .credentialSource(AwsCredentialSource.imds());
      } else {
        context
            .console()
            .err(
                "wif4j create-cred-config: google-auth cannot read this source ("
                    + source.description()
                    + ") itself; writing an executable source that runs wif4j.");
        executable = true;
      }
    }
    if (executable) {
      String command = args.option("command").orElse("wif4j google-executable");
      config
          .subjectTokenType(SubjectTokenType.JWT)
          .credentialSource(ExecutableCredentialSource.of(command));
    }
    String json = config.build().toJson();
    Optional<String> output = args.option("output");
    if (output.isPresent()) {
      Files.writeString(Path.of(output.get()), json + "\n", StandardCharsets.UTF_8);
      context.console().err("wrote " + output.get());
    } else {
      context.console().out(json);
    }
    return ExitCodes.OK;
  }
}

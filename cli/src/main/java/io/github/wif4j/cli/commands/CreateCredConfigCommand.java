package io.github.wif4j.cli.commands;

import io.github.wif4j.azure.AzureSource;
import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.config.AwsCredentialSource;
import io.github.wif4j.core.config.ExecutableCredentialSource;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.config.Format;
import io.github.wif4j.core.config.UrlCredentialSource;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    return "Usage: wif4j create-cred-config [--output FILE]\n"
        + "         [--executable [--executable-command CMD] [--executable-timeout-millis MS]\n"
        + "          [--executable-output-file FILE]]\n\n"
        + "Audience, service account and lifetime come from the WIF4J_* variables. The source is:\n"
        + "  AWS (detected)   google-auth's own aws1 source with IMDSv2, like gcloud --aws\n"
        + "                   --enable-imdsv2 (it reads env keys and EC2 metadata only)\n"
        + "  Azure VM (detected)  google-auth's own url source on the VM's IMDS with the\n"
        + "                   Metadata: True header, like gcloud --azure --app-id-uri\n"
        + "                   (resource from WIF4J_AZURE_RESOURCE, AZURE_CLIENT_ID honoured)\n"
        + "  --executable     an executable source running CMD (default 'wif4j google-executable';\n"
        + "                   give the installed bin/wif4j by absolute path), for sources google-auth\n"
        + "                   lacks: App Service, AKS, ECS, SnapStart, ... Timeout 5000-120000 ms\n"
        + "                   (default 30000); with an output file google-auth reuses the response\n"
        + "                   until it expires. --command is accepted for --executable-command.\n"
        + "Prints to standard output unless --output is given. Contains no secret.";
  }

  @Override
  public Set<String> flags() {
    return Set.of("executable");
  }

  @Override
  public Set<String> options() {
    return Set.of(
        "output",
        "command",
        "executable-command",
        "executable-timeout-millis",
        "executable-output-file");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    FederationSettings settings = FederationSettings.fromEnvironment(context.environment());
    ExternalAccountConfig.Builder config = ExternalAccountConfig.builder().settings(settings);
    Optional<String> command = args.option("executable-command").or(() -> args.option("command"));
    boolean executable =
        args.flag("executable")
            || command.isPresent()
            || args.option("executable-timeout-millis").isPresent()
            || args.option("executable-output-file").isPresent();
    if (!executable) {
      Source source = SourceDetector.detect(context.environment());
      if (source instanceof AwsSigningSource) {
        config
            .subjectTokenType(SubjectTokenType.AWS4_REQUEST)
            .credentialSource(AwsCredentialSource.imds());
      } else if (source instanceof AzureSource
          && ((AzureSource) source).kind() == AzureSource.Kind.VM_IMDS) {
        config
            .subjectTokenType(SubjectTokenType.JWT)
            .credentialSource(azureImds((AzureSource) source, context));
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
      int timeout = ExecutableCredentialSource.DEFAULT_TIMEOUT_MILLIS;
      if (args.option("executable-timeout-millis").isPresent()) {
        String v = args.option("executable-timeout-millis").get();
        try {
          timeout = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
          throw ConfigurationException.of(
              "--executable-timeout-millis",
              "'" + v + "' is not a number of milliseconds",
              "5000 to 120000 (default 30000)");
        }
        if (timeout < 5_000 || timeout > 120_000) {
          throw ConfigurationException.of(
              "--executable-timeout-millis",
              timeout + " is out of range",
              "5000 to 120000 milliseconds (default 30000)");
        }
      }
      config
          .subjectTokenType(SubjectTokenType.JWT)
          .credentialSource(
              ExecutableCredentialSource.of(
                  command.orElse("wif4j google-executable"),
                  timeout,
                  args.option("executable-output-file").orElse(null)));
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

  /**
   * gcloud's {@code --azure} form: google-auth fetches the Entra token from the VM's IMDS itself (a
   * GET with {@code Metadata: True}), so no executable and no wif4j on the reading side.
   */
  private static UrlCredentialSource azureImds(AzureSource source, CliContext context) {
    StringBuilder url =
        new StringBuilder(AzureSource.DEFAULT_IMDS.toString())
            .append("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=")
            .append(URLEncoder.encode(source.resource(), StandardCharsets.UTF_8));
    context
        .environment()
        .get("AZURE_CLIENT_ID")
        .filter(id -> !id.isBlank())
        .ifPresent(
            id -> url.append("&client_id=").append(URLEncoder.encode(id, StandardCharsets.UTF_8)));
    return UrlCredentialSource.of(
        url.toString(), Map.of("Metadata", "True"), Format.json("access_token"));
  }
}

package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.CredentialHelper;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.JwtClaims;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@code wif4j google-executable}: the executable-sourced credential response google-auth (any
 * language) and gcloud read from an {@code external_account} file with an {@code executable}
 * credential source, so they can use wif4j's sources (App Service, AKS, AWS outbound OIDC, ...).
 */
public final class GoogleExecutableCommand implements CredentialHelper {
  static final String AUDIENCE_ENV = "GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE";
  static final String TOKEN_TYPE_ENV = "GOOGLE_EXTERNAL_ACCOUNT_TOKEN_TYPE";
  static final String OUTPUT_FILE_ENV = "GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE";

  @Override
  public String name() {
    return "google-executable";
  }

  @Override
  public String summary() {
    return "executable-sourced credential helper for google-auth and gcloud";
  }

  @Override
  public String help() {
    return "Usage: wif4j google-executable [--source ID] [--audience AUD]\n\n"
        + "Prints {\"version\":1,\"success\":true,\"token_type\":...,\"id_token\":...,\"expiration_time\":...}\n"
        + "for the detected source (or --source / WIF4J_SOURCE), with the audience google-auth passes\n"
        + "in GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE. On failure prints {\"version\":1,\"success\":false,\n"
        + "\"code\":...,\"message\":...} and exits 1. Writes GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE when set.\n"
        + "Config: wif4j create-cred-config --executable. google-auth needs\n"
        + "GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1. AWS signed requests cannot travel this way:\n"
        + "use the aws credential_source, or --source aws-oidc (AWS outbound OIDC tokens).";
  }

  @Override
  public Set<String> options() {
    return Set.of("source", "audience");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    String audience =
        args.option("audience")
            .or(() -> context.environment().get(AUDIENCE_ENV))
            .orElseThrow(
                () ->
                    ConfigurationException.missing(
                        AUDIENCE_ENV, "the workload identity provider (google-auth sets it)"));
    Optional<String> sourceId = args.option("source");
    Source source =
        sourceId.isPresent()
            ? SourceDetector.detect(context.environment(), sourceId.get())
            : SourceDetector.detect(context.environment());
    if (source instanceof AwsSigningSource || !(source instanceof SubjectTokenSource)) {
      throw FederationException.builder(
              FederationException.Step.SOURCE,
              "the detected source ("
                  + source.description()
                  + ") yields AWS credentials, which an"
                  + " executable response cannot carry")
          .fix(
              "Use an AWS credential_source (gcloud iam workload-identity-pools create-cred-config"
                  + " --aws) or wif4j google-executable --source aws-oidc.")
          .build();
    }
    SubjectTokenSource tokens = (SubjectTokenSource) source;
    String type = context.environment().get(TOKEN_TYPE_ENV).orElse(tokens.subjectTokenType());
    SubjectToken token = tokens.fetch(SourceContext.of(audience, type, context.environment()));
    Instant expiry =
        token
            .expiresAt()
            .or(() -> JwtClaims.decode(token.value()).expiry())
            .orElse(Instant.now().plus(Duration.ofMinutes(5)));
    String json =
        HelperOutput.googleSuccess(
            SubjectTokenType.JWT.equals(type) || SubjectTokenType.ID_TOKEN.equals(type)
                ? type
                : tokens.subjectTokenType(),
            token.value(),
            expiry.getEpochSecond());
    Optional<String> outputFile = context.environment().get(OUTPUT_FILE_ENV);
    if (outputFile.isPresent() && !outputFile.get().isBlank()) {
      try {
        HelperOutput.writePrivately(Path.of(outputFile.get()), json);
      } catch (IOException | RuntimeException e) {
        // google-auth reads the response from stdout when the file is unusable: still answer.
        context
            .console()
            .err(
                "wif4j google-executable: could not write "
                    + OUTPUT_FILE_ENV
                    + " "
                    + outputFile.get()
                    + ": "
                    + e);
      }
    }
    context.console().out(json);
    return ExitCodes.OK;
  }

  /**
   * Every failure, usage mistakes included, as the executable failure response on standard output
   * (google-auth merges standard error into what it parses, so nothing goes there).
   */
  @Override
  public int failed(Exception failure, CliContext context) {
    String message = HelperOutput.message(failure);
    context.console().err("wif4j google-executable: " + message);
    context.console().out(HelperOutput.googleFailure(HelperOutput.code(failure), message));
    return failure instanceof Args.UsageException ? ExitCodes.USAGE : ExitCodes.FAILED;
  }
}

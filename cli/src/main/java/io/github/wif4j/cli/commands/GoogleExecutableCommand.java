package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.internal.Json;
import io.github.wif4j.core.internal.Redaction;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code wif4j google-executable}: the executable-sourced credential response google-auth (any
 * language) and gcloud read from an {@code external_account} file with an {@code executable}
 * credential source, so they can use wif4j's sources (App Service, AKS, AWS outbound OIDC, ...).
 */
public final class GoogleExecutableCommand implements Command {
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
    Map<String, Object> response = new LinkedHashMap<>();
    response.put("version", 1);
    int code;
    try {
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
              .or(() -> expiryClaim(token.value()))
              .orElse(Instant.now().plus(Duration.ofMinutes(5)));
      response.put("success", true);
      response.put(
          "token_type",
          SubjectTokenType.JWT.equals(type) || SubjectTokenType.ID_TOKEN.equals(type)
              ? type
              : tokens.subjectTokenType());
      response.put("id_token", token.value());
      response.put("expiration_time", expiry.getEpochSecond());
      code = ExitCodes.OK;
    } catch (FederationException | ConfigurationException e) {
      response.put("success", false);
      response.put(
          "code",
          e instanceof FederationException
              ? ((FederationException) e)
                  .errorCode()
                  .orElse(((FederationException) e).step().name())
              : "CONFIGURATION");
      response.put("message", Redaction.scrub(e.getMessage()));
      context.console().err("wif4j google-executable: " + e.getMessage());
      code = ExitCodes.FAILED;
    }
    String json = Json.MAPPER.writeValueAsString(response);
    Optional<String> outputFile = context.environment().get(OUTPUT_FILE_ENV);
    if (outputFile.isPresent() && code == ExitCodes.OK) {
      Files.writeString(Path.of(outputFile.get()), json, StandardCharsets.UTF_8);
    }
    context.console().out(json);
    return code;
  }

  private static Optional<Instant> expiryClaim(String jwt) {
    Object exp = Federation.claims(jwt).get("exp");
    return exp instanceof Number
        ? Optional.of(Instant.ofEpochSecond(((Number) exp).longValue()))
        : Optional.empty();
  }
}

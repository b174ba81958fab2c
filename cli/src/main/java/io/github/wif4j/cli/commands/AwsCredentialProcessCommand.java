package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.internal.Json;
import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * {@code wif4j aws-credential-process}: Google → AWS credentials in the AWS {@code
 * credential_process} format, so the AWS CLI and every AWS SDK can use them:
 *
 * <pre>
 * [profile from-google]
 * credential_process = wif4j aws-credential-process --role-arn arn:aws:iam::111122223333:role/r
 * </pre>
 */
public final class AwsCredentialProcessCommand implements Command {
  @Override
  public String name() {
    return "aws-credential-process";
  }

  @Override
  public String summary() {
    return "AWS credential_process helper: Google ID token -> AWS STS -> credentials JSON";
  }

  @Override
  public String help() {
    return "Usage: wif4j aws-credential-process --role-arn ARN [--audience AUD]\n"
        + "         [--session-name NAME] [--duration SECONDS] [--region REGION] [--sts-endpoint URL]\n\n"
        + "Mints a Google ID token (metadata server on GCE/Cloud Run/GKE, else application default\n"
        + "credentials) for AUD (default: the role ARN), calls AWS STS AssumeRoleWithWebIdentity and\n"
        + "prints {\"Version\":1,\"AccessKeyId\":...,\"SecretAccessKey\":...,\"SessionToken\":...,\n"
        + "\"Expiration\":...}. Use it from ~/.aws/config:\n"
        + "  [profile from-google]\n"
        + "  credential_process = wif4j aws-credential-process --role-arn arn:aws:iam::111122223333:role/r\n"
        + "The trust policy must allow accounts.google.com with accounts.google.com:aud = the service\n"
        + "account's unique id (see docs/platforms/gcp-to-aws.md).";
  }

  @Override
  public Set<String> options() {
    return Set.of("role-arn", "audience", "session-name", "duration", "region", "sts-endpoint");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    GoogleToAwsCredentialsProvider.Builder b =
        GoogleToAwsCredentialsProvider.builder()
            .roleArn(args.required("role-arn", "the AWS role to assume"))
            .environment(context.environment())
            .transportPolicy(context.transportPolicy())
            .idTokenSource(IdTokenSource.detect(context.environment(), context.transportPolicy()));
    args.option("audience").ifPresent(b::audience);
    args.option("session-name").ifPresent(b::roleSessionName);
    args.option("region").ifPresent(b::stsRegion);
    args.option("sts-endpoint").map(URI::create).ifPresent(b::stsEndpoint);
    if (args.option("duration").isPresent()) {
      try {
        b.duration(Duration.ofSeconds(Long.parseLong(args.option("duration").get())));
      } catch (NumberFormatException e) {
        throw new Args.UsageException("--duration takes seconds, e.g. 3600");
      }
    }
    try (GoogleToAwsCredentialsProvider provider = b.build()) {
      AwsCredentials c = provider.resolveCredentials();
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("Version", 1);
      out.put("AccessKeyId", c.accessKeyId());
      out.put("SecretAccessKey", c.secretAccessKey());
      if (c instanceof AwsSessionCredentials) {
        out.put("SessionToken", ((AwsSessionCredentials) c).sessionToken());
      }
      c.expirationTime().ifPresent(e -> out.put("Expiration", e.toString()));
      context.console().out(Json.MAPPER.writeValueAsString(out));
      return ExitCodes.OK;
    }
  }
}

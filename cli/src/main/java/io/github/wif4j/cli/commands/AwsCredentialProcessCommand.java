package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.CredentialHelper;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * {@code wif4j aws-credential-process}: Google → AWS credentials in the AWS {@code
 * credential_process} format, so the AWS CLI and every AWS SDK can use them:
 *
 * <pre>
 * [profile from-google]
 * credential_process = /opt/wif4j/bin/wif4j aws-credential-process --role-arn arn:aws:iam::111122223333:role/r
 * </pre>
 *
 * <p>Answers from {@link AwsCredentialCache} when it can; only a miss loads the AWS SDK and
 * google-auth (see {@link Exchange}), which is most of a cold call's time.
 */
public final class AwsCredentialProcessCommand implements CredentialHelper {
  /** Builder field → the flag that sets it, so errors name what the user typed. */
  private static final Map<String, String> FLAGS =
      Map.of(
          "roleArn", "--role-arn",
          "audience", "--audience",
          "roleSessionName", "--session-name",
          "duration", "--duration-seconds",
          "stsRegion", "--region",
          "stsEndpoint", "--sts-endpoint");

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
        + "         [--session-name NAME] [--duration-seconds SECONDS] [--region REGION]\n"
        + "         [--sts-endpoint URL] [--no-cache]\n\n"
        + "Mints a Google ID token (metadata server on GCE/Cloud Run/GKE, else application default\n"
        + "credentials) for AUD (default: the role ARN), calls AWS STS AssumeRoleWithWebIdentity and\n"
        + "prints {\"Version\":1,\"AccessKeyId\":...,\"SecretAccessKey\":...,\"SessionToken\":...,\n"
        + "\"Expiration\":...}. Use it from ~/.aws/config:\n"
        + "  [profile from-google]\n"
        + "  credential_process = /opt/wif4j/bin/wif4j aws-credential-process --role-arn arn:aws:iam::111122223333:role/r\n"
        + "The answer is cached per user (~/.cache/wif4j/aws-credential-process, 0700; files 0600)\n"
        + "until 16 min before it expires, as the AWS CLI caches assume-role; --no-cache asks STS\n"
        + "every time. Prints nothing else on success; on failure one line on standard error.\n"
        + "The trust policy must allow accounts.google.com with accounts.google.com:aud = the service\n"
        + "account's unique id (see docs/platforms/gcp-to-aws.md).";
  }

  @Override
  public Set<String> options() {
    return Set.of(
        "role-arn",
        "audience",
        "session-name",
        "duration-seconds",
        "duration",
        "region",
        "sts-endpoint");
  }

  @Override
  public Set<String> flags() {
    return Set.of("no-cache");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    // The path to a cache hit has no lambda and touches no JSON, AWS or Google class: it is what
    // the AWS CLI waits for on every command.
    String role = args.required("role-arn", "the AWS role to assume");
    Integer duration = durationSeconds(args);
    AwsCredentialCache cache =
        args.flag("no-cache")
            ? null
            : AwsCredentialCache.of(
                context.environment(),
                Arrays.asList(
                    role,
                    args.option("audience").orElse(null),
                    args.option("session-name").orElse(null),
                    duration == null ? null : duration.toString(),
                    args.option("region").orElse(null),
                    args.option("sts-endpoint").orElse(null)),
                Clock.systemUTC());
    String cached = cache == null ? null : cache.read();
    if (cached != null) {
      context.console().out(cached);
      return ExitCodes.OK;
    }
    Exchange.Result result = Exchange.run(role, duration, args, context);
    if (cache != null && result.expires()) {
      try {
        cache.write(result.json());
      } catch (IOException | RuntimeException e) {
        context.console().err("wif4j aws-credential-process: not cached: " + e.getMessage());
      }
    }
    context.console().out(result.json());
    return ExitCodes.OK;
  }

  /** One line on standard error, which the AWS CLI and SDKs show; never a secret. */
  @Override
  public int failed(Exception failure, CliContext context) {
    context.console().failure("wif4j aws-credential-process: " + HelperOutput.message(failure));
    String code = HelperOutput.code(failure);
    return code.equals("USAGE")
        ? ExitCodes.USAGE
        : code.equals("CONFIGURATION") ? ExitCodes.CONFIGURATION : ExitCodes.FAILED;
  }

  /** {@code --duration-seconds} (or {@code --duration}), checked; null when not given. */
  private static Integer durationSeconds(Args args) {
    Optional<String> v = args.option("duration-seconds");
    if (v.isEmpty()) {
      v = args.option("duration");
    }
    if (v.isEmpty()) {
      return null;
    }
    int seconds;
    try {
      seconds = Integer.parseInt(v.get().trim());
    } catch (NumberFormatException e) {
      throw ConfigurationException.of(
          "--duration-seconds", "'" + v.get() + "' is not a number of seconds", "e.g. 3600");
    }
    if (seconds < 900 || seconds > 43200) {
      throw ConfigurationException.of(
          "--duration-seconds",
          seconds + " seconds is out of range",
          "900 (15 min) to 43200 (12 h), at most the role's maximum session duration");
    }
    return seconds;
  }

  /** The STS call: its own class, so a cache hit never loads the AWS SDK or google-auth. */
  private static final class Exchange {
    private Exchange() {}

    /** The credential_process document, with secrets: never printed whole. */
    record Result(String json, boolean expires) {
      @Override
      public String toString() {
        return "Result{expires=" + expires + "}";
      }
    }

    static Result run(String role, Integer duration, Args args, CliContext context)
        throws Exception {
      GoogleToAwsCredentialsProvider.Builder b =
          GoogleToAwsCredentialsProvider.builder()
              .roleArn(role)
              .environment(context.environment())
              .transportPolicy(context.transportPolicy())
              .idTokenSource(
                  IdTokenSource.detect(context.environment(), context.transportPolicy()));
      args.option("audience").ifPresent(b::audience);
      args.option("session-name").ifPresent(b::roleSessionName);
      args.option("region").ifPresent(b::stsRegion);
      if (args.option("sts-endpoint").isPresent()) {
        String url = args.option("sts-endpoint").get();
        try {
          b.stsEndpoint(URI.create(url));
        } catch (IllegalArgumentException e) {
          throw ConfigurationException.of(
              "--sts-endpoint",
              "'" + url + "' is not a URL",
              "e.g. https://sts.eu-west-1.amazonaws.com");
        }
      }
      if (duration != null) {
        b.duration(Duration.ofSeconds(duration));
      }
      GoogleToAwsCredentialsProvider provider;
      try {
        provider = b.build();
      } catch (ConfigurationException e) {
        throw asFlag(e);
      }
      try (provider) {
        AwsCredentials c = provider.resolveCredentials();
        return new Result(
            HelperOutput.awsCredentials(
                c.accessKeyId(),
                c.secretAccessKey(),
                c instanceof AwsSessionCredentials
                    ? ((AwsSessionCredentials) c).sessionToken()
                    : null,
                c.expirationTime().orElse(null)),
            c.expirationTime().isPresent());
      }
    }

    /** The builder's field name replaced by the flag that set it. */
    private static ConfigurationException asFlag(ConfigurationException e) {
      String flag = FLAGS.get(e.field());
      String message = String.valueOf(e.getMessage());
      if (flag == null || !message.startsWith(e.field() + ": ")) {
        return e;
      }
      return ConfigurationException.of(
          flag, message.substring(e.field().length() + 2), null, e.getCause());
    }
  }
}

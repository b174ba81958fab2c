package io.github.wif4j.aws.internal;

import io.github.wif4j.aws.StsClients;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * The AWS SDK's default credentials chain, in its order, assembled from the SDK's providers so that
 * each gets its settings from {@link Environment} and a failure can list every link with its
 * reason: system properties, environment variables, web identity token file (EKS IRSA) through
 * {@link StsAssumeRoleWithWebIdentityCredentialsProvider}, the profile through {@link
 * ProfileCredentialsProvider}, the container endpoint (ECS, EKS Pod Identity, Lambda SnapStart),
 * then {@link InstanceProfileCredentialsProvider} (EC2, AgentCore).
 */
public final class DefaultChain {
  private DefaultChain() {}

  /** What the links read: the environment, profiles, transport, endpoints and the region. */
  public record Settings(
      Environment env,
      Profiles profiles,
      TransportPolicy policy,
      URI imdsEndpoint,
      Duration metadataTimeout,
      Supplier<String> region,
      URI stsEndpoint) {}

  /** The chain; builds nothing yet (each SDK provider is built on first use). */
  public static CredentialChain create(Settings s) {
    return new CredentialChain(
        List.of(
            SettingsCredentials.systemProperties(s.env()),
            SettingsCredentials.environmentVariables(s.env()),
            webIdentity(s),
            profile(s),
            container(s),
            instanceProfile(s)));
  }

  private static CredentialResolver webIdentity(Settings s) {
    Environment env = s.env();
    Supplier<Optional<String>> notApplicable =
        () -> {
          if (AwsEnv.read(env, AwsEnv.WEB_IDENTITY_TOKEN_FILE).isEmpty()) {
            return Optional.of(AwsEnv.WEB_IDENTITY_TOKEN_FILE + " is not set");
          }
          return AwsEnv.read(env, AwsEnv.ROLE_ARN).isPresent()
              ? Optional.empty()
              : Optional.of(
                  AwsEnv.WEB_IDENTITY_TOKEN_FILE + " is set but " + AwsEnv.ROLE_ARN + " is not");
        };
    // The SDK's WebIdentityTokenFileCredentialsProvider builds its STS client from the process
    // environment (region, AWS_ENDPOINT_URL_STS); this one runs over wif4j's StsClient (its
    // retries, deadline, url-connection client) and re-reads the token file on every refresh.
    Supplier<AwsCredentialsProvider> factory =
        () -> {
          URI endpoint =
              s.stsEndpoint() != null
                  ? s.stsEndpoint()
                  : AwsEnv.read(env, AwsEnv.ENDPOINT_URL_STS).map(URI::create).orElse(null);
          StsClient sts =
              StsClients.create(
                  s.region().get(), AnonymousCredentialsProvider.create(), endpoint, s.policy());
          return new WithClient(
              StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                  .stsClient(sts)
                  .refreshRequest(() -> webIdentityRequest(env))
                  .build(),
              sts);
        };
    return new SdkCredentials(
        "web identity token file (EKS IRSA)",
        notApplicable,
        factory,
        (detail, status) ->
            FederationException.builder(
                    Step.SOURCE,
                    "AWS STS AssumeRoleWithWebIdentity for "
                        + AwsEnv.read(env, AwsEnv.ROLE_ARN).orElse("?")
                        + " failed: "
                        + detail)
                .fix(
                    "Check the role's trust policy allows the cluster's OIDC provider and this"
                        + " service account (eks.amazonaws.com/role-arn annotation), and that the"
                        + " pod can reach AWS STS."),
        null,
        (status, detail) -> false);
  }

  private static AssumeRoleWithWebIdentityRequest webIdentityRequest(Environment env) {
    String file = AwsEnv.read(env, AwsEnv.WEB_IDENTITY_TOKEN_FILE).orElseThrow();
    String token;
    try {
      token = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(
          FederationException.builder(
                  Step.SOURCE, "Cannot read " + AwsEnv.WEB_IDENTITY_TOKEN_FILE + " (" + file + ")")
              .fix("Check the projected service account token volume is mounted in the pod.")
              .cause(e)
              .build());
    }
    return AssumeRoleWithWebIdentityRequest.builder()
        .roleArn(AwsEnv.read(env, AwsEnv.ROLE_ARN).orElseThrow())
        .roleSessionName(
            AwsEnv.read(env, AwsEnv.ROLE_SESSION_NAME)
                .orElse("wif4j-" + Long.toString(System.currentTimeMillis(), 36)))
        .webIdentityToken(token)
        .build();
  }

  private static CredentialResolver profile(Settings s) {
    Profiles p = s.profiles();
    return new SdkCredentials(
        "profile '" + p.name() + "' (shared config and credentials files)",
        p::notApplicable,
        () ->
            ProfileCredentialsProvider.builder().profileFile(p::file).profileName(p.name()).build(),
        (detail, status) ->
            FederationException.builder(
                    Step.SOURCE, "AWS profile '" + p.name() + "' gave no credentials: " + detail)
                .fix("Check the profile with: aws sts get-caller-identity --profile " + p.name()),
        null,
        (status, detail) -> false);
  }

  private static CredentialResolver container(Settings s) {
    ContainerEndpoint endpoint = new ContainerEndpoint(s.env(), s.policy().readTimeout());
    return new SdkCredentials(
        "container credentials (ECS task role, EKS Pod Identity, Lambda SnapStart)",
        endpoint::notApplicable,
        endpoint::provider,
        (detail, status) -> {
          FederationException.Builder b =
              FederationException.builder(
                  Step.SOURCE,
                  "The AWS container credentials endpoint failed"
                      + (status > 0 ? " (HTTP " + status + ")" : "")
                      + ": "
                      + detail);
          if (status == 401 || status == 403) {
            b.fix(
                "The endpoint refused the authorization token. On EKS, check the Pod Identity"
                    + " association (aws eks list-pod-identity-associations --cluster-name"
                    + " <cluster>) and that "
                    + AwsEnv.CONTAINER_AUTH_TOKEN_FILE
                    + " is mounted; on Lambda SnapStart, pass "
                    + AwsEnv.CONTAINER_AUTH_TOKEN
                    + " through unchanged.");
          } else if (status == 404) {
            b.fix("On ECS, check that the task definition has a task role (taskRoleArn).");
          }
          return b;
        },
        s.policy(),
        (status, detail) -> status == -1 || status == 429 || status >= 500);
  }

  private static CredentialResolver instanceProfile(Settings s) {
    Environment env = s.env();
    String where = "EC2 instance metadata at " + s.imdsEndpoint();
    Supplier<AwsCredentialsProvider> factory =
        () ->
            InstanceProfileCredentialsProvider.builder()
                .endpoint(s.imdsEndpoint().toString())
                .profileFile(() -> imdsSettings(env, s.profiles(), s.metadataTimeout()))
                .profileName("wif4j")
                .build();
    return new SdkCredentials(
        "instance profile (" + where + ", also AgentCore)",
        () ->
            AwsEnv.isTrue(env, AwsEnv.IMDS_DISABLED)
                ? Optional.of(AwsEnv.IMDS_DISABLED + " is true")
                : Optional.empty(),
        factory,
        (detail, status) -> {
          if (status == 404 && detail.endsWith("/security-credentials/")) {
            return FederationException.builder(
                    Step.SOURCE, "No IAM role is attached to this instance (" + where + ")")
                .fix(
                    "Attach an instance profile: aws ec2 associate-iam-instance-profile"
                        + " --instance-id <id> --iam-instance-profile Name=<profile>; on"
                        + " AgentCore, set the runtime's execution role.");
          }
          if (detail.contains("fallback to IMDS v1 is disabled")) {
            return FederationException.builder(
                    Step.SOURCE,
                    where
                        + ": no session token"
                        + (status > 0 ? " (HTTP " + status + ")" : " (no answer in time)")
                        + " and IMDSv1 is disabled by "
                        + AwsEnv.IMDS_V1_DISABLED)
                .fix(
                    status == 405
                        ? "This metadata service speaks only IMDSv1 (Amazon Bedrock AgentCore"
                            + " Runtime without MMDSv2). Require MMDSv2 on the runtime rather than"
                            + " allowing v1: aws bedrock-agentcore-control update-agent-runtime"
                            + " --agent-runtime-id <ID> ... --metadata-configuration"
                            + " requireMMDSV2=true"
                        : "If this runs in a container on EC2, the token PUT's reply is dropped"
                            + " after one network hop: aws ec2 modify-instance-metadata-options"
                            + " --instance-id <INSTANCE_ID> --http-put-response-hop-limit 2");
          }
          FederationException.Builder b =
              FederationException.builder(Step.SOURCE, where + ": " + detail);
          return status == 400
              ? b.fix(
                  "A proxy between the workload and 169.254.169.254 adds X-Forwarded-For, which"
                      + " IMDS rejects; exclude 169.254.169.254 from the proxy (NO_PROXY).")
              : b.fix(
                  "Check the instance metadata options (aws ec2 describe-instances ..."
                      + " MetadataOptions); in a container, the hop limit: aws ec2"
                      + " modify-instance-metadata-options --http-put-response-hop-limit 2");
        },
        s.policy(),
        // 401: IMDSv2 became required after a v1 fallback; 404 on a role: replaced or garbled name
        (status, detail) ->
            status == -1
                || status == 401
                || status == 429
                || status >= 500
                || (status == 404 && !detail.endsWith("/security-credentials/")));
  }

  /**
   * The SDK's IMDS settings ({@code ec2_metadata_v1_disabled}, {@code metadata_service_timeout}) as
   * a one-profile file: the SDK reads them from the process environment, else from a profile file,
   * and only the profile file can be handed over.
   */
  static ProfileFile imdsSettings(Environment env, Profiles profiles, Duration timeout) {
    StringBuilder p = new StringBuilder("[profile wif4j]\n");
    Optional<String> v1Disabled =
        AwsEnv.read(env, AwsEnv.IMDS_V1_DISABLED)
            .or(() -> profiles.profile().flatMap(x -> x.property("ec2_metadata_v1_disabled")));
    v1Disabled.ifPresent(v -> p.append("ec2_metadata_v1_disabled = ").append(v).append('\n'));
    p.append("metadata_service_timeout = ").append(timeout.toMillis() / 1000.0).append('\n');
    return ProfileFile.builder().content(p.toString()).type(ProfileFile.Type.CONFIGURATION).build();
  }

  /** A provider that owns the STS client it runs over. */
  private record WithClient(StsAssumeRoleWithWebIdentityCredentialsProvider provider, StsClient sts)
      implements AwsCredentialsProvider, SdkAutoCloseable {
    @Override
    public AwsCredentials resolveCredentials() {
      return provider.resolveCredentials();
    }

    @Override
    public void close() {
      provider.close();
      sts.close();
    }
  }
}

package io.github.wif4j.aws.internal;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.internal.Redaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * EKS IRSA and any {@code AWS_WEB_IDENTITY_TOKEN_FILE} + {@code AWS_ROLE_ARN} setup: the SDK's
 * {@link StsAssumeRoleWithWebIdentityCredentialsProvider} (its caching and prefetch), fed a token
 * re-read from the file on each refresh, over an {@link StsClient} with wif4j's transport policy
 * and an optional endpoint ({@code AWS_ENDPOINT_URL_STS}).
 */
public final class WebIdentityCredentials implements CredentialResolver, AutoCloseable {
  private final Environment env;
  private final Supplier<String> region;
  private final URI endpoint;
  private final TransportPolicy policy;
  private volatile StsAssumeRoleWithWebIdentityCredentialsProvider provider;
  private volatile StsClient sts;

  public WebIdentityCredentials(
      Environment env, Supplier<String> region, URI endpoint, TransportPolicy policy) {
    this.env = env;
    this.region = region;
    this.endpoint = endpoint;
    this.policy = policy;
  }

  @Override
  public String name() {
    return "web identity token file (EKS IRSA)";
  }

  @Override
  public Optional<String> notApplicable() {
    if (AwsEnv.read(env, AwsEnv.WEB_IDENTITY_TOKEN_FILE).isEmpty()) {
      return Optional.of(AwsEnv.WEB_IDENTITY_TOKEN_FILE + " is not set");
    }
    if (AwsEnv.read(env, AwsEnv.ROLE_ARN).isEmpty()) {
      return Optional.of(
          AwsEnv.WEB_IDENTITY_TOKEN_FILE + " is set but " + AwsEnv.ROLE_ARN + " is not");
    }
    return Optional.empty();
  }

  @Override
  public AwsCredentials resolve() throws IOException {
    try {
      return provider().resolveCredentials();
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof FederationException) {
          throw (FederationException) t; // the token file could not be read
        }
      }
      if (!(e instanceof SdkException)) {
        throw e;
      }
      throw FederationException.builder(
              Step.SOURCE,
              "AWS STS AssumeRoleWithWebIdentity for "
                  + AwsEnv.read(env, AwsEnv.ROLE_ARN).orElse("?")
                  + " failed: "
                  + Redaction.scrub(String.valueOf(e.getMessage())))
          .fix(
              "Check the role's trust policy allows the cluster's OIDC provider and this service"
                  + " account (eks.amazonaws.com/role-arn annotation), and that the pod can reach"
                  + " AWS STS.")
          .retryable(((SdkException) e).retryable())
          .cause(e)
          .build();
    }
  }

  private StsAssumeRoleWithWebIdentityCredentialsProvider provider() {
    StsAssumeRoleWithWebIdentityCredentialsProvider p = provider;
    if (p != null) {
      return p;
    }
    synchronized (this) {
      if (provider == null) {
        URI ep =
            endpoint != null
                ? endpoint
                : AwsEnv.read(env, AwsEnv.ENDPOINT_URL_STS).map(URI::create).orElse(null);
        sts = StsClients.create(region.get(), AnonymousCredentialsProvider.create(), ep, policy);
        provider =
            StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                .stsClient(sts)
                .refreshRequest(this::request)
                .build();
      }
      return provider;
    }
  }

  private AssumeRoleWithWebIdentityRequest request() {
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

  @Override
  public void close() {
    StsAssumeRoleWithWebIdentityCredentialsProvider p = provider;
    if (p != null) {
      p.close();
      sts.close();
    }
  }
}

package io.github.wif4j.aws.internal;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.internal.Redaction;
import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/** Any AWS SDK {@link AwsCredentialsProvider} the caller hands over. */
public final class ProviderCredentials implements CredentialResolver {
  private final AwsCredentialsProvider provider;

  public ProviderCredentials(AwsCredentialsProvider provider) {
    this.provider = provider;
  }

  @Override
  public String name() {
    return provider.getClass().getSimpleName();
  }

  @Override
  public Optional<String> notApplicable() {
    return Optional.empty();
  }

  @Override
  public AwsCredentials resolve() throws IOException {
    try {
      return provider.resolveCredentials();
    } catch (SdkException | IllegalStateException | IllegalArgumentException e) {
      throw FederationException.builder(
              Step.SOURCE,
              name()
                  + " gave no AWS credentials: "
                  + Redaction.scrub(String.valueOf(e.getMessage())))
          .fix("Check the AWS credentials this provider reads: aws sts get-caller-identity")
          .retryable(e instanceof SdkException && ((SdkException) e).retryable())
          .cause(e)
          .build();
    }
  }
}

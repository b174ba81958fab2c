package io.github.wif4j.aws.internal;

import java.io.IOException;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;

/** One place AWS credentials may come from, with a reason when it does not apply here. */
public interface CredentialResolver {

  /** A short name for messages, e.g. {@code instance profile (EC2 IMDS)}. */
  String name();

  /** Why this place does not apply here (e.g. which variable is not set), or empty if it does. */
  Optional<String> notApplicable();

  /** Resolves credentials; failures are {@link io.github.wif4j.core.FederationException}s. */
  AwsCredentials resolve() throws IOException;

  /** Forgets any credentials held, so the next {@link #resolve()} fetches fresh ones. */
  default void reset() {}
}

package io.github.wif4j.spring;

import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;

/**
 * Adjusts the builder of the auto-configured {@link GoogleToAwsCredentialsProvider} after the
 * {@code wif4j.aws.*} properties are applied (session policy, ID token source, transport). Declare
 * one or more as beans; they run in {@code @Order}.
 */
@FunctionalInterface
public interface GoogleToAwsCustomizer {
  /** Changes {@code builder} in place. */
  void customize(GoogleToAwsCredentialsProvider.Builder builder);
}

package io.github.wif4j.core.config;

/**
 * Where an {@code external_account} configuration obtains its subject token: the {@code
 * credential_source} object. One of {@link AwsCredentialSource}, {@link FileCredentialSource},
 * {@link UrlCredentialSource}, {@link ExecutableCredentialSource} or {@link
 * CertificateCredentialSource}; switch on the type with {@code instanceof}.
 *
 * <p>Implementations are immutable value types created by their static factories, which validate
 * their arguments and throw {@link io.github.wif4j.core.ConfigurationException} naming the JSON
 * path of the bad value.
 */
public sealed interface CredentialSource
    permits AwsCredentialSource,
        FileCredentialSource,
        UrlCredentialSource,
        ExecutableCredentialSource,
        CertificateCredentialSource {

  /**
   * A short name of the kind: {@code aws}, {@code file}, {@code url}, {@code executable}, {@code
   * certificate}.
   */
  String kind();
}

package io.github.wif4j.core.config;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.internal.config.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * An X.509 client certificate as the subject (mTLS, subject token type {@code
 * urn:ietf:params:oauth:token-type:mtls}):
 *
 * <pre>{@code
 * "credential_source": {"certificate": {
 *   "use_default_certificate_config": true,
 *   "trust_chain_path": "/etc/certs/chain.pem"}}
 * }</pre>
 *
 * <p>Exactly one of the default certificate configuration ({@code GOOGLE_API_CERTIFICATE_CONFIG} or
 * {@code ~/.config/gcloud/certificate_config.json}) and an explicit {@code
 * certificate_config_location}. Immutable.
 */
public final class CertificateCredentialSource implements CredentialSource {
  private final boolean useDefaultCertificateConfig;
  private final String certificateConfigLocation;
  private final String trustChainPath;

  private CertificateCredentialSource(
      boolean useDefaultCertificateConfig,
      String certificateConfigLocation,
      String trustChainPath) {
    this.useDefaultCertificateConfig = useDefaultCertificateConfig;
    this.certificateConfigLocation = certificateConfigLocation;
    this.trustChainPath = trustChainPath;
  }

  /**
   * A certificate source from its three JSON fields.
   *
   * @throws ConfigurationException naming {@code credential_source.certificate} when neither or
   *     both of the default and an explicit location are chosen
   */
  public static CertificateCredentialSource of(
      boolean useDefaultCertificateConfig,
      String certificateConfigLocation,
      String trustChainPath) {
    String field = "credential_source.certificate";
    String expected =
        "either \"use_default_certificate_config\": true or \"certificate_config_location\":"
            + " \"/path/certificate_config.json\", not both";
    if (useDefaultCertificateConfig && certificateConfigLocation != null) {
      throw ConfigurationException.of(
          field,
          "sets both use_default_certificate_config and certificate_config_location",
          expected);
    }
    if (!useDefaultCertificateConfig && certificateConfigLocation == null) {
      throw ConfigurationException.of(field, "names no certificate configuration", expected);
    }
    if (certificateConfigLocation != null) {
      Checks.nonBlank(field + ".certificate_config_location", certificateConfigLocation, expected);
    }
    if (trustChainPath != null) {
      Checks.nonBlank(field + ".trust_chain_path", trustChainPath, "a PEM file path, or no field");
    }
    return new CertificateCredentialSource(
        useDefaultCertificateConfig, certificateConfigLocation, trustChainPath);
  }

  @Override
  public String kind() {
    return "certificate";
  }

  /** Whether the default certificate configuration is used. */
  public boolean useDefaultCertificateConfig() {
    return useDefaultCertificateConfig;
  }

  /** The explicit certificate configuration file. */
  public Optional<String> certificateConfigLocation() {
    return Optional.ofNullable(certificateConfigLocation);
  }

  /** Intermediate certificates to send after the leaf, when configured. */
  public Optional<String> trustChainPath() {
    return Optional.ofNullable(trustChainPath);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertificateCredentialSource c
        && c.useDefaultCertificateConfig == useDefaultCertificateConfig
        && Objects.equals(c.certificateConfigLocation, certificateConfigLocation)
        && Objects.equals(c.trustChainPath, trustChainPath);
  }

  @Override
  public int hashCode() {
    return Objects.hash(useDefaultCertificateConfig, certificateConfigLocation, trustChainPath);
  }

  @Override
  public String toString() {
    return "CertificateCredentialSource{"
        + (useDefaultCertificateConfig ? "default config" : certificateConfigLocation)
        + (trustChainPath == null ? "" : ", trustChain=" + trustChainPath)
        + "}";
  }
}

package io.github.wif4j.core.config;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import java.util.Optional;

/**
 * Serves the {@code credential_source} of an {@code external_account} configuration file with a
 * wif4j source instead of google-auth's own reader, e.g. an AWS {@code environment_id: aws1} source
 * with wif4j's cached, retrying AWS source. Registered by source modules through {@code
 * META-INF/services/io.github.wif4j.core.config.ConfigSourceProvider}; consulted when credentials
 * are built from a configuration without an explicit {@code source(...)}.
 *
 * <p>An implementation must honour the file's settings (its URLs, headers, resource) or decline:
 * when it cannot serve the source exactly as configured it returns empty and google-auth reads the
 * file's source itself. Construction must do no I/O.
 */
public interface ConfigSourceProvider {

  /**
   * A source serving {@code credentialSource}, or empty to leave it to google-auth.
   *
   * @param credentialSource the file's validated {@code credential_source}
   * @param environment where the source reads environment variables
   * @param transportPolicy timeouts, retries and deadline for the source's HTTP calls
   * @throws io.github.wif4j.core.ConfigurationException when the file's settings cannot work
   */
  Optional<Source> serve(
      CredentialSource credentialSource, Environment environment, TransportPolicy transportPolicy);
}

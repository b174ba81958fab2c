package io.github.wif4j.spring;

import io.github.wif4j.core.FederatedCredentials;

/**
 * Adjusts the builder of the auto-configured {@link FederatedCredentials} after the {@code wif4j.*}
 * properties are applied: a {@code TransportPolicy} (trust store, timeouts, retries), an explicit
 * source, an executor. Declare one or more as beans; they run in {@code @Order}.
 *
 * <pre>{@code
 * @Bean
 * FederatedCredentialsCustomizer corporateTrustStore() {
 *   return b -> b.transportPolicy(TransportPolicy.builder().sslContext(corporateTls).build());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface FederatedCredentialsCustomizer {
  /** Changes {@code builder} in place. */
  void customize(FederatedCredentials.Builder builder);
}

package io.github.wif4j.spring;

import com.google.api.gax.core.CredentialsProvider;
import io.github.wif4j.core.FederatedCredentials;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Spring Cloud GCP's {@link CredentialsProvider} on the federated credentials, when Spring Cloud
 * GCP is on the class path, so Pub/Sub, Storage, Secret Manager, ... starters authenticate through
 * wif4j. Runs before Spring Cloud GCP's own, which then backs off.
 */
@AutoConfiguration(
    after = Wif4jAutoConfiguration.class,
    beforeName = "com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration")
@ConditionalOnClass(
    name = {
      "com.google.cloud.spring.core.DefaultCredentialsProvider",
      "com.google.api.gax.core.CredentialsProvider"
    })
public class Wif4jSpringCloudGcpAutoConfiguration {

  /** Hands out the federated credentials; the application's own provider wins. */
  @Bean
  @ConditionalOnMissingBean(CredentialsProvider.class)
  @ConditionalOnBean(FederatedCredentials.class)
  public CredentialsProvider wif4jGcpCredentialsProvider(FederatedCredentials credentials) {
    return () -> credentials;
  }
}

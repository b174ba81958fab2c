package io.github.wif4j.spring;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.events.RefreshListener;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;

/**
 * Federated {@link com.google.auth.oauth2.GoogleCredentials} from the {@code wif4j.*} properties,
 * and the {@link Wif4jRefreshMonitor} every auto-configured wif4j component reports to.
 *
 * <p>The credentials bean exists when {@code wif4j.audience}, {@code wif4j.project-number} or
 * {@code wif4j.credential-config} is set (or their {@code WIF4J_*} variables, or {@code
 * wif4j.enabled=true}) and the application defines no {@code GoogleCredentials} of its own. It is
 * closed with the context. Building it does no I/O: the first token is fetched on first use.
 *
 * <p>Tests may define a {@link Clock} bean named {@value #CLOCK_BEAN} to drive wif4j's time.
 */
@AutoConfiguration(
    beforeName = {
      "com.google.cloud.spring.autoconfigure.core.GcpContextAutoConfiguration",
      "io.awspring.cloud.autoconfigure.core.CredentialsProviderAutoConfiguration"
    })
@EnableConfigurationProperties(Wif4jProperties.class)
public class Wif4jAutoConfiguration {
  /** The name of an optional {@link Clock} bean that wif4j's components and health use. */
  public static final String CLOCK_BEAN = "wif4jClock";

  /** The monitor of every refresh; forwards events to the application's listener beans. */
  @Bean
  @ConditionalOnMissingBean
  public Wif4jRefreshMonitor wif4jRefreshMonitor(
      @Qualifier(CLOCK_BEAN) ObjectProvider<Clock> clock,
      ObjectProvider<RefreshListener> listeners) {
    return new Wif4jRefreshMonitor(
        clock.getIfAvailable(Clock::systemUTC),
        () -> listeners.orderedStream().collect(Collectors.toList()));
  }

  /** Federated Google credentials, refreshed in the background; closed with the context. */
  @Bean
  @ConditionalOnMissingBean(com.google.auth.oauth2.GoogleCredentials.class)
  @Conditional(FederationConfiguredCondition.class)
  public FederatedCredentials wif4jGoogleCredentials(
      Wif4jProperties properties,
      Wif4jRefreshMonitor monitor,
      @Qualifier(CLOCK_BEAN) ObjectProvider<Clock> clock,
      ObjectProvider<FederatedCredentialsCustomizer> customizers) {
    Environment env = environment(properties);
    Optional<ExternalAccountConfig> config = ExternalAccountConfig.fromEnvironment(env);
    FederatedCredentials.Builder b = FederatedCredentials.builder().environment(env);
    if (config.isPresent()) {
      b.config(config.get());
    } else {
      b.settings(FederationSettings.fromEnvironment(env));
    }
    b.backgroundRefresh(properties.backgroundRefresh()).refreshListener(monitor);
    clock.ifAvailable(b::clock);
    customizers.orderedStream().forEach(c -> c.customize(b));
    return b.build();
  }

  static Environment environment(Wif4jProperties properties) {
    return Environment.system().withVariables(properties.asVariables());
  }
}

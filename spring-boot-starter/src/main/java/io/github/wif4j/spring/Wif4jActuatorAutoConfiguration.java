package io.github.wif4j.spring;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code wif4j} health indicator (with Spring Boot Actuator) and refresh metrics (with
 * Micrometer), both from the {@link Wif4jRefreshMonitor}. Turn off with {@code
 * management.health.wif4j.enabled=false}.
 */
@AutoConfiguration(
    after = Wif4jAutoConfiguration.class,
    afterName =
        "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
public class Wif4jActuatorAutoConfiguration {

  /** Health, when Actuator is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  // not @ConditionalOnEnabledHealthIndicator: that annotation is itself Actuator's, and an
  // application without Actuator could not even parse this class
  @ConditionalOnProperty(
      prefix = "management.health.wif4j",
      name = "enabled",
      havingValue = "true",
      matchIfMissing = true)
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "wif4jHealthIndicator")
    Wif4jHealthIndicator wif4jHealthIndicator(Wif4jRefreshMonitor monitor) {
      return new Wif4jHealthIndicator(monitor);
    }
  }

  /** Metrics, when Micrometer and a registry are present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
  @ConditionalOnBean(MeterRegistry.class)
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    Wif4jMetrics wif4jMetrics(MeterRegistry registry, Wif4jRefreshMonitor monitor) {
      return new Wif4jMetrics(registry, monitor);
    }
  }
}

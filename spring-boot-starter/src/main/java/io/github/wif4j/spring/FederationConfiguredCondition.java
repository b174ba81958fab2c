package io.github.wif4j.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when federation is configured: {@code wif4j.enabled=true}, or (unless {@code
 * wif4j.enabled=false}) an audience, a project number or a credential configuration is set.
 * Environment variables count through relaxed binding ({@code WIF4J_AUDIENCE}).
 */
class FederationConfiguredCondition extends SpringBootCondition {
  private static final String[] TRIGGERS = {
    "wif4j.audience", "wif4j.project-number", "wif4j.credential-config"
  };

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    PropertyResolver env = context.getEnvironment();
    String enabled = env.getProperty("wif4j.enabled");
    if ("false".equalsIgnoreCase(enabled)) {
      return ConditionOutcome.noMatch("wif4j.enabled=false");
    }
    if ("true".equalsIgnoreCase(enabled)) {
      return ConditionOutcome.match("wif4j.enabled=true");
    }
    for (String p : TRIGGERS) {
      String v = env.getProperty(p);
      if (v != null && !v.isBlank()) {
        return ConditionOutcome.match(p + " is set");
      }
    }
    return ConditionOutcome.noMatch(
        "none of wif4j.audience, wif4j.project-number, wif4j.credential-config is set");
  }
}

package io.github.wif4j.cli;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.http.TransportPolicy;
import java.util.Map;
import java.util.Objects;

/**
 * What a command runs against.
 *
 * @param environment the environment, with {@code --set NAME=VALUE} overrides applied
 * @param console output
 * @param transportPolicy timeouts, retries and TLS of every HTTP call
 */
public record CliContext(
    Environment environment, Console console, TransportPolicy transportPolicy) {
  /** {@code base} with {@code overrides} on top. */
  static Environment overlay(Environment base, Map<String, String> overrides) {
    Objects.requireNonNull(base, "base");
    if (overrides.isEmpty()) {
      return base;
    }
    return new Environment() {
      @Override
      public String getenv(String name) {
        String v = overrides.get(name);
        return v != null ? v : base.getenv(name);
      }

      @Override
      public String getProperty(String name) {
        return base.getProperty(name);
      }

      @Override
      public String toString() {
        return "Environment{" + base + " + " + overrides.keySet() + "}";
      }
    };
  }
}

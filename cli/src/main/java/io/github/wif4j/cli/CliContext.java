package io.github.wif4j.cli;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.http.TransportPolicy;
import java.util.Map;
import java.util.Objects;

/** What a command runs against: environment, output and transport. */
public final class CliContext {
  private final Environment environment;
  private final Console console;
  private final TransportPolicy transportPolicy;

  CliContext(Environment environment, Console console, TransportPolicy transportPolicy) {
    this.environment = environment;
    this.console = console;
    this.transportPolicy = transportPolicy;
  }

  /** The environment, with {@code --set NAME=VALUE} overrides applied. */
  public Environment environment() {
    return environment;
  }

  /** Output. */
  public Console console() {
    return console;
  }

  /** Timeouts, retries and TLS of every HTTP call. */
  public TransportPolicy transportPolicy() {
    return transportPolicy;
  }

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

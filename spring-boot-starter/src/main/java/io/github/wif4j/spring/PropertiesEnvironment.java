package io.github.wif4j.spring;

import io.github.wif4j.core.Environment;
import java.util.Map;

/** The {@code wif4j.*} properties as variables, in front of the process environment. */
final class PropertiesEnvironment implements Environment {
  private final Map<String, String> variables;
  private final Environment fallback;

  PropertiesEnvironment(Map<String, String> variables, Environment fallback) {
    this.variables = Map.copyOf(variables);
    this.fallback = fallback;
  }

  @Override
  public String getenv(String name) {
    String v = variables.get(name);
    return v != null ? v : fallback.getenv(name);
  }

  @Override
  public String getProperty(String name) {
    return fallback.getProperty(name);
  }

  @Override
  public String toString() {
    // names only: values may be secrets
    return "PropertiesEnvironment(" + variables.keySet() + " over " + fallback + ")";
  }
}

package io.github.wif4j.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one seam through which wif4j reads environment variables and system properties.
 *
 * <p>Production code uses {@link #system()}; tests pass a map with {@link #of(Map)} instead of
 * rewriting the process environment. Sources read rotating values (Azure's {@code IDENTITY_HEADER},
 * token file paths) through it on every fetch, so an {@code Environment} must answer with current
 * values, never a snapshot taken at construction.
 *
 * <p>Values that are present but blank are reported as absent by {@link #get(String)}: an empty
 * {@code AWS_REGION=} is a configuration mistake, not a region.
 */
public interface Environment {

  /** The raw value of environment variable {@code name}, or {@code null}. */
  String getenv(String name);

  /** The raw value of system property {@code name}, or {@code null}. */
  String getProperty(String name);

  /** The value of environment variable {@code name}, trimmed; empty when unset or blank. */
  default Optional<String> get(String name) {
    return trimmed(getenv(name));
  }

  /** The value of system property {@code name}, trimmed; empty when unset or blank. */
  default Optional<String> property(String name) {
    return trimmed(getProperty(name));
  }

  private static Optional<String> trimmed(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** Whether environment variable {@code name} is set to a non-blank value. */
  default boolean has(String name) {
    return get(name).isPresent();
  }

  /**
   * This environment with {@code variables} in front of its own (command-line {@code --set}
   * options, Spring properties); system properties unchanged. Names only in {@code toString()}.
   */
  default Environment withVariables(Map<String, String> variables) {
    Map<String, String> front = Map.copyOf(variables);
    Environment base = this;
    return new Environment() {
      @Override
      public String getenv(String name) {
        String v = front.get(name);
        return v != null ? v : base.getenv(name);
      }

      @Override
      public String getProperty(String name) {
        return base.getProperty(name);
      }

      @Override
      public String toString() {
        return front.keySet() + " over " + base;
      }
    };
  }

  /** The process environment and the JVM's system properties, read live on every call. */
  static Environment system() {
    return SystemEnvironment.INSTANCE;
  }

  /** An environment backed by {@code variables}, with no system properties. For tests. */
  static Environment of(Map<String, String> variables) {
    return of(variables, Map.of());
  }

  /**
   * An environment backed by {@code variables} and {@code properties}. The maps are read live, so a
   * test may change a mutable map between two fetches to simulate rotation.
   */
  static Environment of(Map<String, String> variables, Map<String, String> properties) {
    Objects.requireNonNull(variables, "variables");
    Objects.requireNonNull(properties, "properties");
    return new Environment() {
      @Override
      public String getenv(String name) {
        return variables.get(name);
      }

      @Override
      public String getProperty(String name) {
        return properties.get(name);
      }

      @Override
      public String toString() {
        // Names only: values may be secrets (IDENTITY_HEADER, AWS_SECRET_ACCESS_KEY).
        return "Environment.of(" + variables.keySet() + ")";
      }
    };
  }
}

/** The live process environment. The only class in wif4j allowed to call System.getenv. */
final class SystemEnvironment implements Environment {
  static final SystemEnvironment INSTANCE = new SystemEnvironment();

  private SystemEnvironment() {}

  @Override
  public String getenv(String name) {
    return System.getenv(name);
  }

  @Override
  public String getProperty(String name) {
    return System.getProperty(name);
  }

  @Override
  public String toString() {
    return "Environment.system()";
  }
}

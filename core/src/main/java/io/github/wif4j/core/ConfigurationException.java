package io.github.wif4j.core;

import java.util.Objects;

/**
 * Bad input: a configuration file, environment variable or builder value that cannot work.
 *
 * <p>Thrown at build or parse time, never from deep inside a token refresh. The message always
 * names the {@linkplain #field() field}, shows the offending value unless it is secret, and says
 * what is expected, for example:
 *
 * <pre>
 * service_account_impersonation.token_lifetime_seconds: 60 is out of range.
 *   Expected: an integer from 600 to 43200 (default 3600).
 * </pre>
 */
public final class ConfigurationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;
  private final String expected;

  private ConfigurationException(String field, String message, String expected, Throwable cause) {
    super(format(field, message, expected), cause);
    this.field = field;
    this.expected = expected;
  }

  /**
   * A problem with {@code field}.
   *
   * @param field where the bad value came from: a JSON path, an env var or a builder method
   * @param problem what is wrong, including the value when it is not secret
   * @param expected what would be accepted, and where to get it
   */
  public static ConfigurationException of(String field, String problem, String expected) {
    return new ConfigurationException(field, problem, expected, null);
  }

  /** Like {@link #of(String, String, String)}, keeping the underlying cause (never secret). */
  public static ConfigurationException of(
      String field, String problem, String expected, Throwable cause) {
    return new ConfigurationException(field, problem, expected, cause);
  }

  /** A required value that is missing. */
  public static ConfigurationException missing(String field, String expected) {
    return new ConfigurationException(field, "is required but missing", expected, null);
  }

  /** The field, env var or builder method the problem is about. */
  public String field() {
    return field;
  }

  /** What would be accepted. */
  public String expected() {
    return expected;
  }

  private static String format(String field, String problem, String expected) {
    Objects.requireNonNull(field, "field");
    StringBuilder sb = new StringBuilder(field).append(": ").append(problem);
    if (expected != null && !expected.isEmpty()) {
      sb.append(". Expected: ").append(expected);
    }
    return sb.toString();
  }
}

package io.github.wif4j.core.config;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.internal.config.Checks;
import java.util.Objects;
import java.util.Optional;

/**
 * A subject token printed by a program ("pluggable auth"):
 *
 * <pre>{@code
 * "credential_source": {"executable": {
 *   "command": "/usr/local/bin/token-helper --audience=gcp",
 *   "timeout_millis": 30000,
 *   "output_file": "/tmp/token-cache.json"}}
 * }</pre>
 *
 * <p>google-auth runs the command only when {@code GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1} is
 * set. Timeout 5000..120000 ms, default 30000. Immutable.
 */
public final class ExecutableCredentialSource implements CredentialSource {
  /** The default timeout. */
  public static final int DEFAULT_TIMEOUT_MILLIS = 30_000;

  private final String command;
  private final int timeoutMillis;
  private final String outputFile;

  private ExecutableCredentialSource(String command, int timeoutMillis, String outputFile) {
    this.command = command;
    this.timeoutMillis = timeoutMillis;
    this.outputFile = outputFile;
  }

  /**
   * An executable source; {@code outputFile} may be null.
   *
   * @throws ConfigurationException naming {@code credential_source.executable.command} or {@code
   *     credential_source.executable.timeout_millis}
   */
  public static ExecutableCredentialSource of(
      String command, int timeoutMillis, String outputFile) {
    Checks.nonBlank(
        "credential_source.executable.command",
        command,
        "the full command line printing the token response, e.g. /usr/local/bin/token-helper");
    if (timeoutMillis < 5_000 || timeoutMillis > 120_000) {
      throw ConfigurationException.of(
          "credential_source.executable.timeout_millis",
          timeoutMillis + " is out of range",
          "milliseconds from 5000 to 120000 (default 30000)");
    }
    if (outputFile != null) {
      Checks.nonBlank(
          "credential_source.executable.output_file", outputFile, "a file path, or no field");
    }
    return new ExecutableCredentialSource(command, timeoutMillis, outputFile);
  }

  @Override
  public String kind() {
    return "executable";
  }

  /** The command line. */
  public String command() {
    return command;
  }

  /** How long the command may run. */
  public int timeoutMillis() {
    return timeoutMillis;
  }

  /** Where the command caches its response, when configured. */
  public Optional<String> outputFile() {
    return Optional.ofNullable(outputFile);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutableCredentialSource other
        && other.command.equals(command)
        && other.timeoutMillis == timeoutMillis
        && Objects.equals(other.outputFile, outputFile);
  }

  @Override
  public int hashCode() {
    return Objects.hash(command, timeoutMillis, outputFile);
  }

  @Override
  public String toString() {
    // The command line may carry arguments the user considers sensitive; show the program only.
    String program = command.strip().split("\\s+", 2)[0];
    return "ExecutableCredentialSource{" + program + ", timeoutMillis=" + timeoutMillis + "}";
  }
}

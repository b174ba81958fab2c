package io.github.wif4j.cli;

/**
 * A command other programs run to get credentials ({@code aws-credential-process}, {@code
 * google-executable}). Its caller parses what it prints, so it runs on a {@link Console#quiet quiet
 * console} and every failure, usage mistakes included, is reported in the caller's format by {@link
 * #failed}.
 */
public interface CredentialHelper extends Command {

  /**
   * Reports {@code failure} the way the calling client reads it, without any secret.
   *
   * @return the exit code
   */
  int failed(Exception failure, CliContext context);
}

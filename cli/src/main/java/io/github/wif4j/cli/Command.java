package io.github.wif4j.cli;

import java.util.Set;

/** One {@code wif4j} sub-command. */
public interface Command {

  /** The name typed after {@code wif4j}. */
  String name();

  /** One line for {@code wif4j --help}. */
  String summary();

  /** The full {@code wif4j NAME --help} text. */
  String help();

  /** Options that take a value; any other option is a usage error. */
  default Set<String> options() {
    return Set.of();
  }

  /** Options that take no value. */
  default Set<String> flags() {
    return Set.of();
  }

  /**
   * Runs the command.
   *
   * @return the exit code: {@link ExitCodes}
   */
  int run(Args args, CliContext context) throws Exception;
}

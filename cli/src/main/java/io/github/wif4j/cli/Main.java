package io.github.wif4j.cli;

/** Entry point of the {@code wif4j} command; see {@link Cli}. */
public final class Main {
  private Main() {}

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(Cli.builder().build().run(args));
  }
}

package io.github.wif4j.cli;

/** The exit codes of {@code wif4j}. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** A federation step failed (the message names it and the fix). */
  public static final int FAILED = 1;

  /** The command line was wrong. */
  public static final int USAGE = 2;

  /** The configuration (environment, file, options) is invalid. */
  public static final int CONFIGURATION = 3;

  private ExitCodes() {}
}

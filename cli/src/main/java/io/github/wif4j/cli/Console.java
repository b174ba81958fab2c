package io.github.wif4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The command's output: results on standard output (what scripts read), progress and errors on
 * standard error. The only class of the CLI that touches {@code System.out} / {@code System.err}.
 */
public final class Console {
  private final PrintStream out;
  private final PrintStream err;
  private final ByteArrayOutputStream capturedOut;
  private final ByteArrayOutputStream capturedErr;

  private Console(
      PrintStream out, PrintStream err, ByteArrayOutputStream co, ByteArrayOutputStream ce) {
    this.out = out;
    this.err = err;
    this.capturedOut = co;
    this.capturedErr = ce;
  }

  /** The process's standard streams. */
  public static Console system() {
    return new Console(System.out, System.err, null, null);
  }

  /** A console that records everything (tests). */
  public static Console capturing() {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    return new Console(
        new PrintStream(o, true, StandardCharsets.UTF_8),
        new PrintStream(e, true, StandardCharsets.UTF_8),
        o,
        e);
  }

  /** A result line on standard output. */
  public void out(String line) {
    out.println(line);
    out.flush();
  }

  /** A progress or error line on standard error. */
  public void err(String line) {
    err.println(line);
    err.flush();
  }

  /** What a capturing console recorded on standard output. */
  public String capturedOut() {
    return capturedOut == null ? "" : capturedOut.toString(StandardCharsets.UTF_8);
  }

  /** What a capturing console recorded on standard error. */
  public String capturedErr() {
    return capturedErr == null ? "" : capturedErr.toString(StandardCharsets.UTF_8);
  }
}

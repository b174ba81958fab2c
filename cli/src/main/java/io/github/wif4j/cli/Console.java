package io.github.wif4j.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The command's output: results on standard output (what scripts read), progress and errors on
 * standard error. The only class of the CLI that touches {@code System.out} / {@code System.err}.
 */
public final class Console {
  /** The opt-in diagnostics file of the credential helpers (they never write to stderr). */
  public static final String LOG_FILE_ENV = "WIF4J_LOG_FILE";

  private final PrintStream out;
  private final PrintStream err;
  private final PrintStream failure;
  private final boolean system;
  private final ByteArrayOutputStream capturedOut;
  private final ByteArrayOutputStream capturedErr;

  private Console(
      PrintStream out,
      PrintStream err,
      PrintStream failure,
      boolean system,
      ByteArrayOutputStream co,
      ByteArrayOutputStream ce) {
    this.out = out;
    this.err = err;
    this.failure = failure;
    this.system = system;
    this.capturedOut = co;
    this.capturedErr = ce;
  }

  /** The process's standard streams. */
  public static Console system() {
    return new Console(System.out, System.err, System.err, true, null, null);
  }

  /** A console that records everything (tests). */
  public static Console capturing() {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);
    return new Console(new PrintStream(o, true, StandardCharsets.UTF_8), err, err, false, o, e);
  }

  /**
   * The console of a credential helper, which its caller reads as one stream: google-auth merges
   * standard error into the standard output it parses, so one stray line (a log record, a library's
   * warning) breaks every client. Standard output carries only what the command prints with {@link
   * #out}; {@link #err} and everything else that would reach either stream (java.util.logging and
   * {@code System.Logger} console handlers, stray prints) go to the file named by {@value
   * #LOG_FILE_ENV} (created 0600) or nowhere. {@link #failure} still reaches the real standard
   * error.
   *
   * @param logFile the opt-in diagnostics file, e.g. from {@value #LOG_FILE_ENV}
   */
  public Console quiet(Optional<String> logFile) {
    PrintStream log = new PrintStream(OutputStream.nullOutputStream(), true);
    if (logFile.isPresent() && !logFile.get().isBlank()) {
      try {
        log = new PrintStream(openPrivateLog(Path.of(logFile.get())), true, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        // no diagnostics rather than a broken response
      }
    }
    if (system) {
      // Before any library initialises java.util.logging: its ConsoleHandler (whatever a logging
      // configuration adds) takes System.err when created, which is then this stream.
      System.setOut(log);
      System.setErr(log);
    }
    return new Console(out, log, failure, false, capturedOut, capturedErr);
  }

  private static OutputStream openPrivateLog(Path file) throws IOException {
    if (!Files.exists(file)
        && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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

  /**
   * A failure line on the real standard error, even on a {@link #quiet} console (the AWS CLI and
   * SDKs show a credential process's standard error when it exits non-zero).
   */
  public void failure(String line) {
    failure.println(line);
    failure.flush();
    if (err != failure) {
      err(line);
    }
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

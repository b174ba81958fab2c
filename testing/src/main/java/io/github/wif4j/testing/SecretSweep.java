package io.github.wif4j.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Collects everything a failing credential flow prints (exception chains with stack traces and
 * suppressed exceptions, {@code toString()} of objects, every {@code java.util.logging} line at
 * every level, which is where {@code System.Logger} goes by default) and finds the secrets in it.
 *
 * <pre>{@code
 * try (SecretSweep sweep = SecretSweep.start()) {
 *   sweep.record("STS 503", assertThrows(Exception.class, credentials::refresh));
 *   sweep.note(credentials);
 *   List<String> leaks = sweep.leaks(secretsHandedOut);
 *   assertTrue(leaks.isEmpty(), "secrets leaked: " + leaks + "\n" + sweep.around(leaks));
 * }
 * }</pre>
 *
 * <p>{@link #start()} sets the {@code io.github.wif4j} logger to {@code ALL} and captures the root
 * logger; {@link #close()} puts both back. Thread-safe for recording.
 */
public final class SecretSweep implements AutoCloseable {
  private final StringBuffer evidence = new StringBuffer();
  private final List<String> logLines = new CopyOnWriteArrayList<>();
  private final Handler capture;
  private final Logger wif4jLogger = Logger.getLogger("io.github.wif4j");
  private final Level previousLevel;

  private SecretSweep() {
    capture =
        new Handler() {
          private final SimpleFormatter formatter = new SimpleFormatter();

          @Override
          public void publish(LogRecord record) {
            logLines.add(formatter.format(record));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    capture.setLevel(Level.ALL);
    Logger.getLogger("").addHandler(capture);
    previousLevel = wif4jLogger.getLevel();
    wif4jLogger.setLevel(Level.ALL);
  }

  /** Starts capturing log output. */
  public static SecretSweep start() {
    return new SecretSweep();
  }

  /** Keeps {@code e}'s stack trace, and each cause's and suppressed exception's message. */
  public void record(String label, Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    evidence.append("== ").append(label).append('\n').append(trace).append('\n');
    for (Throwable t = e; t != null; t = t.getCause()) {
      evidence.append(t.getMessage()).append('\n').append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        record(label + " (suppressed)", s);
      }
    }
  }

  /** Keeps {@code String.valueOf(o)} (a {@code toString()}, an event, a message). */
  public void note(Object o) {
    evidence.append(o).append('\n');
  }

  /** Whether {@code text} was recorded, noted or logged. */
  public boolean saw(String text) {
    return all().contains(text);
  }

  /** The log lines captured so far. */
  public List<String> logLines() {
    return List.copyOf(logLines);
  }

  /**
   * The secrets, or distinctive pieces of them (a JWT's signature; a 16-character slice of a long
   * token or key), found anywhere in what was recorded, noted or logged.
   */
  public List<String> leaks(Collection<String> secrets) {
    String all = all();
    List<String> leaks = new ArrayList<>();
    for (String secret : secrets) {
      for (String piece : pieces(secret)) {
        if (all.contains(piece)) {
          leaks.add(piece);
        }
      }
    }
    return leaks;
  }

  /** The text around the first leak, for the assertion message; empty when there is none. */
  public String around(List<String> leaks) {
    if (leaks.isEmpty()) {
      return "";
    }
    String all = all();
    int i = all.indexOf(leaks.get(0));
    return all.substring(Math.max(0, i - 600), Math.min(all.length(), i + 200));
  }

  private String all() {
    return evidence + "\n" + String.join("\n", logLines);
  }

  private static List<String> pieces(String secret) {
    List<String> out = new ArrayList<>();
    out.add(secret);
    String[] jwt = secret.split("\\.");
    if (jwt.length == 3) {
      out.add(jwt[2]);
    }
    int dash = secret.lastIndexOf('-');
    if (dash > 0 && secret.length() - dash > 16) {
      out.add(secret.substring(dash + 1, dash + 17));
    }
    if (secret.length() > 24) {
      out.add(secret.substring(8, 24));
    }
    return out;
  }

  /** Stops capturing and restores the {@code io.github.wif4j} logger's level. */
  @Override
  public void close() {
    Logger.getLogger("").removeHandler(capture);
    wif4jLogger.setLevel(previousLevel);
  }
}

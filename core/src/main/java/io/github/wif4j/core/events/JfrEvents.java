package io.github.wif4j.core.events;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;
import jdk.jfr.Timestamp;

/**
 * The Flight Recorder form of the refresh events, enabled by default in any recording ({@code jcmd
 * <pid> JFR.start}). Loaded only when the runtime has the jdk.jfr module. Fields never hold
 * secrets.
 */
final class JfrEvents {
  private JfrEvents() {}

  @Name("io.github.wif4j.RefreshStarted")
  @Label("wif4j Refresh Started")
  @Category({"wif4j", "Token refresh"})
  @Description("A token or credential refresh begins.")
  @StackTrace(false)
  static final class Started extends Event {
    @Label("Cache")
    String cache;

    @Label("Current Value Expires")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long currentExpiresAt;
  }

  @Name("io.github.wif4j.RefreshSucceeded")
  @Label("wif4j Refresh Succeeded")
  @Category({"wif4j", "Token refresh"})
  @Description("A token or credential refresh produced a new value.")
  @StackTrace(false)
  static final class Succeeded extends Event {
    @Label("Cache")
    String cache;

    @Label("Latency")
    @Timespan(Timespan.NANOSECONDS)
    long latency;

    @Label("Expires")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long expiresAt;

    @Label("Failures Before")
    int failuresBefore;
  }

  @Name("io.github.wif4j.RefreshFailed")
  @Label("wif4j Refresh Failed")
  @Category({"wif4j", "Token refresh"})
  @Description("A token or credential refresh failed; the value in hand is served while valid.")
  @StackTrace(false)
  static final class Failed extends Event {
    @Label("Cache")
    String cache;

    @Label("Latency")
    @Timespan(Timespan.NANOSECONDS)
    long latency;

    @Label("Step")
    String step;

    @Label("Retryable")
    boolean retryable;

    @Label("Fix")
    String fix;

    @Label("Error Type")
    String errorType;

    @Label("Message")
    String message;

    @Label("Current Value Expires")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long currentExpiresAt;

    @Label("Time Left")
    @Timespan(Timespan.MILLISECONDS)
    long timeLeft;

    @Label("Consecutive Failures")
    int consecutiveFailures;

    @Label("Next Retry")
    @Timestamp(Timestamp.MILLISECONDS_SINCE_EPOCH)
    long nextRetryAt;

    @Label("Exhausted")
    @Description("No usable value: none, expired, or expiring before the next retry.")
    boolean exhausted;
  }
}

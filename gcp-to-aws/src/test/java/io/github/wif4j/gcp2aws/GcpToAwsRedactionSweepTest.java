package io.github.wif4j.gcp2aws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.events.RefreshFailed;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.events.RefreshStarted;
import io.github.wif4j.core.events.RefreshSucceeded;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeGceMetadata;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.RecordedRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * Google → AWS: drives the failure modes of the metadata server and AWS STS (AWS STS echoing a
 * Google ID token in its error included) and scans exception chains, stack traces, {@code
 * toString()}, refresh events and every log line at every level for the ID tokens and the AWS
 * secret keys and session tokens handed out.
 */
class GcpToAwsRedactionSweepTest {
  private static final String ROLE = GoogleToAwsCredentialsProviderTest.ROLE;

  private FakeGceMetadata gce;
  private FakeAwsSts sts;
  private final StringBuilder evidence = new StringBuilder();
  private final List<String> logLines = new CopyOnWriteArrayList<>();
  private final Set<String> secrets = new LinkedHashSet<>();
  private Handler capture;
  private Logger wif4jLogger;
  private Level previousLevel;

  private final RefreshListener events =
      new RefreshListener() {
        @Override
        public void refreshStarted(RefreshStarted e) {
          evidence.append(e).append('\n');
        }

        @Override
        public void refreshSucceeded(RefreshSucceeded e) {
          evidence.append(e).append('\n');
        }

        @Override
        public void refreshFailed(RefreshFailed e) {
          evidence.append(e).append('\n').append(e.message()).append('\n');
          e.fix().ifPresent(f -> evidence.append(f).append('\n'));
          record("event", e.failure());
        }
      };

  @BeforeEach
  void start() {
    gce = new FakeGceMetadata().start();
    sts = new FakeAwsSts().start();
    sts.trustIssuer(gce.googleIssuer());
    sts.allowRole(ROLE, Map.of("accounts.google.com:aud", gce.serviceAccountUniqueId()));
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
    wif4jLogger = Logger.getLogger("io.github.wif4j");
    previousLevel = wif4jLogger.getLevel();
    wif4jLogger.setLevel(Level.ALL);
  }

  @AfterEach
  void stop() {
    Logger.getLogger("").removeHandler(capture);
    wif4jLogger.setLevel(previousLevel);
    sts.close();
    gce.close();
  }

  private GoogleToAwsCredentialsProvider provider(String role) {
    return provider(role, Duration.ofSeconds(3), Duration.ofSeconds(10));
  }

  private GoogleToAwsCredentialsProvider provider(String role, Duration read, Duration deadline) {
    return GoogleToAwsCredentialsProvider.builder()
        .roleArn(role)
        .stsEndpoint(sts.endpoint())
        .stsRegion("us-east-1")
        .environment(Environment.of(Map.of("GCE_METADATA_HOST", gce.hostAndPort())))
        .transportPolicy(
            TransportPolicy.builder()
                .connectTimeout(Duration.ofSeconds(1))
                .readTimeout(read)
                .deadline(deadline)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
                .build())
        .refreshListener(events)
        .build();
  }

  private void succeed() {
    try (GoogleToAwsCredentialsProvider p = provider(ROLE)) {
      AwsCredentials c = p.resolveCredentials();
      secrets.add(c.secretAccessKey());
      secrets.add(((AwsSessionCredentials) c).sessionToken());
      evidence.append(c).append('\n').append(p).append('\n');
    }
  }

  private void fail(String label, String role) {
    fail(label, provider(role));
  }

  private void fail(String label, GoogleToAwsCredentialsProvider provider) {
    try (GoogleToAwsCredentialsProvider p = provider) {
      record(label, assertThrows(RuntimeException.class, p::resolveCredentials));
      evidence.append(p).append('\n');
    }
  }

  private void record(String label, Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    evidence.append("== ").append(label).append('\n').append(trace).append('\n');
    for (Throwable t = e; t != null; t = t.getCause()) {
      evidence.append(t.getMessage()).append('\n').append(t).append('\n');
    }
  }

  @Test
  void everyFailureMode_noIdTokenOrAwsSecretInExceptionsEventsToStringOrLogs() {
    succeed();
    String earlierIdToken = idTokensSent().get(0);

    sts.enqueueFault(
        FakeAwsSts.errorFault(
                400,
                "InvalidIdentityToken",
                "Couldn't verify WebIdentityToken="
                    + earlierIdToken
                    + " or "
                    + earlierIdToken
                    + " for the key "
                    + secrets.iterator().next())
            .times(100));
    fail("STS echoes the ID token and a secret", ROLE);
    sts.clearFaults();
    for (Fault f :
        List.of(
            Fault.status(500),
            Fault.status(503, "text/html", "<html>busy</html>"),
            FakeAwsSts.throttling(),
            Fault.reset(),
            Fault.malformedBody())) {
      sts.enqueueFault(f.times(100));
      fail("STS " + f, ROLE);
      sts.clearFaults();
    }
    sts.enqueueFault(Fault.hang().times(100));
    fail("STS hang", provider(ROLE, Duration.ofMillis(300), Duration.ofSeconds(2)));
    sts.clearFaults();
    fail("role not allowed", "arn:aws:iam::123456789012:role/not-trusting-google");
    gce.enqueueFault(Fault.status(500).times(100));
    fail("metadata 500", ROLE);
    gce.clearFaults();
    succeed();

    secrets.addAll(idTokensSent());
    assertTrue(idTokensSent().size() >= 3, "ID tokens handed out: " + idTokensSent().size());
    assertTrue(evidence.indexOf("RefreshFailed") >= 0, "refresh events were captured");
    String all = evidence + "\n" + String.join("\n", logLines);
    List<String> leaks = new ArrayList<>();
    for (String secret : secrets) {
      for (String piece : pieces(secret)) {
        if (all.contains(piece)) {
          leaks.add(piece);
        }
      }
    }
    assertTrue(leaks.isEmpty(), "secrets leaked: " + leaks + "\n---\n" + around(all, leaks));
    assertFalse(all.contains("eyJ"), "no JWT-looking text at all");
  }

  /** The Google ID tokens sent to AWS STS (AssumeRoleWithWebIdentity's WebIdentityToken). */
  private List<String> idTokensSent() {
    List<String> out = new ArrayList<>();
    for (RecordedRequest r : sts.requests()) {
      String t = r.form().getOrDefault("WebIdentityToken", r.query("WebIdentityToken"));
      if (t != null && !out.contains(t)) {
        out.add(t);
      }
    }
    return out;
  }

  /** The whole secret and, for a JWT, its signature; for a long key, a distinctive slice. */
  private static List<String> pieces(String secret) {
    List<String> out = new ArrayList<>();
    out.add(secret);
    String[] jwt = secret.split("\\.");
    if (jwt.length == 3) {
      out.add(jwt[2]);
    }
    if (secret.length() > 24) {
      out.add(secret.substring(8, 24));
    }
    return out;
  }

  private static String around(String all, List<String> leaks) {
    if (leaks.isEmpty()) {
      return "";
    }
    int i = all.indexOf(leaks.get(0));
    return all.substring(Math.max(0, i - 600), Math.min(all.length(), i + 200));
  }
}

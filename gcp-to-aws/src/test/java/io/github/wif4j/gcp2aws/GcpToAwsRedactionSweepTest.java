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
import io.github.wif4j.testing.SecretSweep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final Set<String> secrets = new LinkedHashSet<>();
  private SecretSweep sweep;

  private final RefreshListener events =
      new RefreshListener() {
        @Override
        public void refreshStarted(RefreshStarted e) {
          sweep.note(e);
        }

        @Override
        public void refreshSucceeded(RefreshSucceeded e) {
          sweep.note(e);
        }

        @Override
        public void refreshFailed(RefreshFailed e) {
          sweep.note(e);
          sweep.note(e.message());
          e.fix().ifPresent(sweep::note);
          sweep.record("event", e.failure());
        }
      };

  @BeforeEach
  void start() {
    gce = new FakeGceMetadata().start();
    sts = new FakeAwsSts().start();
    sts.trustIssuer(gce.googleIssuer());
    sts.allowRole(ROLE, Map.of("accounts.google.com:aud", gce.serviceAccountUniqueId()));
    sweep = SecretSweep.start();
  }

  @AfterEach
  void stop() {
    sweep.close();
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
      sweep.note(c);
      sweep.note(p);
    }
  }

  private void fail(String label, String role) {
    fail(label, provider(role));
  }

  private void fail(String label, GoogleToAwsCredentialsProvider provider) {
    try (GoogleToAwsCredentialsProvider p = provider) {
      sweep.record(label, assertThrows(RuntimeException.class, p::resolveCredentials));
      sweep.note(p);
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
    assertTrue(sweep.saw("RefreshFailed"), "refresh events were captured");
    List<String> leaks = sweep.leaks(secrets);
    assertTrue(leaks.isEmpty(), "secrets leaked: " + leaks + "\n---\n" + sweep.around(leaks));
    assertFalse(sweep.saw("eyJ"), "no JWT-looking text at all");
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
}

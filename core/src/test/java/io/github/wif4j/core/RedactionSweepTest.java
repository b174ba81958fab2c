package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.events.RefreshFailed;
import io.github.wif4j.core.events.RefreshListener;
import io.github.wif4j.core.events.RefreshStarted;
import io.github.wif4j.core.events.RefreshSucceeded;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.FakeServer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.SecretSweep;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives every failure mode and scans exception chains, stack traces, {@code toString()} and log
 * output for the secrets the fakes handed out: subject-token JWTs and STS/IAM access tokens.
 */
class RedactionSweepTest {
  private static final String SA = FaultMatrixTest.SA;

  private FakeCloud cloud;
  private FakeJwtIssuer issuer;
  private FakeJwtIssuer untrusted;
  private final List<String> subjectTokens = new CopyOnWriteArrayList<>();
  private SecretSweep sweep;

  /** Every refresh event's text goes into the evidence too: listeners log them. */
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
          sweep.record("event " + e.cache(), e.failure());
        }
      };

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    issuer = FakeJwtIssuer.create("https://oidc.example.test");
    untrusted = FakeJwtIssuer.create("https://untrusted.example.test");
    cloud.sts().trustIssuer(issuer, FaultMatrixTest.APP_AUDIENCE);
    cloud.iam().allowImpersonation(SA);
    // System.Logger defaults to java.util.logging: every wif4j log line, at every level.
    sweep = SecretSweep.start();
  }

  @AfterEach
  void stop() {
    sweep.close();
    cloud.close();
  }

  private SubjectTokenSource recordingSource(FakeJwtIssuer from) {
    return new SubjectTokenSource() {
      @Override
      public String subjectTokenType() {
        return SubjectTokenType.JWT;
      }

      @Override
      public SubjectToken fetch(SourceContext context) {
        String jwt =
            from.issue(
                "workload-1",
                FaultMatrixTest.APP_AUDIENCE,
                Duration.ofHours(1),
                Map.of("email", "w@example.test"));
        subjectTokens.add(jwt);
        return SubjectToken.of(jwt, SubjectTokenType.JWT);
      }
    };
  }

  private FederatedCredentials.Builder builder(
      FakeJwtIssuer from, String impersonate, TransportPolicy policy) {
    FederationSettings.Builder s =
        FederationSettings.builder()
            .audience(cloud.audience("my-pool", "my-oidc"))
            .tokenUrl(cloud.stsTokenUrl());
    if (impersonate != null) {
      s.serviceAccountImpersonationUrl(cloud.impersonationUrl(impersonate));
    }
    return FederatedCredentials.builder()
        .settings(s.build())
        .source(recordingSource(from))
        .backgroundRefresh(false)
        .refreshListener(events)
        .transportPolicy(policy);
  }

  private static TransportPolicy fast() {
    return FaultMatrixTest.fastPolicy().maxAttempts(2).build();
  }

  private static TransportPolicy hangPolicy() {
    return FaultMatrixTest.fastPolicy()
        .readTimeout(Duration.ofMillis(300))
        .deadline(Duration.ofMillis(800))
        .build();
  }

  /** Runs one failing acquisition and keeps everything it printed. */
  private void fail(String label, FederatedCredentials.Builder b) {
    try (FederatedCredentials credentials = b.build()) {
      Exception e = assertThrows(Exception.class, () -> credentials.getRequestMetadata(null));
      sweep.record(label, e);
      sweep.note(credentials);
    }
  }

  private void faultOn(Function<FakeCloud, FakeServer> server, Fault fault) {
    server.apply(cloud).clearFaults();
    server.apply(cloud).enqueueFault(fault);
  }

  @Test
  void everyFailureMode_noSecretInExceptionsStackTracesToStringOrLogs() throws Exception {
    // A first success hands out one of each secret, so that later failures could leak them.
    try (FederatedCredentials ok = builder(issuer, SA, fast()).build()) {
      sweep.note(ok.getRequestMetadata(null).keySet());
      sweep.note(ok);
      ok.refreshIfExpired(); // (google-auth's own AccessToken.toString() prints the token)
    }

    Function<FakeCloud, FakeServer> sts = FakeCloud::sts;
    Function<FakeCloud, FakeServer> iam = FakeCloud::iam;
    for (Function<FakeCloud, FakeServer> server : List.of(sts, iam)) {
      String where = server == sts ? "STS" : "IAM";
      faultOn(server, Fault.status(503).times(100));
      fail(where + " 503 json", builder(issuer, SA, fast()));
      faultOn(server, Fault.status(503, "text/html", "<html>busy</html>").times(100));
      fail(where + " 503 html", builder(issuer, SA, fast()));
      faultOn(server, Fault.status(500).times(100));
      fail(where + " 500", builder(issuer, SA, fast()));
      faultOn(server, Fault.status(429).times(100));
      fail(where + " 429", builder(issuer, SA, fast()));
      faultOn(server, Fault.reset().times(100));
      fail(where + " reset", builder(issuer, SA, fast()));
      faultOn(server, Fault.malformedBody().times(100));
      fail(where + " malformed", builder(issuer, SA, fast()));
      faultOn(server, Fault.hang().times(100));
      fail(where + " hang", builder(issuer, SA, hangPolicy()));
      server.apply(cloud).clearFaults();
    }
    fail("untrusted issuer", builder(untrusted, SA, fast()));
    fail("no impersonation binding", builder(issuer, "other@p.iam.gserviceaccount.com", fast()));
    cloud.sts().setAttributeCondition(a -> false);
    fail("attribute condition", builder(issuer, null, fast()));
    cloud.sts().setAttributeCondition(null);

    // Stale-if-error: a failed background refresh is logged while the token is still served.
    FakeClock clock = FakeClock.now();
    ControlledExecutor executor = new ControlledExecutor();
    try (FederatedCredentials c =
        builder(issuer, null, fast()).clock(clock).executor(executor).build()) {
      c.getRequestMetadata(null);
      cloud.sts().enqueueFault(Fault.malformedBody().times(100));
      clock.advance(Duration.ofMinutes(50));
      c.getRequestMetadata(null);
      clock.advance(Duration.ofMinutes(10));
      sweep.record("stale", assertThrows(Exception.class, () -> c.getRequestMetadata(null)));
      sweep.note(c);
    }

    Set<String> secrets = new LinkedHashSet<>(subjectTokens);
    secrets.addAll(cloud.sts().issuedTokens());
    secrets.addAll(cloud.iam().issuedTokens());
    assertTrue(subjectTokens.size() > 10, "subject tokens handed out: " + subjectTokens.size());
    assertTrue(cloud.sts().issuedTokens().size() > 3);
    assertTrue(cloud.iam().issuedTokens().size() > 1);
    assertTrue(sweep.saw("RefreshFailed"), "refresh events were captured");
    assertTrue(
        sweep.logLines().stream().anyMatch(l -> l.contains("background refresh failed")),
        "the stale-if-error warning was captured: " + sweep.logLines());

    List<String> leaks = sweep.leaks(secrets);
    assertTrue(leaks.isEmpty(), "secrets leaked: " + leaks + "\n---\n" + sweep.around(leaks));
    assertFalse(sweep.saw("eyJ"), "no JWT-looking text at all");
  }
}

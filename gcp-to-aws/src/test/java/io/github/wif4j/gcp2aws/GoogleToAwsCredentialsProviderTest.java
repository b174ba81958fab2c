package io.github.wif4j.gcp2aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeGceMetadata;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.RecordedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

class GoogleToAwsCredentialsProviderTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/reports-reader";
  private static final String IDENTITY =
      "/computeMetadata/v1/instance/service-accounts/default/identity";

  private FakeGceMetadata gce;
  private FakeAwsSts sts;
  private Environment env;
  private final List<GoogleToAwsCredentialsProvider> providers = new ArrayList<>();

  @BeforeEach
  void start() {
    gce = new FakeGceMetadata().start();
    sts = new FakeAwsSts().start();
    sts.trustIssuer(gce.googleIssuer());
    sts.allowRole(
        ROLE,
        Map.of(
            "accounts.google.com:aud",
            gce.serviceAccountUniqueId(),
            "accounts.google.com:oaud",
            ROLE));
    env = Environment.of(Map.of("GCE_METADATA_HOST", gce.hostAndPort()));
  }

  @AfterEach
  void stop() {
    providers.forEach(GoogleToAwsCredentialsProvider::close);
    sts.close();
    gce.close();
  }

  static TransportPolicy fast() {
    return TransportPolicy.builder()
        .connectTimeout(Duration.ofSeconds(1))
        .readTimeout(Duration.ofSeconds(2))
        .deadline(Duration.ofSeconds(5))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .build();
  }

  private GoogleToAwsCredentialsProvider.Builder builder() {
    return GoogleToAwsCredentialsProvider.builder()
        .roleArn(ROLE)
        .stsEndpoint(sts.endpoint())
        .stsRegion("us-east-1")
        .environment(env)
        .transportPolicy(fast());
  }

  private GoogleToAwsCredentialsProvider track(GoogleToAwsCredentialsProvider p) {
    providers.add(p);
    return p;
  }

  private int identityRequests() {
    return gce.requestCount(IDENTITY);
  }

  @Test
  void resolveCredentials_onMetadataServer_realSdkCallIsSignedWithAssumedRole() {
    GoogleToAwsCredentialsProvider aws = track(builder().build());
    try (StsClient client =
        StsClient.builder()
            .endpointOverride(sts.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(aws)
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      GetCallerIdentityResponse id = client.getCallerIdentity();
      assertEquals(
          "arn:aws:sts::123456789012:assumed-role/reports-reader/" + gce.serviceAccountEmail(),
          id.arn());
      assertEquals("123456789012", id.account());
    }
    assertEquals(1, sts.actionCount("AssumeRoleWithWebIdentity"));
    assertEquals(1, sts.actionCount("GetCallerIdentity"));
    RecordedRequest identity =
        gce.requests().stream().filter(r -> r.path().equals(IDENTITY)).findFirst().orElseThrow();
    assertEquals(ROLE, identity.query("audience"));
    assertEquals("full", identity.query("format"));
    assertEquals("Google", identity.header("Metadata-Flavor"));
  }

  @Test
  void resolveCredentials_whileFresh_servesCacheWithoutStsCall() {
    GoogleToAwsCredentialsProvider aws = track(builder().build());
    AwsCredentials first = aws.resolveCredentials();
    AwsCredentials second = aws.resolveCredentials();
    assertEquals(first.accessKeyId(), second.accessKeyId());
    assertEquals(1, sts.actionCount("AssumeRoleWithWebIdentity"));
    assertEquals(1, identityRequests());
    assertTrue(((AwsSessionCredentials) first).expirationTime().isPresent());
  }

  @Test
  void resolveCredentials_afterExpiry_mintsFreshIdTokenAndAssumesAgain() {
    FakeClock clock = FakeClock.now();
    GoogleToAwsCredentialsProvider aws = track(builder().clock(clock).build());
    AwsCredentials first = aws.resolveCredentials();
    clock.advance(Duration.ofMinutes(59).plusSeconds(30)); // inside staleTime (1 min)
    AwsCredentials second = aws.resolveCredentials();
    assertNotEquals(first.accessKeyId(), second.accessKeyId());
    assertEquals(2, identityRequests());
    assertEquals(2, sts.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void resolveCredentials_64ThreadsWhileStsTakes6s_oneIdTokenAndOneStsCall() throws Exception {
    sts.enqueueFault(Fault.delay(Duration.ofSeconds(6)));
    GoogleToAwsCredentialsProvider aws =
        track(
            builder()
                .transportPolicy(
                    fast().toBuilder()
                        .readTimeout(Duration.ofSeconds(15))
                        .deadline(Duration.ofSeconds(30))
                        .build())
                .build());
    ExecutorService pool = Executors.newFixedThreadPool(64);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        Callable<String> call =
            () -> {
              go.await();
              return aws.resolveCredentials().accessKeyId();
            };
        results.add(pool.submit(call));
      }
      go.countDown();
      Set<String> keys = new HashSet<>();
      for (Future<String> f : results) {
        keys.add(f.get());
      }
      assertEquals(1, keys.size());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1, sts.actionCount("AssumeRoleWithWebIdentity"));
    assertEquals(1, identityRequests());
  }

  @Test
  void resolveCredentials_sts500Once_retriesAndSucceeds() {
    assertRetriedOnce(FakeAwsSts.errorFault(500, "InternalFailure", "internal error"));
  }

  @Test
  void resolveCredentials_sts503Once_retriesAndSucceeds() {
    assertRetriedOnce(Fault.status(503, "text/html", "<html>Service Unavailable</html>"));
  }

  @Test
  void resolveCredentials_stsThrottlingOnce_retriesAndSucceeds() {
    assertRetriedOnce(FakeAwsSts.throttling());
  }

  @Test
  void resolveCredentials_idpCommunicationErrorOnce_retriesAndSucceeds() {
    assertRetriedOnce(FakeAwsSts.idpCommunicationError());
  }

  private void assertRetriedOnce(Fault fault) {
    sts.enqueueFault(fault);
    GoogleToAwsCredentialsProvider aws = track(builder().build());
    assertTrue(aws.resolveCredentials().accessKeyId().startsWith("ASIA"));
    assertEquals(2, sts.actionCount("AssumeRoleWithWebIdentity"));
    assertEquals(1, identityRequests()); // the SDK retries the same request, same ID token
  }

  @Test
  void resolveCredentials_stsHangs_failsWithTimeoutWithinDeadline() {
    sts.enqueueFault(Fault.hang().times(10));
    TransportPolicy quick =
        fast().toBuilder()
            .readTimeout(Duration.ofMillis(400))
            .deadline(Duration.ofMillis(1500))
            .build();
    GoogleToAwsCredentialsProvider aws = track(builder().transportPolicy(quick).build());
    SdkClientException e = assertThrows(SdkClientException.class, aws::resolveCredentials);
    assertInstanceOf(FederationException.class, e.getCause());
    FederationException fe = (FederationException) e.getCause();
    assertTrue(fe.isRetryable());
    assertTrue(
        e.getMessage().contains("deadline") || e.getMessage().contains("did not answer"),
        e.getMessage());
  }

  @Test
  void resolveCredentials_metadata500Once_retriesAndSucceeds() {
    gce.enqueueFault(Fault.status(500).onPath(IDENTITY));
    GoogleToAwsCredentialsProvider aws = track(builder().build());
    assertTrue(aws.resolveCredentials().accessKeyId().startsWith("ASIA"));
    assertEquals(2, identityRequests());
    assertEquals(1, sts.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void resolveCredentials_metadataHangs_failsWithTimeout() {
    gce.enqueueFault(Fault.hang().onPath(IDENTITY).times(10));
    TransportPolicy quick =
        fast().toBuilder()
            .readTimeout(Duration.ofMillis(300))
            .deadline(Duration.ofMillis(1000))
            .build();
    GoogleToAwsCredentialsProvider aws = track(builder().transportPolicy(quick).build());
    SdkClientException e = assertThrows(SdkClientException.class, aws::resolveCredentials);
    assertTrue(e.getMessage().contains("deadline"), e.getMessage());
    assertEquals(0, sts.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void resolveCredentials_metadataWithoutServiceAccount_explains404() {
    gce.enqueueFault(Fault.status(404, "text/plain", "Not Found").onPath(IDENTITY));
    GoogleToAwsCredentialsProvider aws = track(builder().build());
    SdkClientException e = assertThrows(SdkClientException.class, aws::resolveCredentials);
    assertTrue(e.getMessage().contains("[id_token]"), e.getMessage());
    assertTrue(e.getMessage().contains("No service account is attached"), e.getMessage());
  }

  @Test
  void resolveCredentials_wrongAudience_accessDeniedExplainsTrustPolicy() {
    GoogleToAwsCredentialsProvider aws = track(builder().audience("https://my-aws-bridge").build());
    SdkClientException e = assertThrows(SdkClientException.class, aws::resolveCredentials);
    String m = e.getMessage();
    FederationException fe = (FederationException) e.getCause();
    assertEquals("AccessDenied", fe.errorCode().orElseThrow());
    assertEquals(403, fe.httpStatus());
    assertFalse(fe.isRetryable());
    assertTrue(m.contains("accounts.google.com:oaud = https://my-aws-bridge"), m);
    assertTrue(m.contains("accounts.google.com:aud = " + gce.serviceAccountUniqueId()), m);
    assertTrue(m.contains("\"Federated\": \"accounts.google.com\""), m);
    assertTrue(m.contains("\"Action\": \"sts:AssumeRoleWithWebIdentity\""), m);
    assertTrue(m.contains("\"StringEquals\""), m);
    assertTrue(m.contains("update-assume-role-policy --role-name reports-reader"), m);
  }

  @Test
  void resolveCredentials_invalidIdentityToken_showsClaimsAndPolicyButNeverToken() {
    FakeJwtIssuer impostor = FakeJwtIssuer.create("https://accounts.google.com");
    List<String> minted = new ArrayList<>();
    IdTokenSource source =
        audience -> {
          String t =
              impostor.issue(
                  Map.of(
                      "aud", audience,
                      "azp", "111111111111111111111",
                      "sub", "111111111111111111111",
                      "email", "app@proj.iam.gserviceaccount.com"));
          minted.add(t);
          return t;
        };
    GoogleToAwsCredentialsProvider aws = track(builder().idTokenSource(source).build());
    SdkClientException e = assertThrows(SdkClientException.class, aws::resolveCredentials);
    String m = e.getMessage();
    assertTrue(m.contains("InvalidIdentityToken"), m);
    assertTrue(m.contains("sub=111111111111111111111"), m);
    assertTrue(m.contains("email=app@proj.iam.gserviceaccount.com"), m);
    assertTrue(m.contains("\"accounts.google.com:aud\": \"111111111111111111111\""), m);
    assertTrue(m.contains("\"accounts.google.com:oaud\": \"" + ROLE + "\""), m);
    assertFalse(minted.isEmpty());
    for (String token : minted) {
      assertFalse(m.contains(token), "token leaked into the message");
      assertFalse(m.contains(token.substring(token.lastIndexOf('.') + 1)), "signature leaked");
    }
  }

  @Test
  void resolveCredentials_policyDurationAndSessionName_areSent() {
    GoogleToAwsCredentialsProvider aws =
        track(
            builder()
                .roleSessionName("nightly-report")
                .duration(Duration.ofMinutes(30))
                .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                .policyArns(List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"))
                .build());
    aws.resolveCredentials();
    FakeAwsSts.AssumedRole a = sts.assumedRoles().get(0);
    assertEquals("nightly-report", a.sessionName());
    assertEquals(1800, a.durationSeconds());
    assertEquals(List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"), a.policyArns());
    assertTrue(a.policy().contains("2012-10-17"));
  }

  @Test
  void redaction_toStringAndErrorsNeverShowSecrets() {
    GoogleToAwsCredentialsProvider aws = track(builder().build());
    AwsSessionCredentials c = (AwsSessionCredentials) aws.resolveCredentials();
    String idToken = gce.idToken(ROLE, true);
    for (String printed : List.of(aws.toString(), c.toString(), aws.toBuilder().toString())) {
      assertFalse(printed.contains(c.secretAccessKey()), printed);
      assertFalse(printed.contains(c.sessionToken()), printed);
      assertFalse(printed.contains("eyJ"), printed);
    }
    assertTrue(aws.toString().contains(ROLE));
    assertFalse(idToken.isEmpty());
  }

  @Test
  void defaultSource_withGceMetadataHost_usesMetadataServer() {
    GoogleToAwsCredentialsProvider aws = track(builder().build());
    aws.resolveCredentials();
    assertTrue(aws.idTokenSource().description().contains("metadata server"));
    assertEquals(1, identityRequests());
  }

  @Test
  void footprint_noNettyOrApacheHttpClientOnClasspath() {
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient"));
    assertThrows(
        ClassNotFoundException.class,
        () -> Class.forName("software.amazon.awssdk.http.apache5.Apache5HttpClient"));
  }
}

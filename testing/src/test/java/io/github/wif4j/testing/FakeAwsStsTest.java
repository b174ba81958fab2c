package io.github.wif4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.ExpiredTokenException;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.GetWebIdentityTokenResponse;
import software.amazon.awssdk.services.sts.model.IdpRejectedClaimException;
import software.amazon.awssdk.services.sts.model.InvalidIdentityTokenException;
import software.amazon.awssdk.services.sts.model.OutboundWebIdentityFederationDisabledException;
import software.amazon.awssdk.services.sts.model.PolicyDescriptorType;
import software.amazon.awssdk.services.sts.model.SessionDurationEscalationException;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.services.sts.model.Tag;

class FakeAwsStsTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/app";
  private static final String SA_ID = "106757927634474719221";

  private FakeAwsSts sts;
  private FakeJwtIssuer google;

  @BeforeEach
  void start() {
    sts = new FakeAwsSts().start();
    google = FakeJwtIssuer.create("https://accounts.google.com");
    sts.trustIssuer(google);
    sts.allowRole(
        ROLE,
        Map.of("accounts.google.com:aud", SA_ID, "accounts.google.com:oaud", "sts.amazonaws.com"));
  }

  @AfterEach
  void stop() {
    sts.close();
  }

  private StsClient client(AwsCredentialsProvider credentials) {
    return StsClient.builder()
        .endpointOverride(sts.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create())
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
        .build();
  }

  private String googleToken(String aud) {
    return google.issue(
        Map.of("aud", aud, "azp", SA_ID, "sub", SA_ID, "email", "app@p.iam.gserviceaccount.com"));
  }

  private AssumeRoleWithWebIdentityResponse assume(StsClient c, String token) {
    return c.assumeRoleWithWebIdentity(
        r -> r.roleArn(ROLE).roleSessionName("app-session").webIdentityToken(token));
  }

  @Test
  void assumeRole_trustedGoogleToken_returnsSessionCredentials() {
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      AssumeRoleWithWebIdentityResponse r = assume(c, googleToken("sts.amazonaws.com"));
      assertTrue(r.credentials().accessKeyId().startsWith("ASIA"));
      assertTrue(r.credentials().expiration().isAfter(Instant.now().plusSeconds(3500)));
      assertEquals(
          "arn:aws:sts::123456789012:assumed-role/app/app-session", r.assumedRoleUser().arn());
      assertEquals(SA_ID, r.subjectFromWebIdentityToken());
      assertEquals("accounts.google.com", r.provider());
      assertEquals(1, sts.assumedRoles().size());
      assertEquals("app-session", sts.assumedRoles().get(0).sessionName());
    }
  }

  @Test
  void getCallerIdentity_signedWithIssuedCredentials_verifiesSignature() {
    AssumeRoleWithWebIdentityResponse r;
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      r = assume(c, googleToken("sts.amazonaws.com"));
    }
    AwsSessionCredentials creds =
        AwsSessionCredentials.create(
            r.credentials().accessKeyId(),
            r.credentials().secretAccessKey(),
            r.credentials().sessionToken());
    try (StsClient c = client(StaticCredentialsProvider.create(creds))) {
      GetCallerIdentityResponse id = c.getCallerIdentity();
      assertEquals("arn:aws:sts::123456789012:assumed-role/app/app-session", id.arn());
      assertEquals("123456789012", id.account());
      assertTrue(id.userId().startsWith("AROA") && id.userId().endsWith(":app-session"));
    }
    AwsSessionCredentials wrong =
        AwsSessionCredentials.create(
            r.credentials().accessKeyId(), "not-the-secret", r.credentials().sessionToken());
    try (StsClient c = client(StaticCredentialsProvider.create(wrong))) {
      StsException e = assertThrows(StsException.class, c::getCallerIdentity);
      assertEquals("SignatureDoesNotMatch", e.awsErrorDetails().errorCode());
    }
  }

  @Test
  void assumeRole_wrongAudience_isAccessDenied() {
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      StsException e = assertThrows(StsException.class, () -> assume(c, googleToken("other")));
      assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
      assertEquals(403, e.statusCode());
      assertTrue(e.getMessage().contains("sts:AssumeRoleWithWebIdentity"));
    }
  }

  @Test
  void assumeRole_untrustedIssuerOrExpiredOrRejected_mapsToStsErrors() {
    FakeJwtIssuer other = FakeJwtIssuer.create("https://oidc.example.test");
    String untrusted = other.issue(Map.of("aud", "sts.amazonaws.com", "sub", "x"));
    String expired =
        google.issue(
            Map.of(
                "aud",
                "sts.amazonaws.com",
                "azp",
                SA_ID,
                "sub",
                SA_ID,
                "exp",
                Instant.now().getEpochSecond() - 10));
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      InvalidIdentityTokenException e1 =
          assertThrows(InvalidIdentityTokenException.class, () -> assume(c, untrusted));
      assertTrue(e1.getMessage().contains("No OpenIDConnect provider"));
      assertThrows(ExpiredTokenException.class, () -> assume(c, expired));
      sts.rejectClaims(claims -> true);
      assertThrows(
          IdpRejectedClaimException.class, () -> assume(c, googleToken("sts.amazonaws.com")));
    }
  }

  @Test
  void assumeRole_oidcClientIdList_rejectsOtherAudience() {
    FakeJwtIssuer cluster = FakeJwtIssuer.create("https://oidc.eks.test/id/ABC");
    sts.trustIssuer(cluster, "sts.amazonaws.com");
    sts.allowRole(ROLE, Map.of("oidc.eks.test/id/ABC:sub", "system:serviceaccount:ns:sa"));
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      InvalidIdentityTokenException e =
          assertThrows(
              InvalidIdentityTokenException.class,
              () ->
                  assume(
                      c,
                      cluster.issue(Map.of("aud", "other", "sub", "system:serviceaccount:ns:sa"))));
      assertTrue(e.getMessage().contains("Incorrect token audience"));
      assume(
          c,
          cluster.issue(Map.of("aud", "sts.amazonaws.com", "sub", "system:serviceaccount:ns:sa")));
    }
  }

  @Test
  void assumeRole_durationAboveRoleMaximum_isValidationError() {
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      StsException e =
          assertThrows(
              StsException.class,
              () ->
                  c.assumeRoleWithWebIdentity(
                      r ->
                          r.roleArn(ROLE)
                              .roleSessionName("s1")
                              .durationSeconds(7200)
                              .webIdentityToken(googleToken("sts.amazonaws.com"))));
      assertEquals("ValidationError", e.awsErrorDetails().errorCode());
      assertTrue(e.getMessage().contains("MaxSessionDuration"));
    }
  }

  @Test
  void assumeRole_policyAndPolicyArns_areRecorded() {
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      c.assumeRoleWithWebIdentity(
          r ->
              r.roleArn(ROLE)
                  .roleSessionName("s1")
                  .durationSeconds(900)
                  .policy("{\"Version\":\"2012-10-17\",\"Statement\":[]}")
                  .policyArns(
                      PolicyDescriptorType.builder()
                          .arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
                          .build())
                  .webIdentityToken(googleToken("sts.amazonaws.com")));
    }
    FakeAwsSts.AssumedRole a = sts.assumedRoles().get(0);
    assertEquals(900, a.durationSeconds());
    assertEquals(List.of("arn:aws:iam::aws:policy/ReadOnlyAccess"), a.policyArns());
    assertTrue(a.policy().contains("2012-10-17"));
  }

  @Test
  void faults_throttlingAndIdpError_areRetriedBySdk() {
    sts.enqueueFault(FakeAwsSts.throttling());
    sts.enqueueFault(FakeAwsSts.idpCommunicationError());
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      StsException e =
          assertThrows(StsException.class, () -> assume(c, googleToken("sts.amazonaws.com")));
      // The stock standard strategy retries Throttling but not IDPCommunicationError.
      assertEquals("IDPCommunicationError", e.awsErrorDetails().errorCode());
    }
    assertEquals(2, sts.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void getWebIdentityToken_registeredCaller_returnsRs256JwtForRole() throws Exception {
    sts.registerCredentials(
        "AKIAFAKE000000000001",
        "secret/key",
        "arn:aws:sts::123456789012:assumed-role/DataRole/i-0abc");
    try (StsClient c =
        client(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIAFAKE000000000001", "secret/key")))) {
      GetWebIdentityTokenResponse r =
          c.getWebIdentityToken(
              q ->
                  q.audience("//iam.googleapis.com/projects/1/locations/global/x")
                      .signingAlgorithm("RS256")
                      .durationSeconds(600)
                      .tags(Tag.builder().key("team").value("data").build()));
      Map<String, Object> claims = sts.outboundIssuer().verify(r.webIdentityToken());
      assertEquals("arn:aws:iam::123456789012:role/DataRole", claims.get("sub"));
      assertEquals("//iam.googleapis.com/projects/1/locations/global/x", claims.get("aud"));
      assertTrue(claims.get("iss").toString().endsWith(".tokens.sts.global.api.aws"));
      assertTrue(r.expiration().isAfter(Instant.now().plusSeconds(590)));
      assertEquals(List.of(r.webIdentityToken()), sts.webIdentityTokens());

      StsException es384 =
          assertThrows(
              StsException.class,
              () -> c.getWebIdentityToken(q -> q.audience("a").signingAlgorithm("ES384")));
      assertEquals("ValidationError", es384.awsErrorDetails().errorCode());

      sts.setOutboundFederationEnabled(false);
      assertThrows(
          OutboundWebIdentityFederationDisabledException.class,
          () -> c.getWebIdentityToken(q -> q.audience("a").signingAlgorithm("RS256")));
    }
  }

  @Test
  void getWebIdentityToken_outlivingCallerSession_isSessionDurationEscalation() {
    sts.setCredentialLifetime(Duration.ofSeconds(400));
    AssumeRoleWithWebIdentityResponse r;
    try (StsClient c = client(AnonymousCredentialsProvider.create())) {
      r = assume(c, googleToken("sts.amazonaws.com"));
    }
    AwsSessionCredentials creds =
        AwsSessionCredentials.create(
            r.credentials().accessKeyId(),
            r.credentials().secretAccessKey(),
            r.credentials().sessionToken());
    try (StsClient c = client(StaticCredentialsProvider.create(creds))) {
      assertThrows(
          SessionDurationEscalationException.class,
          () ->
              c.getWebIdentityToken(
                  q -> q.audience("a").signingAlgorithm("RS256").durationSeconds(600)));
      assertEquals(
          "arn:aws:iam::123456789012:role/app",
          sts.outboundIssuer()
              .verify(
                  c.getWebIdentityToken(q -> q.audience("a").signingAlgorithm("RS256"))
                      .webIdentityToken())
              .get("sub"));
    }
  }

  @Test
  void getCallerIdentity_unsigned_isMissingAuthenticationToken() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(sts.baseUri() + "/"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "Action=GetCallerIdentity&Version=2011-06-15"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(403, r.statusCode());
    assertTrue(r.body().contains("<Code>MissingAuthenticationToken</Code>"));
    assertTrue(r.body().startsWith("<ErrorResponse xmlns=\"" + FakeAwsSts.NAMESPACE + "\">"));
  }

  @Test
  void conditionKeys_google_mapsAzpToAudAndAudToOaud() {
    Map<String, String> keys =
        FakeAwsSts.conditionKeys(
            Map.of(
                "iss", "https://accounts.google.com", "aud", "my-aud", "azp", "123", "sub", "123"));
    assertEquals("123", keys.get("accounts.google.com:aud"));
    assertEquals("my-aud", keys.get("accounts.google.com:oaud"));
    assertEquals("123", keys.get("accounts.google.com:sub"));
  }
}

package io.github.wif4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.AwsCredentials;
import com.google.auth.oauth2.AwsSecurityCredentials;
import com.google.auth.oauth2.AwsSecurityCredentialsSupplier;
import com.google.auth.oauth2.ExternalAccountSupplierContext;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeGoogleStsTest {
  private static final String AKID = "ASIARD4OQDT6A77FR3CL";
  private static final String SECRET = "Y8AfSaucF37G4PpvfguKZ3/l7Id4uocLXxX0+VTx";
  private static final String ARN = "arn:aws:sts::123456789012:assumed-role/app/i-0abc";

  private FakeCloud cloud;
  private String audience;
  private HttpClient http;

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    audience = cloud.audience("pool", "aws");
    cloud.sts().registerAwsCredentials(AKID, SECRET, ARN);
    http = HttpClient.newBuilder().sslContext(TestTls.clientContext()).build();
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private String awsSubjectToken() throws Exception {
    AwsCredentials credentials =
        AwsCredentials.newBuilder()
            .setAudience(audience)
            .setSubjectTokenType("urn:ietf:params:aws:token-type:aws4_request")
            .setTokenUrl(cloud.stsTokenUrl())
            .setAwsSecurityCredentialsSupplier(
                new AwsSecurityCredentialsSupplier() {
                  @Override
                  public String getRegion(ExternalAccountSupplierContext context) {
                    return "us-east-1";
                  }

                  @Override
                  public AwsSecurityCredentials getCredentials(
                      ExternalAccountSupplierContext context) {
                    return new AwsSecurityCredentials(AKID, SECRET, "session-token");
                  }
                })
            .build();
    return credentials.retrieveSubjectToken();
  }

  private HttpResponse<String> exchange(String type, String token) throws Exception {
    String form =
        "grant_type="
            + enc(FakeGoogleSts.GRANT_TYPE)
            + "&audience="
            + enc(audience)
            + "&scope="
            + enc("https://www.googleapis.com/auth/cloud-platform")
            + "&requested_token_type="
            + enc("urn:ietf:params:oauth:token-type:access_token")
            + "&subject_token_type="
            + enc(type)
            + "&subject_token="
            + enc(token);
    return http.send(
        HttpRequest.newBuilder(URI.create(cloud.stsTokenUrl()))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Test
  void awsToken_signedByGoogleAuth_verifiesWithRealSigV4() throws Exception {
    HttpResponse<String> r =
        exchange("urn:ietf:params:aws:token-type:aws4_request", awsSubjectToken());
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(ARN, cloud.sts().exchanges().get(0).assertion().get("arn"));
    assertTrue(cloud.sts().exchanges().get(0).principal().endsWith("/subject/" + ARN));
  }

  @Test
  void awsToken_tamperedSignature_isInvalidGrant() throws Exception {
    String token = awsSubjectToken();
    int i = token.indexOf("Signature%3D") + "Signature%3D".length();
    char c = token.charAt(i);
    String tampered = token.substring(0, i) + (c == 'a' ? 'b' : 'a') + token.substring(i + 1);
    HttpResponse<String> r = exchange("urn:ietf:params:aws:token-type:aws4_request", tampered);
    assertEquals(400, r.statusCode());
    assertTrue(r.body().contains("invalid_grant"), r.body());
  }

  @Test
  void jwt_wrongAudience_isInvalidGrant_andConditionRejects() throws Exception {
    FakeJwtIssuer issuer = FakeJwtIssuer.create("https://issuer.test");
    cloud.sts().trustIssuer(issuer, "api://good");
    HttpResponse<String> wrong =
        exchange(
            "urn:ietf:params:oauth:token-type:jwt",
            issuer.issue("sub-1", "api://bad", Duration.ofMinutes(5), Map.of()));
    assertEquals(400, wrong.statusCode());
    assertTrue(wrong.body().contains("does not match the expected audience"), wrong.body());

    cloud.sts().setAttributeCondition(a -> "sub-2".equals(a.get("sub")));
    HttpResponse<String> rejected =
        exchange(
            "urn:ietf:params:oauth:token-type:jwt",
            issuer.issue("sub-1", "api://good", Duration.ofMinutes(5), Map.of()));
    assertTrue(rejected.body().contains("unauthorized_client"), rejected.body());
  }

  @Test
  void faults_statusResetAndMalformed_areServedInOrder() throws Exception {
    FakeJwtIssuer issuer = FakeJwtIssuer.create("https://issuer.test");
    cloud.sts().trustIssuer(issuer);
    String jwt = issuer.issue("s", "a", Duration.ofMinutes(5), Map.of());
    cloud.sts().enqueueFault(Fault.status(503, "text/html", "<html>busy</html>"));
    cloud.sts().enqueueFault(Fault.malformedBody());
    assertEquals(503, exchange("urn:ietf:params:oauth:token-type:jwt", jwt).statusCode());
    HttpResponse<String> malformed = exchange("urn:ietf:params:oauth:token-type:jwt", jwt);
    assertEquals(200, malformed.statusCode());
    assertTrue(!malformed.body().endsWith("}"), malformed.body());
    assertEquals(200, exchange("urn:ietf:params:oauth:token-type:jwt", jwt).statusCode());
    assertEquals(3, cloud.sts().requestCount());
  }
}

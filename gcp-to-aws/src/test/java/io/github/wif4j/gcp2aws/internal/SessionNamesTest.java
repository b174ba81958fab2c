package io.github.wif4j.gcp2aws.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SessionNamesTest {
  private static IdTokenClaims claims(String json) {
    Base64.Encoder b = Base64.getUrlEncoder().withoutPadding();
    return IdTokenClaims.decode(
        b.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
            + "."
            + b.encodeToString(json.getBytes(StandardCharsets.UTF_8))
            + ".sig");
  }

  @Test
  void fromClaims_email_isUsedAsIs() {
    assertEquals(
        "app@proj.iam.gserviceaccount.com",
        SessionNames.fromClaims(claims("{\"email\":\"app@proj.iam.gserviceaccount.com\"}")));
  }

  @Test
  void fromClaims_longEmail_dropsGserviceaccountSuffixAndFits64() {
    String email =
        "a-very-long-service-account-name1@a-very-long-project-id-12345.iam.gserviceaccount.com";
    String name = SessionNames.fromClaims(claims("{\"email\":\"" + email + "\"}"));
    assertEquals("a-very-long-service-account-name1@a-very-long-project-id-12345", name);
    assertTrue(SessionNames.VALID.matcher(name).matches());
  }

  @Test
  void fromClaims_noEmail_usesInstanceThenSub() {
    assertEquals(
        "my-vm",
        SessionNames.fromClaims(
            claims(
                "{\"sub\":\"1\",\"google\":{\"compute_engine\":{\"instance_name\":\"my-vm\"}}}")));
    assertEquals("google-1067", SessionNames.fromClaims(claims("{\"sub\":\"1067\"}")));
    assertEquals("wif4j-gcp-to-aws", SessionNames.fromClaims(IdTokenClaims.decode("garbage")));
  }

  @Test
  void sanitize_replacesForbiddenCharactersAndTruncates() {
    assertEquals("my-app-v1", SessionNames.sanitize("my app/v1"));
    assertEquals(64, SessionNames.sanitize("x".repeat(100)).length());
    assertEquals("wif4j-gcp-to-aws", SessionNames.sanitize("!"));
  }

  @Test
  void trustPolicyJson_nonGoogleIssuer_usesOidcProviderArn() {
    String json =
        StsFailures.trustPolicyJson(
            claims("{\"iss\":\"https://oidc.example.test\",\"aud\":\"a\",\"sub\":\"s\"}"),
            "arn:aws:iam::123456789012:role/r");
    assertTrue(
        json.contains(
            "\"Federated\": \"arn:aws:iam::123456789012:oidc-provider/oidc.example.test\""),
        json);
    assertTrue(json.contains("\"oidc.example.test:sub\": \"s\""), json);
  }
}

package io.github.wif4j.cli.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The cache's hand-written checks, which replace a JSON parser on the hot path. */
class AwsCredentialCacheTest {

  @Test
  void expiry_readsTheDocumentHelperOutputWrites() {
    Instant at = Instant.parse("2026-11-30T13:45:07Z");
    String doc = HelperOutput.awsCredentials("ASIAEXAMPLE", "s/e+cret", "token", at);
    assertEquals(at.getEpochSecond(), AwsCredentialCache.expiry(doc));

    Instant fraction = Instant.parse("2026-11-30T13:45:07.250Z");
    assertEquals(
        at.getEpochSecond(),
        AwsCredentialCache.expiry(HelperOutput.awsCredentials("ASIAX", "s", null, fraction)));
  }

  @Test
  void expiry_anythingElse_isZero() {
    assertEquals(0, AwsCredentialCache.expiry(""));
    assertEquals(0, AwsCredentialCache.expiry("{\"Version\":1}"));
    assertEquals(0, AwsCredentialCache.expiry("{\"Version\":2,\"AccessKeyId\":\"A\"}"));
    assertEquals(
        0,
        AwsCredentialCache.expiry(
            "{\"Version\":1,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"s\","
                + "\"Expiration\":\"soon\"}"));
    assertEquals(
        0, AwsCredentialCache.expiry(HelperOutput.awsCredentials("ASIAX", "s", "t", null)));
  }

  @Test
  void hash_separatesRequests() {
    assertEquals(32, AwsCredentialCache.hash("a").length());
    assertEquals(AwsCredentialCache.hash("role\naud"), AwsCredentialCache.hash("role\naud"));
    assertNotEquals(AwsCredentialCache.hash("role\naud"), AwsCredentialCache.hash("role\naue"));
    assertNotEquals(AwsCredentialCache.hash("ab\n"), AwsCredentialCache.hash("a\nb"));
  }
}

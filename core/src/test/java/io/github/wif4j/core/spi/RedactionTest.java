package io.github.wif4j.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedactionTest {
  private static final String AWS_SECRET = "BYVbiXf1azBFnZRyiIunrDOIrdwkQfDyc8Y4mGq7";

  @Test
  void awsSecretKeyShape_redactedWhereverAServerQuotesIt() {
    String scrubbed = Redaction.scrub("Couldn't verify the request for " + AWS_SECRET + ".");
    assertFalse(scrubbed.contains(AWS_SECRET), scrubbed);
    assertFalse(scrubbed.contains(AWS_SECRET.substring(8, 24)), scrubbed);
    assertTrue(scrubbed.contains("<redacted>"), scrubbed);
  }

  @Test
  void fortyCharactersThatAreNotASecret_kept() {
    String sha1 = "da39a3ee5e6b4b0d3255bfef95601890afd80709"; // hex: no upper case
    String words = "AccessDeniedExceptionWasRaisedByTheRoles"; // no digit
    String text = "digest " + sha1 + " and " + words + " in arn:aws:iam::123456789012:role/reader";
    assertEquals(text, Redaction.scrub(text));
  }

  @Test
  void longerOrShorterRunsAreNotTakenForAKey() {
    String keyId = "ASIAEXAMPLE000000001"; // an access key id is not a secret
    assertEquals("key " + keyId, Redaction.scrub("key " + keyId));
  }
}

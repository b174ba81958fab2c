package io.github.wif4j.gcp2aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class BuilderValidationTest {
  private static final String ROLE = "arn:aws:iam::123456789012:role/app";

  private static ConfigurationException fails(
      UnaryOperator<GoogleToAwsCredentialsProvider.Builder> change) {
    return assertThrows(
        ConfigurationException.class,
        () ->
            change
                .apply(
                    GoogleToAwsCredentialsProvider.builder()
                        .roleArn(ROLE)
                        .environment(Environment.of(Map.of())))
                .build());
  }

  @Test
  void build_missingRoleArn_namesField() {
    ConfigurationException e = fails(b -> b.roleArn(null));
    assertEquals("roleArn", e.field());
    assertTrue(e.getMessage().contains("required"), e.getMessage());
  }

  @Test
  void build_assumedRoleArnInsteadOfRoleArn_isRejected() {
    ConfigurationException e =
        fails(b -> b.roleArn("arn:aws:sts::123456789012:assumed-role/app/session"));
    assertEquals("roleArn", e.field());
    assertTrue(e.getMessage().contains("not an IAM role ARN"), e.getMessage());
  }

  @Test
  void build_sessionNameWithSpace_isRejected() {
    ConfigurationException e = fails(b -> b.roleSessionName("my session"));
    assertEquals("roleSessionName", e.field());
  }

  @Test
  void build_durationOutOfRange_isRejected() {
    assertEquals("duration", fails(b -> b.duration(Duration.ofMinutes(5))).field());
    assertEquals("duration", fails(b -> b.duration(Duration.ofHours(13))).field());
  }

  @Test
  void build_policyNotJsonOrTooManyArns_isRejected() {
    assertEquals("policy", fails(b -> b.policy("{not json")).field());
    assertEquals(
        "policyArns",
        fails(b -> b.policyArns(Collections.nCopies(11, "arn:aws:iam::aws:policy/X"))).field());
    assertEquals("policyArns", fails(b -> b.policyArns(List.of("ReadOnlyAccess"))).field());
  }

  @Test
  void build_badRegionOrEndpoint_isRejected() {
    assertEquals("stsRegion", fails(b -> b.stsRegion("Frankfurt")).field());
    assertEquals("stsEndpoint", fails(b -> b.stsEndpoint(URI.create("sts.local"))).field());
    ConfigurationException env =
        assertThrows(
            ConfigurationException.class,
            () ->
                GoogleToAwsCredentialsProvider.builder()
                    .roleArn(ROLE)
                    .environment(Environment.of(Map.of("AWS_REGION", "moon")))
                    .build());
    assertEquals("AWS_REGION", env.field());
  }

  @Test
  void build_defaults_audienceIsRoleArnAndNoIo() {
    try (GoogleToAwsCredentialsProvider p =
        GoogleToAwsCredentialsProvider.builder()
            .roleArn(ROLE)
            .environment(Environment.of(Map.of("AWS_REGION", "eu-west-1")))
            .build()) {
      assertEquals(ROLE, p.audience());
      assertTrue(p.toString().contains("sts.eu-west-1.amazonaws.com"), p.toString());
      assertEquals(ROLE, p.toBuilder().build().roleArn());
    }
  }
}

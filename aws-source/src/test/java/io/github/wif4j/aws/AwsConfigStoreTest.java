package io.github.wif4j.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeAwsConfigStores;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The Lambda recipe's configuration in Parameter Store (and Secrets Manager), read with the SDK's
 * client against a fake speaking their JSON protocol.
 */
class AwsConfigStoreTest {
  static final String NAME = "/wif4j/credential-config";
  static final String CONFIG =
      "{\"type\":\"external_account\",\"audience\":\"//iam.googleapis.com/projects/123456789012"
          + "/locations/global/workloadIdentityPools/aws-pool/providers/aws-provider\","
          + "\"subject_token_type\":\"urn:ietf:params:aws:token-type:aws4_request\","
          + "\"token_url\":\"https://sts.googleapis.com/v1/token\","
          + "\"credential_source\":{\"environment_id\":\"aws1\",\"region_url\":"
          + "\"http://169.254.169.254/latest/meta-data/placement/availability-zone\","
          + "\"url\":\"http://169.254.169.254/latest/meta-data/iam/security-credentials\","
          + "\"regional_cred_verification_url\":"
          + "\"https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\"}}";

  private FakeAwsConfigStores aws;

  @BeforeEach
  void start() {
    aws = new FakeAwsConfigStores().start();
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private AwsConfigStore.Builder configure(AwsConfigStore.Builder b) {
    return b.endpoint(aws.endpoint())
        .environment(Environment.of(Map.of("AWS_REGION", "us-east-1")))
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIACONFIGSTORE00001", "secret-key", "session")))
        .transportPolicy(
            TransportPolicy.builder().deadline(Duration.ofSeconds(5)).maxAttempts(1).build());
  }

  @Test
  void secureStringParameter_loadedAndParsed() throws Exception {
    aws.putParameter(NAME, CONFIG, true);
    ExternalAccountConfig config = configure(AwsConfigStore.parameterStore(NAME)).load();
    assertEquals("aws", config.credentialSource().kind());
    assertTrue(config.settings().audience().toString().endsWith("/providers/aws-provider"));
    assertEquals(
        "AmazonSSM.GetParameter", aws.requests().get(0).header("X-Amz-Target"), "the SDK's client");
    assertTrue(aws.requests().get(0).bodyString().contains("\"WithDecryption\":true"));
  }

  @Test
  void secretsManagerSecret_loadedAndParsed() throws Exception {
    aws.putSecret("wif4j/credential-config", CONFIG);
    ExternalAccountConfig config =
        configure(AwsConfigStore.secretsManager("wif4j/credential-config")).load();
    assertEquals("aws", config.credentialSource().kind());
  }

  @Test
  void noGetParameterPermission_namesTheActionAndResource() {
    aws.putParameter(NAME, CONFIG, true);
    aws.deny("ssm:GetParameter");
    FederationException e =
        assertThrows(
            FederationException.class, () -> configure(AwsConfigStore.parameterStore(NAME)).load());
    assertTrue(e.getMessage().contains("AccessDeniedException"), e.getMessage());
    String fix = e.fix().orElse("");
    assertTrue(
        fix.contains(
            "\"Action\": \"ssm:GetParameter\", \"Resource\":"
                + " \"arn:aws:ssm:us-east-1:123456789012:parameter/wif4j/credential-config\""),
        fix);
    assertFalse(fix.startsWith("The role may read"), fix);
  }

  @Test
  void secureStringWithoutKmsDecrypt_namesKmsDecryptOnTheKey() {
    aws.putParameter(NAME, CONFIG, true);
    aws.denyDecrypt();
    FederationException e =
        assertThrows(
            FederationException.class, () -> configure(AwsConfigStore.parameterStore(NAME)).load());
    String fix = e.fix().orElse("");
    assertTrue(fix.contains("kms:Decrypt"), fix);
    assertTrue(fix.contains("arn:aws:kms:us-east-1:123456789012:key/"), fix);
    assertFalse(fix.contains("\"Action\": \"ssm:GetParameter\""), fix);
  }

  @Test
  void missingParameter_namesNameRegionAndCommand() {
    FederationException e =
        assertThrows(
            FederationException.class, () -> configure(AwsConfigStore.parameterStore(NAME)).load());
    assertTrue(e.getMessage().contains("ParameterNotFound"), e.getMessage());
    assertTrue(e.fix().orElse("").contains("aws ssm get-parameter --name " + NAME), e.getMessage());
  }

  @Test
  void noSecretsManagerPermission_namesGetSecretValue() {
    aws.putSecret("cfg", CONFIG);
    aws.deny("secretsmanager:GetSecretValue");
    FederationException e =
        assertThrows(
            FederationException.class,
            () -> configure(AwsConfigStore.secretsManager("cfg")).load());
    assertTrue(e.fix().orElse("").contains("secretsmanager:GetSecretValue"), e.getMessage());
  }

  @Test
  void valueNotAConfiguration_namesTheParameter() {
    aws.putParameter(NAME, "{\"type\":\"service_account\"}", false);
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () -> configure(AwsConfigStore.parameterStore(NAME)).load());
    assertTrue(e.getMessage().contains("parameter " + NAME), e.getMessage());
  }

  @Test
  void noRegion_namesAwsRegion() {
    ConfigurationException e =
        assertThrows(
            ConfigurationException.class,
            () ->
                AwsConfigStore.parameterStore(NAME)
                    .environment(Environment.of(Map.of()))
                    .endpoint(aws.endpoint())
                    .load());
    assertTrue(e.getMessage().contains("AWS_REGION"), e.getMessage());
  }
}

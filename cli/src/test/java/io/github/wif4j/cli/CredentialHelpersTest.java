package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.GoogleCredentials;
import io.github.wif4j.core.http.Wif4jTransportFactory;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeGceMetadata;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The CLI as other tools run it: the real AWS SDK's credential_process and google-auth's
 * executable-sourced credentials, each starting {@code wif4j} in a fresh JVM.
 */
class CredentialHelpersTest {
  @TempDir Path dir;

  @Test
  void awsSdkProfileWithCredentialProcess_getsAssumedRoleCredentials() throws Exception {
    String role = "arn:aws:iam::123456789012:role/from-google";
    try (FakeGceMetadata gce = new FakeGceMetadata().start();
        FakeAwsSts aws = new FakeAwsSts().start()) {
      aws.trustIssuer(gce.googleIssuer())
          .allowRole(role, Map.of("accounts.google.com:sub", gce.serviceAccountUniqueId()));
      Path config = dir.resolve("config");
      Files.writeString(
          config,
          "[profile from-google]\ncredential_process = "
              + CliRunner.launcher(dir)
              + " --set GCE_METADATA_HOST="
              + gce.hostAndPort()
              + " aws-credential-process --role-arn "
              + role
              + " --region us-east-1 --sts-endpoint "
              + aws.endpoint()
              + "\n");
      ProfileFile profiles =
          ProfileFile.builder().content(config).type(ProfileFile.Type.CONFIGURATION).build();
      try (ProfileCredentialsProvider sdk =
              ProfileCredentialsProvider.builder()
                  .profileFile(profiles)
                  .profileName("from-google")
                  .build();
          StsClient sts =
              StsClient.builder()
                  .region(Region.US_EAST_1)
                  .endpointOverride(aws.endpoint())
                  .credentialsProvider(sdk)
                  .httpClient(UrlConnectionHttpClient.create())
                  .build()) {
        AwsCredentials c = sdk.resolveCredentials();
        assertTrue(c.accessKeyId().startsWith("ASIA"), c.accessKeyId());
        assertEquals(1, aws.actionCount("AssumeRoleWithWebIdentity"));
        String arn = sts.getCallerIdentity().arn();
        assertTrue(arn.startsWith("arn:aws:sts::123456789012:assumed-role/from-google/"), arn);
      }
    }
  }

  @Test
  void googleAuthExecutableConfig_runsWif4jAndGetsAGoogleToken() throws Exception {
    try (FakeCloud cloud = FakeCloud.start();
        FakeAwsSts aws = new FakeAwsSts().start()) {
      String audience = cloud.audience("aws-pool", "aws-oidc");
      aws.registerCredentials(
          "AKIAEXECFAKE00000001", "exec-secret", "arn:aws:iam::123456789012:role/vertex-caller");
      cloud.sts().trustIssuer(aws.outboundIssuer(), audience);
      String command =
          CliRunner.launcher(dir)
              + " --set AWS_ACCESS_KEY_ID=AKIAEXECFAKE00000001"
              + " --set AWS_SECRET_ACCESS_KEY=exec-secret"
              + " --set AWS_REGION=eu-west-1"
              + " --set AWS_ENDPOINT_URL_STS="
              + aws.endpoint()
              + " google-executable --source aws-oidc";
      String json =
          "{\"type\":\"external_account\",\"audience\":\""
              + audience
              + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
              + "\"token_url\":\""
              + cloud.stsTokenUrl()
              + "\",\"credential_source\":{\"executable\":{\"command\":\""
              + command
              + "\",\"timeout_millis\":60000}}}";
      GoogleCredentials google =
          GoogleCredentials.fromStream(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
              Wif4jTransportFactory.create(CliRunner.testTls()));
      google.refresh();

      assertTrue(cloud.sts().isIssued(google.getAccessToken().getTokenValue()));
      assertEquals(1, aws.actionCount("GetWebIdentityToken"));
    }
  }

  @Test
  void googleExecutable_awsSigningSource_failsWithTheExecutableErrorFormat() {
    CliRunner r =
        new CliRunner()
            .run(
                Map.of(
                    "GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE", "//iam.googleapis.com/x",
                    "AWS_ACCESS_KEY_ID", "AKIAFAKE",
                    "AWS_SECRET_ACCESS_KEY", "secret-never-printed",
                    "AWS_REGION", "us-east-1"),
                "google-executable");
    assertEquals(ExitCodes.FAILED, r.exit);
    assertTrue(r.out().contains("\"success\":false"), r.out());
    assertTrue(r.out().contains("aws-oidc"), r.out());
    assertTrue(
        !r.out().contains("secret-never-printed") && !r.err().contains("secret-never-printed"));
  }
}

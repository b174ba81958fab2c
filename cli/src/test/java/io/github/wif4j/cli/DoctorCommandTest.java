package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeGceMetadata;
import io.github.wif4j.testing.FakeJwtIssuer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code wif4j doctor} names the failing step, its cause and the fix. */
class DoctorCommandTest {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";

  private FakeCloud cloud;
  private FakeEc2Metadata imds;
  private FakeAwsSts awsSts;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    imds = new FakeEc2Metadata().start();
    imds.trustedBy(cloud.sts());
    awsSts = new FakeAwsSts().start();
    FakeEc2Metadata.IssuedCredentials c = imds.currentCredentials();
    awsSts.registerCredentials(c.accessKeyId(), c.secretAccessKey(), imds.callerArn());
    env.put("WIF4J_SOURCE", "aws");
    env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString());
    env.put("AWS_ENDPOINT_URL_STS", awsSts.endpoint().toString());
    env.put("WIF4J_AUDIENCE", cloud.audience("aws-pool", "aws-provider"));
    env.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
    env.put("WIF4J_SERVICE_ACCOUNT", SA);
    env.put("WIF4J_IMPERSONATION_URL", cloud.impersonationUrl(SA));
  }

  @AfterEach
  void stop() {
    imds.close();
    awsSts.close();
    cloud.close();
  }

  @Test
  void ec2_allGood_printsPrincipalAndPasses() {
    cloud.iam().allowImpersonation(SA);
    CliRunner r = new CliRunner().run(env, "doctor");
    assertEquals(ExitCodes.OK, r.exit, r.out() + r.err());
    assertTrue(r.out().contains("All steps passed"), r.out());
    assertTrue(
        r.out()
            .contains(
                "principalSet://iam.googleapis.com/projects/123456789012/locations/global/"
                    + "workloadIdentityPools/aws-pool/attribute.aws_role/"
                    + "arn:aws:sts::123456789012:assumed-role/wif4j-ec2-role"),
        r.out());
    assertNoSecrets(r);
  }

  @Test
  void ec2_providerRejectsAttributeCondition_namesConditionAndAssertion() {
    cloud.sts().setAttributeCondition(a -> false);
    CliRunner r = new CliRunner().run(env, "doctor");
    assertEquals(ExitCodes.FAILED, r.exit);
    assertTrue(r.out().contains("FAIL google sts"), r.out());
    assertTrue(r.out().toLowerCase().contains("attribute condition"), r.out());
    assertTrue(r.out().contains("fix:"), r.out());
    assertFalse(r.out().contains("ok   impersonation"), r.out());
    assertNoSecrets(r);
  }

  @Test
  void ec2_missingWorkloadIdentityUserBinding_printsTheGcloudCommand() {
    CliRunner r = new CliRunner().run(env, "doctor", "--json");
    assertEquals(ExitCodes.FAILED, r.exit);
    String out = r.out();
    assertTrue(out.contains("\"step\": \"impersonation\""), out);
    assertTrue(out.contains("roles/iam.workloadIdentityUser"), out);
    assertTrue(
        out.contains(
            "gcloud iam service-accounts add-iam-policy-binding "
                + SA
                + " --role=roles/iam.workloadIdentityUser --member='principalSet://"),
        out);
    assertNoSecrets(r);
  }

  @Test
  void appService_missingImpersonationBinding_namesPrincipalAndCommand() {
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      cloud.sts().trustIssuer(tenant.issuer(), "api://google-federation");
      Map<String, String> azure = new HashMap<>();
      azure.put("IDENTITY_ENDPOINT", app.identityEndpoint());
      azure.put("IDENTITY_HEADER", app.identityHeader());
      azure.put("WIF4J_AZURE_RESOURCE", "api://google-federation");
      azure.put("WIF4J_AUDIENCE", cloud.audience("azure-pool", "entra"));
      azure.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
      azure.put("WIF4J_SERVICE_ACCOUNT", SA);
      azure.put("WIF4J_IMPERSONATION_URL", cloud.impersonationUrl(SA));
      CliRunner r = new CliRunner().run(azure, "doctor");

      assertEquals(ExitCodes.FAILED, r.exit);
      String out = r.out();
      assertTrue(out.contains("ok   source: Azure managed identity (app service)"), out);
      assertTrue(
          out.contains("\"oid\": " + tenant.systemAssigned().objectId())
              || out.contains("oid=" + tenant.systemAssigned().objectId()),
          out);
      assertTrue(out.contains("ok   google sts"), out);
      assertTrue(out.contains("FAIL impersonation"), out);
      assertTrue(out.contains("roles/iam.workloadIdentityUser"), out);
      assertTrue(
          out.contains(
              "--member='principal://iam.googleapis.com/projects/123456789012/locations/global/"
                  + "workloadIdentityPools/azure-pool/subject/"
                  + tenant.systemAssigned().objectId()
                  + "'"),
          out);
      assertFalse(out.contains(app.identityHeader()) || r.err().contains(app.identityHeader()));
      for (String t : tenant.issuedTokens()) {
        assertFalse(out.contains(t));
      }
    }
  }

  @Test
  void apiUrl_directAccessRefusedByVertex_reportsThe403WithoutNpe() {
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      cloud.sts().trustIssuer(tenant.issuer(), "api://google-federation");
      cloud.vertex().denyAccess(true);
      Map<String, String> azure = new HashMap<>();
      azure.put("IDENTITY_ENDPOINT", app.identityEndpoint());
      azure.put("IDENTITY_HEADER", app.identityHeader());
      azure.put("WIF4J_AZURE_RESOURCE", "api://google-federation");
      azure.put("WIF4J_AUDIENCE", cloud.audience("azure-pool", "entra"));
      azure.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
      String model =
          cloud.vertex().baseUri()
              + "/v1/projects/my-project/locations/global/publishers/google/models/gemini-2.5-flash";
      CliRunner r = new CliRunner().run(azure, "doctor", "--api-url", model);

      String out = r.out() + r.err();
      assertEquals(ExitCodes.FAILED, r.exit, out);
      assertTrue(out.contains("--   impersonation"), out);
      assertTrue(out.contains("FAIL api call"), out);
      assertTrue(out.contains("403"), out);
      assertFalse(out.contains("NullPointerException"), out);
      for (String t : cloud.sts().issuedTokens()) {
        assertFalse(out.contains(t));
      }
    }
  }

  @Test
  void executableConfigWithoutAllowFlag_saysSetTheVariable() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("wif4j-exec", ".json");
    try {
      java.nio.file.Files.writeString(
          file,
          "{\"type\":\"external_account\",\"audience\":\""
              + cloud.audience("azure-pool", "entra")
              + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
              + "\"token_url\":\""
              + cloud.stsTokenUrl()
              + "\",\"credential_source\":{\"executable\":{\"command\":"
              + "\"/opt/wif4j/bin/wif4j google-executable\"}}}");
      CliRunner r =
          new CliRunner().run(Map.of("GOOGLE_APPLICATION_CREDENTIALS", file.toString()), "doctor");
      assertEquals(ExitCodes.FAILED, r.exit, r.out() + r.err());
      assertTrue(r.out().contains("set GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES=1"), r.out());
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @Test
  void printIdToken_federatedWithoutServiceAccount_asksForOneNotForAKey() {
    env.remove("WIF4J_SERVICE_ACCOUNT");
    env.remove("WIF4J_IMPERSONATION_URL");
    CliRunner r = new CliRunner().run(env, "print-id-token", "--audience", "https://x.example");
    assertEquals(ExitCodes.CONFIGURATION, r.exit, r.err());
    assertTrue(r.err().contains("WIF4J_SERVICE_ACCOUNT"), r.err());
    assertTrue(r.err().contains("roles/iam.serviceAccountOpenIdTokenCreator"), r.err());
    assertFalse(r.err().toLowerCase().contains("key"), r.err());
  }

  @Test
  void googleToAws_trustPolicyAudienceMismatch_printsClaimsAndAcceptingPolicy() {
    String role = "arn:aws:iam::123456789012:role/from-google";
    try (FakeGceMetadata gce = new FakeGceMetadata().start();
        FakeAwsSts aws = new FakeAwsSts().start()) {
      aws.trustIssuer(gce.googleIssuer())
          .allowRole(role, Map.of("accounts.google.com:aud", "someone-else"));
      Map<String, String> google = Map.of("GCE_METADATA_HOST", gce.hostAndPort());
      String[] args = {
        "doctor",
        "--aws-role-arn",
        role,
        "--region",
        "us-east-1",
        "--sts-endpoint",
        aws.endpoint().toString()
      };
      CliRunner failing = new CliRunner().run(google, args);
      assertEquals(ExitCodes.FAILED, failing.exit, failing.out() + failing.err());
      String out = failing.out();
      assertTrue(out.contains("ok   google id token"), out);
      assertTrue(out.contains("FAIL aws sts"), out);
      assertTrue(out.contains(gce.serviceAccountUniqueId()), out); // the azp AWS compares
      assertTrue(out.contains("accounts.google.com:aud"), out);

      aws.allowRole(role, Map.of("accounts.google.com:aud", gce.serviceAccountUniqueId()));
      CliRunner passing = new CliRunner().run(google, args);
      assertEquals(ExitCodes.OK, passing.exit, passing.out() + passing.err());
      assertTrue(passing.out().contains("assumed-role/from-google/"), passing.out());
      for (FakeAwsSts.AssumedRole a : aws.assumedRoles()) {
        assertFalse(passing.out().contains(a.accessKeyId()), "access key id printed in full");
      }
    }
  }

  @Test
  void printIdToken_federatedThroughIamGenerateIdToken() {
    cloud.iam().allowImpersonation(SA);
    CliRunner r =
        new CliRunner().run(env, "print-id-token", "--audience", "https://my-service.example");
    assertEquals(ExitCodes.OK, r.exit, r.err());
    String token = r.out().trim();
    assertTrue(cloud.iam().isIssued(token) || token.split("\\.").length == 3, token);
    Map<String, Object> claims = FakeJwtIssuer.decodeClaimsUnverified(token);
    assertEquals("https://my-service.example", claims.get("aud"));
    assertEquals(SA, claims.get("email"));
  }

  private void assertNoSecrets(CliRunner r) {
    String all = r.out() + r.err();
    FakeEc2Metadata.IssuedCredentials c = imds.currentCredentials();
    assertFalse(all.contains(c.secretAccessKey()), all);
    assertFalse(all.contains(c.sessionToken()), all);
    for (String t : cloud.sts().issuedTokens()) {
      assertFalse(all.contains(t), all);
    }
  }
}

package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code wif4j doctor} against fakes answering with the real error bodies: each case names the
 * cause and the one fix, and prints no unrelated fix (no grant command after a failure a grant does
 * not cure).
 */
class DoctorExplanationsTest {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  static final String AKID = "ASIADOCTORTEST000001";
  static final String SECRET = "doctor-secret-0123456789abcdefghijklmnop";
  static final String ARN = "arn:aws:sts::123456789012:assumed-role/app-role/i-0abc";
  static final String POOL =
      "projects/123456789012/locations/global/workloadIdentityPools/aws-pool";

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

  private CliRunner doctor(String... extra) {
    String[] args = new String[extra.length + 1];
    args[0] = "doctor";
    System.arraycopy(extra, 0, args, 1, extra.length);
    return new CliRunner().run(env, args);
  }

  private static void assertNoGrant(String out) {
    assertFalse(out.contains("Grant it access"), out);
    assertFalse(out.contains("--role=roles/iam.workloadIdentityUser"), out);
  }

  @Test
  void recipeLocationVariable_silentGlobalFallbackReported() {
    cloud.iam().allowImpersonation(SA);
    env.put("GCP_LOCATION", "asia-northeast1");
    env.put("GCP_PROJECT_ID", "my-project");
    String out = doctor().out();
    assertTrue(out.contains("WARN recipe variable: GCP_LOCATION=asia-northeast1 is set"), out);
    assertTrue(out.contains("Gemini calls go to location 'global', not 'asia-northeast1'"), out);
    assertTrue(out.contains("Set GOOGLE_CLOUD_LOCATION=asia-northeast1"), out);
    assertTrue(out.contains("set GOOGLE_CLOUD_PROJECT=my-project"), out);
    assertTrue(out.contains("All steps passed"), out);
  }

  @Test
  void recipePoolVariables_withoutAudience_namedWithTheWif4jVariables() {
    env.remove("WIF4J_AUDIENCE");
    env.put("GCP_PROJECT_NUMBER", "123456789012");
    env.put("GCP_WORKLOAD_IDENTITY_POOL_ID", "aws-pool");
    env.put("GCP_WORKLOAD_IDENTITY_PROVIDER_ID", "aws-provider");
    CliRunner r = doctor();
    assertEquals(ExitCodes.CONFIGURATION, r.exit, r.out());
    String out = r.out();
    assertTrue(out.contains("set WIF4J_PROJECT_NUMBER=123456789012"), out);
    assertTrue(out.contains("set WIF4J_POOL_ID=aws-pool"), out);
    assertTrue(out.contains("set WIF4J_PROVIDER_ID=aws-provider"), out);
    assertNoGrant(out);
  }

  @Test
  void projectIdInsteadOfNumber_fixLineShowsTheNumberShape() {
    env.put(
        "WIF4J_AUDIENCE",
        "//iam.googleapis.com/projects/my-project/locations/global/workloadIdentityPools/aws-pool"
            + "/providers/aws-provider");
    CliRunner r = doctor();
    assertEquals(ExitCodes.CONFIGURATION, r.exit, r.out());
    String out = r.out();
    String fix = out.substring(out.indexOf("fix:"));
    assertTrue(fix.contains("project NUMBER"), out);
    assertTrue(fix.contains("gcloud projects describe my-project"), out);
    assertTrue(fix.contains("/projects/PROJECT_NUMBER/locations/global/"), out);
    assertFalse(fix.contains("/projects/my-project/locations"), out);
  }

  @Test
  void attributeConditionRejects_noGrantCommand() {
    cloud.sts().setAttributeCondition(a -> false);
    String out = doctor().out();
    assertTrue(out.contains("FAIL google sts"), out);
    assertTrue(out.contains("attribute condition"), out);
    assertNoGrant(out);
  }

  @Test
  void providerMissing_noGrantCommand() {
    cloud
        .sts()
        .expectAudience(
            "//iam.googleapis.com/" + POOL.replace("aws-pool", "other") + "/providers/x");
    String out = doctor().out();
    assertTrue(out.contains("FAIL google sts"), out);
    assertTrue(out.contains("does not exist"), out);
    assertNoGrant(out);
  }

  @Test
  void impersonationDenied_narrowestFirst_bothRoleMappingsNamed() {
    String out = doctor().out();
    assertTrue(out.contains("FAIL impersonation"), out);
    String grants = out.substring(out.indexOf("Grant it access"));
    int session = grants.indexOf("subject/" + imds.callerArn());
    int roleName = grants.indexOf("attribute.aws_role/wif4j-ec2-role'");
    int roleArn =
        grants.indexOf("attribute.aws_role/arn:aws:sts::123456789012:assumed-role/wif4j-ec2-role'");
    assertTrue(session >= 0 && session < roleName && roleName < roleArn, grants);
    assertFalse(grants.contains("workloadIdentityPools/aws-pool/*"), "pool-wide is not offered");
    assertTrue(out.contains("extract('assumed-role/{role}/')"), out);
    assertTrue(out.contains("gcloud's default AWS mapping"), out);
  }

  @Test
  void expiredAwsCredentials_getCallerIdentityRefusalKeptAndExplained() {
    useEnvironmentCredentials(SECRET);
    awsSts.expireCredentials(AKID);
    String out = doctor().out();
    assertTrue(out.contains("FAIL subject token"), out);
    assertFalse(out.contains("ok   subject token"), out);
    assertTrue(out.contains("ExpiredToken"), out);
    assertTrue(out.contains("AWS_SESSION_TOKEN"), out);
    assertNoGrant(out);
    assertFalse(out.contains(SECRET), out);
  }

  @Test
  void mistypedSecret_getCallerIdentityRefusalKeptAndExplained() {
    useEnvironmentCredentials(SECRET + "x");
    String out = doctor().out();
    assertTrue(out.contains("FAIL subject token"), out);
    assertTrue(out.contains("SignatureDoesNotMatch"), out);
    assertTrue(out.contains("AWS_SECRET_ACCESS_KEY"), out);
    assertFalse(out.contains("chrony"), out);
    assertNoGrant(out);
  }

  @Test
  void vertex403_onApiUrl_namesServiceAccountAndAiplatformUserGrant() {
    cloud.iam().allowImpersonation(SA);
    cloud.vertex().permitPredict(t -> false);
    String url =
        cloud.vertex().baseUri()
            + "/v1/projects/my-project/locations/us-central1/publishers/google/models/"
            + "gemini-2.5-flash";
    String out = doctor("--api-url", url).out();
    assertTrue(out.contains("FAIL api call"), out);
    assertTrue(out.contains("aiplatform.endpoints.predict"), out);
    assertTrue(
        out.contains(
            "gcloud projects add-iam-policy-binding my-project --role=roles/aiplatform.user"
                + " --member='serviceAccount:"
                + SA
                + "'"),
        out);
    assertFalse(out.contains("--role=roles/iam.workloadIdentityUser"), out);
  }

  @Test
  void vertex403_inGeminiCommand_explainedWithTheGrant() {
    cloud.iam().allowImpersonation(SA);
    cloud.vertex().permitPredict(t -> false);
    env.put("GCP_LOCATION", "asia-northeast1");
    CliRunner r =
        new CliRunner()
            .run(
                env,
                "gemini",
                "--project",
                "my-project",
                "--base-url",
                cloud.vertex().baseUri().toString(),
                "Hello");
    assertEquals(ExitCodes.FAILED, r.exit, r.out() + r.err());
    String err = r.err();
    assertTrue(err.contains("aiplatform.endpoints.predict"), err);
    assertTrue(
        err.contains(
            "Fix: Grant roles/aiplatform.user (it holds aiplatform.endpoints.predict) to the service"
                + " account on project my-project"),
        err);
    assertTrue(err.contains("--member='serviceAccount:" + SA + "'"), err);
    assertTrue(err.contains("Gemini calls go to location 'global', not 'asia-northeast1'"), err);
  }

  private void useEnvironmentCredentials(String secret) {
    awsSts.registerCredentials(AKID, SECRET, ARN);
    cloud.sts().registerAwsCredentials(AKID, SECRET, ARN);
    env.put("AWS_ACCESS_KEY_ID", AKID);
    env.put("AWS_SECRET_ACCESS_KEY", secret);
    env.put("AWS_REGION", "us-east-1");
  }
}

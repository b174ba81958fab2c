package io.github.wif4j.aws;

import static io.github.wif4j.aws.AwsFederationFixture.fastPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeContainerCredentials;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeEc2Metadata.Mode;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Every AWS runtime against faithful fakes: each test ends with a Google token from the fake STS,
 * which verified the SigV4 signature of the GetCallerIdentity subject token.
 */
class AwsSourceIntegrationTest {
  /**
   * IMDS requests of a first acquisition: what the AWS SDK's instance profile provider needs (token
   * PUT, role, credentials) plus the region (token PUT, region). The SDK's own default chains cost
   * the same (its region provider reads the identity document after a PUT of its own).
   */
  static final int IMDS_FIRST_ACQUISITION = 5;

  /**
   * Past the stale point (59 min) of a one-hour token but not past 60 min: the fakes stamp expiries
   * with the real time, so a renewed token must not look expired on the advanced fake clock.
   */
  private static final Duration STALE = Duration.ofMinutes(59).plusSeconds(30);

  private final AwsFederationFixture fx = new AwsFederationFixture();
  private final FakeClock clock = FakeClock.now();
  private final Map<String, String> vars = new HashMap<>();
  private final Environment env = Environment.of(vars);

  @TempDir Path dir;

  @AfterEach
  void stop() {
    fx.close();
  }

  private AwsSource source() {
    return AwsSource.builder()
        .environment(env)
        .transportPolicy(fastPolicy())
        .metadataTimeout(Duration.ofMillis(300))
        .build();
  }

  /** Starts a metadata service and points the environment at it. */
  private FakeEc2Metadata imds(Mode mode) {
    FakeEc2Metadata imds = new FakeEc2Metadata(mode).start();
    vars.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString());
    return imds;
  }

  private void assertAwsExchange() {
    assertEquals(
        SubjectTokenType.AWS4_REQUEST, fx.cloud.sts().exchanges().get(0).subjectTokenType());
  }

  @Test
  void ec2ImdsV2_firstAcquisitionSdkRequestsPlusRegion_steadyStateRefreshOnlyStsAndIam()
      throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V2_REQUIRED);
        AwsSource aws = source()) {
      imds.trustedBy(fx.cloud.sts());
      try (FederatedCredentials google = fx.credentials(aws, true, clock)) {
        String first = fx.bearer(google);

        assertTrue(fx.cloud.iam().isIssued(first));
        assertAwsExchange();
        // the SDK's InstanceProfileCredentialsProvider: token PUT, role name, role credentials;
        // the region: token PUT, region (the SDK provider shares no session token)
        assertEquals(IMDS_FIRST_ACQUISITION, imds.requestCount());
        assertEquals(2, imds.tokenRequestCount());
        assertEquals(1, fx.cloud.sts().requestCount());
        assertEquals(1, fx.cloud.iam().requestCount());
        assertEquals("us-east-1", aws.region());

        clock.advance(STALE); // the Google token is stale; AWS credentials are not
        String second = fx.bearer(google);

        assertTrue(fx.cloud.iam().isIssued(second));
        assertFalse(first.equals(second));
        assertEquals(IMDS_FIRST_ACQUISITION, imds.requestCount(), "no AWS request on a refresh");
        assertEquals(2, fx.cloud.iam().requestCount());
        // google-auth re-impersonates with the federated token while that is valid on its own
        // (real) clock; with both expired, the refresh is STS + IAM (next test: STS alone)
        assertEquals(1, fx.cloud.sts().requestCount());
      }
    }
  }

  @Test
  void ec2ImdsV2_directAccess_refreshAfterExpiryIsOneStsCallAndNoImds() throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V2_REQUIRED);
        AwsSource aws = source()) {
      imds.trustedBy(fx.cloud.sts());
      try (FederatedCredentials google = fx.credentials(aws, false, clock)) {
        String first = fx.bearer(google);
        clock.advance(STALE);
        String second = fx.bearer(google);

        assertTrue(fx.cloud.sts().isIssued(second));
        assertFalse(first.equals(second));
        assertEquals(IMDS_FIRST_ACQUISITION, imds.requestCount());
        assertEquals(2, fx.cloud.sts().requestCount());
        assertEquals(2, fx.cloud.sts().exchanges().size());
      }
    }
  }

  @Test
  void ec2ImdsV1Only_tokenPutUnknown_fallsBackToTokenlessGets() throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V1_ONLY);
        AwsSource aws = source()) {
      imds.trustedBy(fx.cloud.sts());
      try (FederatedCredentials google = fx.credentials(aws, false, clock)) {
        assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
        assertEquals(2, imds.tokenRequestCount()); // one for the region, one in the SDK provider
        assertEquals(IMDS_FIRST_ACQUISITION, imds.requestCount());
        imds.requests().stream()
            .filter(r -> r.method().equals("GET"))
            .forEach(r -> assertEquals(null, r.header("X-aws-ec2-metadata-token")));
      }
    }
  }

  @Test
  void agentCoreMmds_tokenPutRefusedWith405_worksWithoutConfiguration() throws Exception {
    try (FakeEc2Metadata mmds = imds(Mode.AGENTCORE_MMDS);
        AwsSource aws = source()) {
      mmds.trustedBy(fx.cloud.sts());
      mmds.setRegion("us-west-2");
      try (FederatedCredentials google = fx.credentials(aws, true, clock)) {
        assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
        assertEquals("us-west-2", aws.region());
        assertEquals(2, mmds.tokenRequestCount()); // refused once for the region, once in the SDK
        assertEquals(IMDS_FIRST_ACQUISITION, mmds.requestCount());
      }
    }
  }

  @Test
  void agentCoreMmds_tokenPutHangs_fallsBackAfterMetadataTimeout() throws Exception {
    try (FakeEc2Metadata mmds = imds(Mode.V2_OPTIONAL);
        AwsSource aws = source()) {
      mmds.trustedBy(fx.cloud.sts());
      mmds.enqueueFault(Fault.hang().onPath("/latest/api/token"));
      try (FederatedCredentials google = fx.credentials(aws, false, clock)) {
        assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
        assertEquals(2, mmds.tokenRequestCount()); // the region's hung; the SDK provider's answered
      }
    }
  }

  @Test
  void ec2_imdsRetriesTransientFaults() throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V2_REQUIRED);
        AwsSource aws = source()) {
      imds.trustedBy(fx.cloud.sts());
      imds.enqueueFault(Fault.status(500).onPath("/latest/meta-data/iam/").times(1));
      imds.enqueueFault(Fault.reset().onPath("/latest/meta-data/placement/").times(1));
      try (FederatedCredentials google = fx.credentials(aws, false, clock)) {
        assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
      }
    }
  }

  @Test
  void lambdaEnvironmentCredentials_noMetadataRequests() throws Exception {
    vars.put("AWS_LAMBDA_FUNCTION_NAME", "vertex-caller");
    vars.put("AWS_REGION", "eu-west-1");
    vars.put("AWS_ACCESS_KEY_ID", "ASIALAMBDAFAKE000001");
    vars.put("AWS_SECRET_ACCESS_KEY", "lambda-secret-key-value");
    vars.put("AWS_SESSION_TOKEN", "IQoJlambda-session-token");
    fx.cloud
        .sts()
        .registerAwsCredentials(
            "ASIALAMBDAFAKE000001",
            "lambda-secret-key-value",
            "arn:aws:sts::123456789012:assumed-role/lambda-role/vertex-caller");
    try (AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, true, clock)) {
      assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
      assertEquals("environment variables", aws.credentialsOrigin());
      assertTrue(
          fx.cloud.sts().exchanges().get(0).principal().contains("assumed-role/lambda-role"),
          fx.cloud.sts().exchanges().get(0).principal());
    }
  }

  @Test
  void lambdaSnapStart_containerFullUriWithAuthorizationToken() throws Exception {
    try (FakeContainerCredentials snap =
        new FakeContainerCredentials("/2021-04-23/credentials").start()) {
      snap.requireAuthorization("snapstart-authorization-token").trustedBy(fx.cloud.sts());
      vars.put("AWS_LAMBDA_FUNCTION_NAME", "vertex-caller");
      vars.put("AWS_REGION", "eu-west-1");
      vars.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", snap.credentialsUri());
      vars.put("AWS_CONTAINER_AUTHORIZATION_TOKEN", "snapstart-authorization-token");
      try (AwsSource aws = source();
          FederatedCredentials google = fx.credentials(aws, true, clock)) {
        assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
        assertEquals(
            "snapstart-authorization-token", snap.requests().get(0).header("Authorization"));
      }
    }
  }

  @Test
  void ecsTaskRole_relativeUri() throws Exception {
    try (FakeContainerCredentials ecs =
        new FakeContainerCredentials("/v2/credentials/0a1b2c3d-task").start()) {
      ecs.trustedBy(fx.cloud.sts());
      vars.put("AWS_REGION", "eu-central-1");
      vars.put("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", ecs.path());
      vars.put("AWS_CONTAINER_SERVICE_ENDPOINT", ecs.baseUri().toString());
      try (AwsSource aws = source();
          FederatedCredentials google = fx.credentials(aws, false, clock)) {
        assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
        assertEquals(1, ecs.requestCount());
      }
    }
  }

  @Test
  void eksPodIdentity_fullUriWithRotatingTokenFile() throws Exception {
    Path tokenFile = dir.resolve("eks-pod-identity-token");
    Files.writeString(tokenFile, "pod-identity-token-1");
    try (FakeContainerCredentials agent = new FakeContainerCredentials("/v1/credentials").start()) {
      agent.requireAuthorization("pod-identity-token-1").trustedBy(fx.cloud.sts());
      vars.put("AWS_REGION", "us-east-2");
      vars.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", agent.credentialsUri());
      vars.put("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokenFile.toString());
      try (AwsSource aws = source()) {
        try (FederatedCredentials google = fx.credentials(aws, false, clock)) {
          assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
        }
        // the kubelet rotates the token; the next credentials fetch must send the new one
        Files.writeString(tokenFile, "pod-identity-token-2");
        agent.requireAuthorization("pod-identity-token-2");
        agent.rotateCredentials();
        try (AwsSource fresh = source();
            FederatedCredentials google = fx.credentials(fresh, false, clock)) {
          assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
          assertEquals("pod-identity-token-2", agent.requests().get(1).header("Authorization"));
        }
      }
    }
  }

  @Test
  void eksIrsa_webIdentityTokenFileThroughAwsSts() throws Exception {
    FakeJwtIssuer cluster =
        FakeJwtIssuer.create(
            "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B7");
    String role = "arn:aws:iam::123456789012:role/irsa-vertex";
    try (FakeAwsSts awsSts = new FakeAwsSts().start()) {
      awsSts
          .trustIssuer(cluster, "sts.amazonaws.com")
          .allowRole(role, Map.of())
          .trustedBy(fx.cloud.sts());
      Path tokenFile = dir.resolve("token");
      Files.writeString(
          tokenFile,
          cluster.issue(
              "system:serviceaccount:default:vertex",
              "sts.amazonaws.com",
              Duration.ofHours(1),
              Map.of()));
      vars.put("AWS_REGION", "us-east-1");
      vars.put("AWS_WEB_IDENTITY_TOKEN_FILE", tokenFile.toString());
      vars.put("AWS_ROLE_ARN", role);
      vars.put("AWS_ENDPOINT_URL_STS", awsSts.endpoint().toString());
      try (AwsSource aws = source();
          FederatedCredentials google = fx.credentials(aws, true, clock)) {
        assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
        assertEquals(1, awsSts.actionCount("AssumeRoleWithWebIdentity"));
        assertTrue(aws.credentialsOrigin().contains("IRSA"), aws.credentialsOrigin());
      }
    }
  }

  @Test
  void invalidate_dropsTheSdkProvidersCachedCredentials() throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V2_REQUIRED);
        AwsSource aws = source()) {
      vars.put("AWS_REGION", "us-east-1");
      String first = aws.fetch(null).accessKeyId();
      String rotated = imds.rotateCredentials().accessKeyId();

      assertEquals(first, aws.fetch(null).accessKeyId(), "cached to their own expiry");
      aws.invalidate(); // e.g. Google STS rejected their signature
      assertEquals(rotated, aws.fetch(null).accessKeyId());
      assertEquals(6, imds.requestCount()); // two SDK provider fetches, no region lookup
    }
  }

  @Test
  void keys_systemPropertiesBeforeEnvironmentVariables_asTheSdk() throws Exception {
    vars.put("AWS_REGION", "us-east-1");
    vars.put("AWS_ACCESS_KEY_ID", "AKIAENVIRONMENT00001");
    vars.put("AWS_SECRET_ACCESS_KEY", "environment-secret");
    Map<String, String> properties =
        Map.of("aws.accessKeyId", "AKIAPROPERTIES000001", "aws.secretAccessKey", "property-secret");
    try (AwsSource aws =
        AwsSource.builder().environment(Environment.of(vars, properties)).build()) {
      assertEquals("AKIAPROPERTIES000001", aws.fetch(null).accessKeyId());
      assertEquals("system properties", aws.credentialsOrigin());
    }
  }

  @Test
  void staticProvider_anySdkProvider() throws Exception {
    fx.cloud
        .sts()
        .registerAwsCredentials(
            "ASIASTATICFAKE000001", "static-secret", "arn:aws:sts::123456789012:assumed-role/r/s");
    AwsSource aws =
        AwsSource.builder()
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsSessionCredentials.create(
                        "ASIASTATICFAKE000001", "static-secret", "static-session-token")))
            .region("ap-southeast-2")
            .environment(env)
            .build();
    try (aws;
        FederatedCredentials google = fx.credentials(aws, false, clock)) {
      assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
    }
  }

  @Test
  void profile_sharedCredentialsFileWithRegion() throws Exception {
    Path credentials = dir.resolve("credentials");
    Path config = dir.resolve("config");
    Files.writeString(
        credentials,
        "[ci]\naws_access_key_id = AKIAPROFILEFAKE00001\naws_secret_access_key = profile-secret\n");
    Files.writeString(config, "[profile ci]\nregion = eu-north-1\n");
    fx.cloud
        .sts()
        .registerAwsCredentials(
            "AKIAPROFILEFAKE00001", "profile-secret", "arn:aws:iam::123456789012:user/ci");
    vars.put("AWS_PROFILE", "ci");
    vars.put("AWS_SHARED_CREDENTIALS_FILE", credentials.toString());
    vars.put("AWS_CONFIG_FILE", config.toString());
    try (AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, false, clock)) {
      assertTrue(fx.cloud.sts().isIssued(fx.bearer(google)));
      assertEquals("eu-north-1", aws.region());
    }
  }

  @Test
  void noCredentialsAnywhere_oneMessageListingEachPlaceTried() throws Exception {
    try (FakeEc2Metadata imds = imds(Mode.V2_REQUIRED);
        AwsSource aws = source()) {
      imds.setRole(null);
      vars.put("AWS_REGION", "us-east-1");
      try (FederatedCredentials google = fx.credentials(aws, false, clock)) {
        Exception e = assertThrows(Exception.class, () -> fx.bearer(google));
        String m = messages(e);
        assertTrue(m.contains("No AWS credentials found"), m);
        for (String place :
            List.of(
                "environment variables",
                "web identity token file",
                "profile 'default'",
                "container credentials",
                "instance profile",
                "No IAM role is attached",
                "associate-iam-instance-profile")) {
          assertTrue(m.contains(place), place + " missing in: " + m);
        }
        assertEquals(0, fx.cloud.sts().requestCount());
      }
    }
  }

  @Test
  void malformedRegion_namesTheVariable() throws Exception {
    vars.put("AWS_REGION", "useast1");
    vars.put("AWS_ACCESS_KEY_ID", "AKIAFAKE");
    vars.put("AWS_SECRET_ACCESS_KEY", "secret");
    try (AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, false, clock)) {
      Exception e = assertThrows(Exception.class, () -> fx.bearer(google));
      String m = messages(e);
      assertTrue(m.contains("AWS_REGION") && m.contains("useast1"), m);
    }
  }

  @Test
  void onlyAccessKeyIdSet_namesTheMissingSecret() throws Exception {
    vars.put("AWS_REGION", "us-east-1");
    vars.put("AWS_ACCESS_KEY_ID", "AKIAFAKE");
    try (AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, false, clock)) {
      Exception e = assertThrows(Exception.class, () -> fx.bearer(google));
      assertTrue(messages(e).contains("AWS_SECRET_ACCESS_KEY"), messages(e));
    }
  }

  @Test
  void containerFullUriOnRemoteHttpHost_isRejected() throws Exception {
    vars.put("AWS_REGION", "us-east-1");
    vars.put("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://credentials.example.com/creds");
    try (AwsSource aws = source();
        FederatedCredentials google = fx.credentials(aws, false, clock)) {
      Exception e = assertThrows(Exception.class, () -> fx.bearer(google));
      assertTrue(messages(e).contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"), messages(e));
    }
  }

  static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      sb.append(t).append('\n');
    }
    return sb.toString();
  }
}

package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.wif4j.core.http.Wif4jTransportFactory;
import io.github.wif4j.core.internal.json.JsonTree;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeGceMetadata;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The packaged distribution, installed as docs/cli.md says (unpack, {@code bin/wif4j
 * --create-cds-archive}), run the way its clients run it: the AWS SDK's credential_process, and
 * google-auth's executable source, which merges standard error into the standard output it parses
 * (so does this test), with {@code JAVA_TOOL_OPTIONS} and a chatty logging configuration set. Runs
 * in {@code verify}, after {@code package} built the archive.
 */
class DistributionIT {
  static final String ROLE = "arn:aws:iam::123456789012:role/from-google";

  @TempDir static Path install;
  static Path wif4j;
  static Path loggingConfig;

  @BeforeAll
  static void installTheDistribution() throws Exception {
    Path archive = Path.of(System.getProperty("wif4j.dist"));
    assertTrue(Files.isRegularFile(archive), archive + " (run mvn verify, not test)");
    Process tar =
        new ProcessBuilder("tar", "xzf", archive.toString(), "-C", install.toString())
            .inheritIO()
            .start();
    assertEquals(0, tar.waitFor());
    try (Stream<Path> s = Files.list(install)) {
      wif4j = s.filter(p -> p.getFileName().toString().startsWith("wif4j-")).findFirst().get();
    }
    wif4j = wif4j.resolve("bin").resolve("wif4j");
    Result cds = run(List.of(wif4j.toString(), "--create-cds-archive"), Map.of());
    assertEquals(0, cds.exit, cds.output);
    try (Stream<Path> s = Files.list(wif4j.getParent().getParent().resolve("cds"))) {
      assertTrue(
          s.anyMatch(p -> p.toString().endsWith(".jsa") || p.toString().endsWith(".aot")),
          "no CDS archive");
    }
    loggingConfig = install.resolve("logging.properties");
    Files.writeString(
        loggingConfig,
        "handlers=java.util.logging.ConsoleHandler\n.level=ALL\n"
            + "java.util.logging.ConsoleHandler.level=ALL\n");
  }

  /**
   * JAVA_TOOL_OPTIONS that make a JVM announce itself and log everything to stderr, with options
   * the launcher must pass on as the JVM reads them: a quoted value with blanks (split, its second
   * half would be taken for the main class) and a glob character (never expanded).
   */
  static Map<String, String> noisyJvm() {
    return Map.of(
        "JAVA_TOOL_OPTIONS",
        "-Xmx256m  -Dwif4j.quoted=\"two  words\" -Djava.util.logging.config.file=" + loggingConfig,
        "JDK_JAVA_OPTIONS",
        "-Dwif4j.test=1 '-Dwif4j.glob=*'");
  }

  @Test
  void awsSdkProfile_runsTheInstalledCommand_signsWithItsCredentials_thenHitsTheCache()
      throws Exception {
    try (FakeGceMetadata gce = new FakeGceMetadata().start();
        FakeAwsSts aws = new FakeAwsSts().start()) {
      aws.trustIssuer(gce.googleIssuer())
          .allowRole(ROLE, Map.of("accounts.google.com:sub", gce.serviceAccountUniqueId()));
      Path config = install.resolve("aws-config");
      Files.writeString(
          config,
          "[profile from-google]\ncredential_process = "
              + wif4j
              + " --set GCE_METADATA_HOST="
              + gce.hostAndPort()
              + " --set WIF4J_CACHE_DIR="
              + install.resolve("aws-cache")
              + " aws-credential-process --role-arn "
              + ROLE
              + " --region us-east-1 --sts-endpoint "
              + aws.endpoint()
              + "\n");
      for (int i = 0; i < 2; i++) { // a fresh provider each time: the second answer is cached
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
          // the fake verifies the SigV4 signature against the secret it issued
          String arn = sts.getCallerIdentity().arn();
          assertTrue(arn.startsWith("arn:aws:sts::123456789012:assumed-role/from-google/"), arn);
        }
      }
      assertEquals(1, aws.actionCount("AssumeRoleWithWebIdentity"));
    }
  }

  @Test
  void awsCredentialProcess_mergedStreamsWithJavaToolOptions_isOneJsonDocument() throws Exception {
    try (FakeGceMetadata gce = new FakeGceMetadata().start();
        FakeAwsSts aws = new FakeAwsSts().start()) {
      aws.trustIssuer(gce.googleIssuer())
          .allowRole(ROLE, Map.of("accounts.google.com:sub", gce.serviceAccountUniqueId()));
      Map<String, String> env = new java.util.HashMap<>(noisyJvm());
      env.put("GCE_METADATA_HOST", gce.hostAndPort());
      env.put("WIF4J_CACHE_DIR", install.resolve("merged-cache").toString());
      List<String> cmd =
          List.of(
              wif4j.toString(),
              "aws-credential-process",
              "--role-arn",
              ROLE,
              "--region",
              "us-east-1",
              "--sts-endpoint",
              aws.endpoint().toString());
      for (int i = 0; i < 2; i++) { // cold, then cached
        Result r = run(cmd, env);
        assertEquals(0, r.exit, r.output);
        JsonObject doc = json(r.output);
        assertEquals(1, doc.get("Version").getAsInt(), r.output);
        assertTrue(r.output.trim().startsWith("{") && r.output.trim().endsWith("}"), r.output);
        assertEquals(1, r.output.trim().lines().count(), r.output);
      }
    }
  }

  @Test
  void googleExecutable_mergedStreamsWithJavaToolOptionsAndLogging_isOneJsonDocument()
      throws Exception {
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      Map<String, String> env = new java.util.HashMap<>(noisyJvm());
      env.put("IDENTITY_ENDPOINT", app.identityEndpoint());
      env.put("IDENTITY_HEADER", app.identityHeader());
      env.put(
          "GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE",
          "//iam.googleapis.com/projects/123456789012/locations/global/"
              + "workloadIdentityPools/azure-pool/providers/entra");
      // WIF4J_AZURE_RESOURCE unset: the source logs its default at INFO, which must not show
      Result r = run(List.of(wif4j.toString(), "google-executable"), env);

      assertEquals(0, r.exit, r.output);
      assertEquals(1, r.output.trim().lines().count(), r.output);
      JsonObject doc = json(r.output);
      assertTrue(doc.get("success").getAsBoolean(), r.output);
      assertTrue(tenant.issuedTokens().contains(doc.get("id_token").getAsString()));
    }
  }

  @Test
  void googleExecutable_failure_mergedStreamsAreTheFailureResponse() throws Exception {
    Result r = run(List.of(wif4j.toString(), "google-executable"), noisyJvm());
    assertEquals(1, r.exit, r.output);
    JsonObject doc = json(r.output);
    assertFalse(doc.get("success").getAsBoolean(), r.output);
    assertEquals("CONFIGURATION", doc.get("code").getAsString(), r.output);
    assertTrue(doc.get("message").getAsString().contains("GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE"));
  }

  @Test
  void googleAuth_executableSource_runsTheInstalledCommand_withAPrivateOutputFile()
      throws Exception {
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeCloud cloud = FakeCloud.start();
        FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      String audience = cloud.audience("azure-pool", "entra");
      cloud.sts().trustIssuer(tenant.issuer(), "https://management.azure.com/");
      Path output = install.resolve("google-output.json");
      // google-auth passes its own environment on: env(1) adds the platform's and a noisy JVM's
      String command =
          "/usr/bin/env IDENTITY_ENDPOINT="
              + app.identityEndpoint()
              + " IDENTITY_HEADER="
              + app.identityHeader()
              + " JAVA_TOOL_OPTIONS=-Xmx256m "
              + wif4j
              + " google-executable";
      String json =
          "{\"type\":\"external_account\",\"audience\":\""
              + audience
              + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
              + "\"token_url\":\""
              + cloud.stsTokenUrl()
              + "\",\"credential_source\":{\"executable\":{\"command\":\""
              + command
              + "\",\"timeout_millis\":60000,\"output_file\":\""
              + output
              + "\"}}}";
      GoogleCredentials google =
          GoogleCredentials.fromStream(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
              Wif4jTransportFactory.create(CliRunner.testTls()));
      google.refresh();

      assertTrue(cloud.sts().isIssued(google.getAccessToken().getTokenValue()));
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(output)));
    }
  }

  @Test
  void checkoutLauncher_neverBuildsInAHelperCall() throws Exception {
    Path checkout = install.resolve("checkout");
    Files.createDirectories(checkout);
    Path launcher = checkout.resolve("wif4j");
    Files.copy(Path.of("..", "wif4j"), launcher);
    launcher.toFile().setExecutable(true);

    Result google = run(List.of(launcher.toString(), "google-executable"), Map.of());
    assertEquals(1, google.exit, google.output);
    assertEquals("NOT_BUILT", json(google.output).get("code").getAsString(), google.output);

    Result aws =
        run(List.of(launcher.toString(), "--set", "A=B", "aws-credential-process"), Map.of());
    assertEquals(1, aws.exit, aws.output);
    assertEquals(1, aws.output.trim().lines().count(), aws.output);
    assertTrue(aws.output.contains("not built"), aws.output);
    assertFalse(Files.exists(checkout.resolve("cli")));
  }

  /** The whole output as one strict JSON object on one line, or a failed assertion. */
  static JsonObject json(String output) throws JsonTree.Malformed {
    String text = output.trim();
    assertEquals(1, text.lines().count(), output);
    JsonTree.parse(text, true); // strict: nothing before or after the object
    return JsonParser.parseString(text).getAsJsonObject();
  }

  static final class Result {
    final int exit;
    final String output;

    Result(int exit, String output) {
      this.exit = exit;
      this.output = output;
    }
  }

  /** Runs like google-auth does: standard error merged into standard output. */
  static Result run(List<String> command, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("GOOGLE_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + out);
    return new Result(p.exitValue(), out);
  }
}

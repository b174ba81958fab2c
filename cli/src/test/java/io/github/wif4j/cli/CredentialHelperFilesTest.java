package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeGceMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the credential helpers leave on disk: the {@code aws-credential-process} cache (0700
 * directory, 0600 files, reused until the refresh margin, never read when others could have written
 * it) and the {@code google-executable} output file (0600, atomic, never at the cost of the
 * response).
 */
class CredentialHelperFilesTest {
  static final String ROLE = "arn:aws:iam::123456789012:role/from-google";

  @TempDir Path dir;
  private FakeGceMetadata gce;
  private FakeAwsSts aws;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void start() {
    gce = new FakeGceMetadata().start();
    aws = new FakeAwsSts().start();
    aws.trustIssuer(gce.googleIssuer())
        .allowRole(ROLE, Map.of("accounts.google.com:sub", gce.serviceAccountUniqueId()));
    env.put("GCE_METADATA_HOST", gce.hostAndPort());
    env.put("WIF4J_CACHE_DIR", dir.resolve("cache").toString());
  }

  @AfterEach
  void stop() {
    gce.close();
    aws.close();
  }

  private CliRunner awsHelper(String... extra) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "aws-credential-process",
                "--role-arn",
                ROLE,
                "--region",
                "us-east-1",
                "--sts-endpoint",
                aws.endpoint().toString()));
    args.addAll(List.of(extra));
    return new CliRunner().run(env, args.toArray(new String[0]));
  }

  @Test
  void awsCache_secondCallIsServedFromAPrivateFile() throws Exception {
    CliRunner first = awsHelper();
    CliRunner second = awsHelper();

    assertEquals(ExitCodes.OK, first.exit, first.err());
    assertEquals(first.out(), second.out());
    assertEquals("", first.err() + second.err());
    assertEquals(1, aws.actionCount("AssumeRoleWithWebIdentity"));
    Path cache = dir.resolve("cache");
    assertEquals("rwx------", mode(cache));
    List<Path> files = list(cache);
    assertEquals(1, files.size(), files.toString());
    assertEquals("rw-------", mode(files.get(0)));
    assertEquals(first.out().trim(), Files.readString(files.get(0)).trim());
  }

  @Test
  void awsCache_noCacheFlag_asksStsAndWritesNothing() throws Exception {
    awsHelper("--no-cache");
    awsHelper("--no-cache");
    assertEquals(2, aws.actionCount("AssumeRoleWithWebIdentity"));
    assertFalse(Files.exists(dir.resolve("cache")));
  }

  @Test
  void awsCache_otherRoleOrSessionName_isAnotherEntry() {
    awsHelper();
    awsHelper("--session-name", "reports");
    assertEquals(2, aws.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void awsCache_withinTheRefreshMargin_asksStsAgain() {
    aws.setCredentialLifetime(Duration.ofMinutes(15)); // always inside the 16 min margin
    awsHelper();
    awsHelper();
    assertEquals(2, aws.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void awsCache_directoryOpenToOthers_isNeitherReadNorWritten() throws Exception {
    awsHelper();
    Path cache = dir.resolve("cache");
    Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
    CliRunner r = awsHelper();
    assertEquals(ExitCodes.OK, r.exit);
    assertEquals(2, aws.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void awsCache_fileReadableByOthers_isIgnored() throws Exception {
    awsHelper();
    Path file = list(dir.resolve("cache")).get(0);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    awsHelper();
    assertEquals(2, aws.actionCount("AssumeRoleWithWebIdentity"));
    assertEquals("rw-------", mode(file)); // rewritten privately
  }

  @Test
  void awsCache_symlinkedFile_isIgnored() throws Exception {
    awsHelper();
    Path file = list(dir.resolve("cache")).get(0);
    Path elsewhere = dir.resolve("planted.json");
    Files.move(file, elsewhere);
    Files.setPosixFilePermissions(elsewhere, PosixFilePermissions.fromString("rw-------"));
    Files.createSymbolicLink(file, elsewhere);
    awsHelper();
    assertEquals(2, aws.actionCount("AssumeRoleWithWebIdentity"));
  }

  @Test
  void awsErrors_nameTheFlagsAndSeconds() {
    CliRunner r = awsHelper("--duration-seconds", "100");
    assertEquals(ExitCodes.CONFIGURATION, r.exit);
    assertTrue(r.err().contains("--duration-seconds: 100 seconds is out of range"), r.err());
    assertFalse(r.err().contains("PT1M40S"), r.err());

    CliRunner arn = new CliRunner().run(env, "aws-credential-process", "--role-arn", "reports");
    assertTrue(arn.err().contains("--role-arn: 'reports' is not an IAM role ARN"), arn.err());
    assertFalse(arn.err().contains("roleArn"), arn.err());

    CliRunner url =
        new CliRunner()
            .run(env, "aws-credential-process", "--role-arn", ROLE, "--sts-endpoint", "ftp://x");
    assertTrue(url.err().contains("--sts-endpoint:"), url.err());
    assertFalse(url.err().contains("stsEndpoint"), url.err());
  }

  @Test
  void googleExecutable_outputFileIsPrivateAndHoldsTheResponse() throws Exception {
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      Path output = dir.resolve("token.json");
      CliRunner r = new CliRunner().run(azure(app, output.toString()), "google-executable");

      assertEquals(ExitCodes.OK, r.exit, r.out());
      assertEquals("", r.err());
      assertEquals("rw-------", mode(output));
      assertEquals(r.out().trim(), Files.readString(output, StandardCharsets.UTF_8).trim());
      assertEquals(List.of(output), list(dir).stream().filter(p -> !p.endsWith("cache")).toList());
    }
  }

  @Test
  void googleExecutable_unwritableOutputFile_stillAnswers() throws Exception {
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      String output = dir.resolve("no-such-dir").resolve("token.json").toString();
      CliRunner r = new CliRunner().run(azure(app, output), "google-executable");

      assertEquals(ExitCodes.OK, r.exit, r.out());
      assertTrue(r.out().startsWith("{\"version\":1,\"success\":true,"), r.out());
      assertEquals("", r.err());
    }
  }

  @Test
  void googleExecutable_usageMistake_keepsTheJsonContract() {
    CliRunner r = new CliRunner().run(Map.of(), "google-executable", "--frobnicate");
    assertEquals(ExitCodes.USAGE, r.exit);
    assertTrue(
        r.out().startsWith("{\"version\":1,\"success\":false,\"code\":\"USAGE\",\"message\":"),
        r.out());
    assertEquals("", r.err());
  }

  private static Map<String, String> azure(FakeAzureAppService app, String outputFile) {
    Map<String, String> m = new HashMap<>();
    m.put("IDENTITY_ENDPOINT", app.identityEndpoint());
    m.put("IDENTITY_HEADER", app.identityHeader());
    m.put(
        "GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE",
        "//iam.googleapis.com/projects/123456789012/locations/global/"
            + "workloadIdentityPools/azure-pool/providers/entra");
    m.put("GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE", outputFile);
    return m;
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static List<Path> list(Path d) throws Exception {
    try (Stream<Path> s = Files.list(d)) {
      return s.toList();
    }
  }
}

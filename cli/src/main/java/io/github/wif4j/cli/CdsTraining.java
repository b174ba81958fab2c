package io.github.wif4j.cli;

import io.github.wif4j.core.Environment;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeGceMetadata;
import io.github.wif4j.testing.TestTls;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The training run behind {@code bin/wif4j --create-cds-archive}: runs both credential helpers
 * in-process against the embedded fakes (loopback only), so the JVM's class-data sharing archive
 * dumped at its exit ({@code -XX:ArchiveClassesAtExit}) holds the classes a real helper call loads:
 * a cold {@code aws-credential-process} (google-auth, the AWS SDK, STS), a cached one, and {@code
 * google-executable}. Prints nothing; exit code 0 when both helpers answered.
 */
public final class CdsTraining {
  private static final char[] TRUST_STORE_PASSWORD = "cds-training".toCharArray();

  private CdsTraining() {}

  /** Runs the training; see the class comment. */
  public static void main(String[] args) throws Exception {
    Console.system().quiet(Optional.empty()); // the fakes' and libraries' logs go nowhere
    String role = "arn:aws:iam::123456789012:role/cds-training";
    Path cache = Files.createTempDirectory("wif4j-cds-training");
    int failures = 0;
    // AWS STS over https, as the real one: the archive then holds JSSE's classes (TLS start-up is
    // a large part of a cold call); the training trusts the fake's certificate only
    Path trustStore = cache.resolve("fake-cloud.p12");
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      TestTls.trustStore().store(out, TRUST_STORE_PASSWORD);
    }
    System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
    System.setProperty("javax.net.ssl.trustStorePassword", new String(TRUST_STORE_PASSWORD));
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    try (FakeGceMetadata gce = new FakeGceMetadata().start();
        FakeAwsSts aws = new FakeAwsSts(true).start()) {
      aws.trustIssuer(gce.googleIssuer())
          .allowRole(role, Map.of("accounts.google.com:sub", gce.serviceAccountUniqueId()));
      Map<String, String> env = new HashMap<>();
      env.put("GCE_METADATA_HOST", gce.hostAndPort());
      env.put("WIF4J_CACHE_DIR", cache.resolve("aws").toString());
      for (int i = 0; i < 2; i++) { // a miss (STS), then a hit (the cache file)
        failures +=
            run(
                env,
                "aws-credential-process",
                "--role-arn",
                role,
                "--region",
                "us-east-1",
                "--sts-endpoint",
                aws.endpoint().toString());
      }
      FakeAzureIdentity tenant = new FakeAzureIdentity();
      try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
        Map<String, String> azure = new HashMap<>();
        azure.put("IDENTITY_ENDPOINT", app.identityEndpoint());
        azure.put("IDENTITY_HEADER", app.identityHeader());
        azure.put(
            "GOOGLE_EXTERNAL_ACCOUNT_AUDIENCE",
            "//iam.googleapis.com/projects/123456789012/locations/global/"
                + "workloadIdentityPools/pool/providers/azure");
        azure.put("GOOGLE_EXTERNAL_ACCOUNT_OUTPUT_FILE", cache.resolve("out.json").toString());
        failures += run(azure, "google-executable");
      }
    } finally {
      try (Stream<Path> files = Files.walk(cache)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(failures == 0 ? ExitCodes.OK : ExitCodes.FAILED);
  }

  private static int run(Map<String, String> env, String... args) {
    Environment system = Environment.system();
    Map<String, String> properties = new HashMap<>();
    system.property("user.name").ifPresent(v -> properties.put("user.name", v));
    int code =
        Cli.builder()
            .environment(Environment.of(env, properties))
            .console(Console.capturing())
            .build()
            .run(args);
    return code == ExitCodes.OK ? 0 : 1;
  }
}

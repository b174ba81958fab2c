package io.github.wif4j.benchmarks;

import io.github.wif4j.core.Environment;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToLongFunction;

/**
 * Time to first token in a fresh JVM, whole process (JVM start to exit), wif4j beside the stock
 * libraries, each configured as its documentation tells a user to:
 *
 * <ul>
 *   <li><b>ec2</b>: IMDSv2 (tokens required) and service-account impersonation. Stock:
 *       google-auth's {@code aws1} {@code external_account} file (as gcloud writes it with {@code
 *       --enable-imdsv2}) through {@code GOOGLE_APPLICATION_CREDENTIALS}; wif4j: {@code
 *       FederatedCredentials.fromEnvironment()} with the {@code WIF4J_*} variables, source
 *       detected.
 *   <li><b>lambda</b>: environment credentials, direct access. Stock: the same {@code aws1} file
 *       (google-auth reads {@code AWS_ACCESS_KEY_ID} etc. when set); wif4j: as above, Lambda
 *       variables set.
 *   <li><b>gcp2aws</b>: Google ID token from the metadata server, AWS STS
 *       AssumeRoleWithWebIdentity. Stock: google-auth {@code IdTokenCredentials} over {@code
 *       ComputeEngineCredentials} feeding the AWS SDK's {@code
 *       StsAssumeRoleWithWebIdentityCredentialsProvider}; wif4j: {@code
 *       GoogleToAwsCredentialsProvider}.
 * </ul>
 *
 * <p>Both sides run with the same JVM flags and trust the fakes' certificate through the standard
 * {@code javax.net.ssl.trustStore} properties, so neither needs test-only code. The parent runs the
 * fakes and starts the children, every cell interleaved with every other in each round so that
 * drift in machine load hits all alike. Each child also reports when {@code main} was entered and
 * when the credentials were built, measured on the same monotonic clock as the parent.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.github.wif4j.benchmarks.ColdStart
 * [runs] [classes]}; {@code classes} adds one extra run per cell with {@code -Xlog:class+load} and
 * prints what loaded, by origin; {@code -Dcoldstart.baseline=JAR} adds wif4j from another build
 * (e.g. main before a change) as a third library ({@code -Dcoldstart.classLogDir=DIR} keeps the
 * logs). Extra child JVM options: {@code -Dcoldstart.jvmArgs="..."}; only some paths: {@code
 * -Dcoldstart.paths=ec2,lambda}; wif4j a second time with extra environment variables: {@code
 * -Dcoldstart.variant=WIF4J_PARALLEL_START=false}.
 */
public final class ColdStart {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  static final String ROLE = "arn:aws:iam::123456789012:role/from-google";

  /** {@code -Dcoldstart.paths=ec2,lambda}: only these paths (default: all three). */
  static final List<String> PATHS =
      List.of(
          Environment.system()
              .property("coldstart.paths")
              .filter(p -> !p.isBlank())
              .orElse("ec2,lambda,gcp2aws")
              .split(","));

  /** {@code -Dcoldstart.baseline=JAR}: also runs wif4j from another build of this jar. */
  static final Optional<String> BASELINE = Environment.system().property("coldstart.baseline");

  /** {@code -Dcoldstart.env=K=V,...}: extra environment variables for wif4j's runs. */
  static final String EXTRA_ENV = Environment.system().property("coldstart.env").orElse("");

  /**
   * {@code -Dcoldstart.variant=K=V,...}: also runs wif4j with these extra environment variables
   * (e.g. {@code WIF4J_PARALLEL_START=false}), as a library of its own in the same rounds.
   */
  static final String VARIANT = Environment.system().property("coldstart.variant").orElse("");

  static final List<String> LIBS = libs();

  private static List<String> libs() {
    List<String> libs = new ArrayList<>(List.of("stock"));
    BASELINE.ifPresent(b -> libs.add("baseline"));
    if (!VARIANT.isBlank()) {
      libs.add("variant");
    }
    libs.add("wif4j");
    return List.copyOf(libs);
  }

  private ColdStart() {}

  /** Puts {@code K=V,K2=V2} (a system property's value) into {@code env}; blanks are skipped. */
  static void putVariables(Map<String, String> env, String pairs) {
    for (String kv : pairs.split(",")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        env.put(kv.substring(0, eq), kv.substring(eq + 1));
      }
    }
  }

  /** {@code [runs] [classes]}. */
  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    boolean classes = List.of(args).contains("classes");
    try (World world = new World()) {
      Map<String, List<long[]>> times = new LinkedHashMap<>();
      for (int i = 0; i < runs; i++) {
        List<String> order = new ArrayList<>(List.of("bare"));
        for (String path : PATHS) {
          for (String lib : LIBS) {
            order.add(lib + " " + path);
          }
        }
        if (i % 2 == 1) {
          Collections.reverse(order); // neither library always runs right after the other
        }
        for (String cell : order) {
          String[] lp = cell.equals("bare") ? new String[] {"bare", "bare"} : cell.split(" ");
          times.computeIfAbsent(cell, k -> new ArrayList<>()).add(world.run(lp[0], lp[1], null));
        }
      }
      print(runs, times);
      if (classes) {
        printClasses(world);
      }
    }
    System.exit(0);
  }

  private static void print(int runs, Map<String, List<long[]>> times) {
    System.out.println(
        "\n### Time to first token, fresh JVM (whole process), median of "
            + runs
            + " interleaved runs\n");
    System.out.println(
        "| Path | Library | process | min - max | ratio | main entered | built | first token | CPU"
            + " to first token | CPU ratio |");
    System.out.println("|---|---|---:|---|---:|---:|---:|---:|---:|---:|");
    long bare = median(times.get("bare"), t -> t[0]);
    System.out.println(
        String.format(
            Locale.ROOT,
            "| (bare JVM) | - | %d ms | %s | | | | | %d ms | |",
            bare,
            range(times.get("bare")),
            median(times.get("bare"), t -> t[4])));
    for (String path : PATHS) {
      long stock = median(times.get("stock " + path), t -> t[0]);
      long stockCpu = median(times.get("stock " + path), t -> t[4]);
      for (String lib : LIBS) {
        List<long[]> t = times.get(lib + " " + path);
        long total = median(t, x -> x[0]);
        long cpu = median(t, x -> x[4]);
        boolean isStock = lib.equals("stock");
        System.out.println(
            String.format(
                Locale.ROOT,
                "| %s | %s | %d ms | %s | %s | %d ms | %d ms | %d ms | %d ms | %s |",
                path,
                libName(lib, path),
                total,
                range(t),
                isStock ? "" : String.format(Locale.ROOT, "**%.2fx**", (double) total / stock),
                median(t, x -> x[1]),
                median(t, x -> x[2]),
                median(t, x -> x[3]),
                cpu,
                isStock ? "" : String.format(Locale.ROOT, "%.2fx", (double) cpu / stockCpu)));
      }
    }
    System.out.println(
        "\nprocess: JVM start to exit (what the ratio compares); main entered / built / first"
            + " token: since the parent started the JVM; CPU: all the child's threads up to the first"
            + " token, steadier than wall time on a shared machine. Each column is its own median.");
  }

  static String libName(String lib, String path) {
    switch (lib) {
      case "stock":
        return stockName(path);
      case "baseline":
        return "wif4j (baseline)";
      case "variant":
        return "wif4j (" + VARIANT + ")";
      default:
        return "wif4j";
    }
  }

  static String stockName(String path) {
    return path.equals("gcp2aws") ? "stock (google-auth + AWS SDK)" : "stock (google-auth)";
  }

  private static long median(List<long[]> runs, ToLongFunction<long[]> f) {
    List<Long> v = new ArrayList<>();
    runs.forEach(r -> v.add(f.applyAsLong(r)));
    Collections.sort(v);
    return v.get(v.size() / 2);
  }

  private static String range(List<long[]> runs) {
    long min = Long.MAX_VALUE;
    long max = 0;
    for (long[] r : runs) {
      min = Math.min(min, r[0]);
      max = Math.max(max, r[0]);
    }
    return min + " - " + max + " ms";
  }

  private static void printClasses(World world) throws Exception {
    System.out.println(
        "\n### Classes loaded to the first token (one run each, -Xlog:class+load)\n");
    List<String> groups =
        List.of(
            "total",
            "JDK (CDS archive)",
            "JDK (other)",
            "wif4j",
            "google-auth",
            "google-http-client",
            "gson",
            "jackson",
            "guava",
            "AWS SDK",
            "other");
    StringBuilder header = new StringBuilder("| Path | Library |");
    StringBuilder rule = new StringBuilder("|---|---|");
    for (String g : groups) {
      header.append(' ').append(g).append(" |");
      rule.append("---:|");
    }
    System.out.println(header);
    System.out.println(rule);
    for (String path : PATHS) {
      for (String lib : LIBS) {
        Optional<String> keep = Environment.system().property("coldstart.classLogDir");
        Path log =
            keep.isPresent()
                ? Path.of(keep.get(), "classes-" + lib + "-" + path + ".log")
                : Files.createTempFile("coldstart-classes-", ".log");
        try {
          world.run(lib, path, log);
          Map<String, Integer> counts = countClasses(Files.readAllLines(log));
          StringBuilder row =
              new StringBuilder(
                  "| " + path + " | " + (lib.equals("variant") ? libName(lib, path) : lib) + " |");
          for (String g : groups) {
            row.append(' ').append(counts.getOrDefault(g, 0)).append(" |");
          }
          System.out.println(row);
        } finally {
          if (keep.isEmpty()) {
            Files.deleteIfExists(log);
          }
        }
      }
    }
  }

  static Map<String, Integer> countClasses(List<String> lines) {
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : lines) {
      int source = line.indexOf(" source: ");
      if (source < 0) {
        continue;
      }
      String name = line.substring(line.indexOf("] ") + 2, source).trim();
      int sp = name.lastIndexOf(' ');
      name = sp >= 0 ? name.substring(sp + 1) : name;
      String origin = line.substring(source + 9);
      String group;
      if (origin.startsWith("shared objects file")) {
        group = "JDK (CDS archive)";
      } else if (origin.startsWith("jrt:") || origin.startsWith("__")) {
        group = "JDK (other)";
      } else if (name.startsWith("io.github.wif4j.")) {
        group = "wif4j";
      } else if (name.startsWith("com.google.auth.")) {
        group = "google-auth";
      } else if (name.startsWith("com.google.api.client.")) {
        group = "google-http-client";
      } else if (name.startsWith("com.google.gson.")) {
        group = "gson";
      } else if (name.startsWith("com.fasterxml.jackson.")) {
        group = "jackson";
      } else if (name.startsWith("com.google.common.")) {
        group = "guava";
      } else if (name.startsWith("software.amazon.")) {
        group = "AWS SDK";
      } else {
        group = "other";
      }
      counts.merge(group, 1, Integer::sum);
      counts.merge("total", 1, Integer::sum);
    }
    return counts;
  }

  /** The fakes, the stock configuration file and the trust store every child uses. */
  static final class World implements AutoCloseable {
    final FakeCloud cloud = FakeCloud.start();
    final FakeEc2Metadata imds = new FakeEc2Metadata(FakeEc2Metadata.Mode.V2_REQUIRED).start();
    final FakeAwsSts awsSts = new FakeAwsSts(true).start(); // https, as the real STS
    final String audience = cloud.audience("aws-pool", "aws-provider");
    final Path dir;
    final Path trustStore;
    final Path ec2File;
    final Path lambdaFile;

    World() throws IOException {
      imds.trustedBy(cloud.sts());
      cloud.iam().allowImpersonation(SA);
      cloud
          .sts()
          .registerAwsCredentials(
              "ASIALAMBDACOLD000001",
              "lambda-secret",
              "arn:aws:sts::123456789012:assumed-role/fn/fn");
      awsSts.trustIssuer(cloud.gceMetadata().googleIssuer()).allowRole(ROLE, Map.of());
      dir = Files.createTempDirectory("coldstart-");
      trustStore = dir.resolve("cacerts-and-fake-cloud.p12");
      writeTrustStore(trustStore);
      ec2File = dir.resolve("ec2.json");
      Files.writeString(ec2File, awsFile(cloud.impersonationUrl(SA)));
      lambdaFile = dir.resolve("lambda.json");
      Files.writeString(lambdaFile, awsFile(null));
    }

    /**
     * The JDK's own {@code cacerts} plus the fakes' certificate, stored as {@code cacerts} is: a
     * PKCS12 file without password-based integrity check. So the children's TLS start-up costs what
     * it costs in production (parse the CA certificates), not a 10,000-round PBKDF2 of a test
     * store.
     */
    static void writeTrustStore(Path file) throws IOException {
      Environment jvm = Environment.system();
      try {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        Path cacerts =
            Path.of(jvm.property("java.home").orElseThrow(), "lib", "security", "cacerts");
        try (InputStream in = Files.newInputStream(cacerts)) {
          ks.load(in, null);
        }
        KeyStore fake = TestTls.trustStore();
        for (String alias : Collections.list(fake.aliases())) {
          ks.setCertificateEntry("wif4j-fake-" + alias, fake.getCertificate(alias));
        }
        System.setProperty("keystore.pkcs12.macAlgorithm", "NONE");
        System.setProperty("keystore.pkcs12.certProtectionAlgorithm", "NONE");
        try (OutputStream out = Files.newOutputStream(file)) {
          ks.store(out, new char[0]);
        }
      } catch (java.security.GeneralSecurityException e) {
        throw new IOException(e);
      }
    }

    /** The file {@code gcloud iam workload-identity-pools create-cred-config --aws} writes. */
    String awsFile(String impersonationUrl) {
      String imdsBase = imds.baseUri().toString();
      return "{\"type\":\"external_account\",\"audience\":\""
          + audience
          + "\",\"subject_token_type\":\"urn:ietf:params:aws:token-type:aws4_request\","
          + "\"token_url\":\""
          + cloud.stsTokenUrl()
          + "\","
          + (impersonationUrl == null
              ? ""
              : "\"service_account_impersonation_url\":\"" + impersonationUrl + "\",")
          + "\"credential_source\":{\"environment_id\":\"aws1\",\"region_url\":\""
          + imdsBase
          + "/latest/meta-data/placement/availability-zone\",\"url\":\""
          + imdsBase
          + "/latest/meta-data/iam/security-credentials\",\"regional_cred_verification_url\":"
          + "\"https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\","
          + "\"imdsv2_session_token_url\":\""
          + imdsBase
          + "/latest/api/token\"}}";
    }

    /**
     * Runs one child; returns {process, main entered, built, first token} in ms since start. With
     * {@code classLog}, the child logs class loading there.
     */
    long[] run(String lib, String path, Path classLog) throws Exception {
      Environment jvm = Environment.system();
      String java = Path.of(jvm.property("java.home").orElseThrow(), "bin", "java").toString();
      List<String> command = new ArrayList<>();
      command.add(java);
      jvm.property("coldstart.jvmArgs")
          .filter(a -> !a.isBlank())
          .ifPresent(a -> command.addAll(List.of(a.trim().split("\\s+"))));
      if (classLog != null) {
        command.add("-Xlog:class+load=info:file=" + classLog);
      }
      command.add("-Djavax.net.ssl.trustStore=" + trustStore);
      command.add("-Djavax.net.ssl.trustStoreType=PKCS12");
      command.add("-cp");
      command.add(
          lib.equals("baseline")
              ? BASELINE.orElseThrow()
              : jvm.property("java.class.path").orElseThrow());
      command.add(ColdStartChild.class.getName());
      command.add(lib);
      command.add(path);
      ProcessBuilder pb = new ProcessBuilder(command);
      Map<String, String> env = pb.environment();
      env.keySet()
          .removeIf(
              k ->
                  k.startsWith("AWS_")
                      || k.startsWith("WIF4J_")
                      || k.startsWith("GOOGLE_")
                      || k.startsWith("GCE_")
                      || k.startsWith("CLOUDSDK_")
                      || k.startsWith("JAVA_TOOL_OPTIONS")
                      || k.startsWith("IDENTITY_")
                      || k.startsWith("MSI_"));
      env.put("NO_GCE_CHECK", "true"); // neither library probes for GCE where it does not apply
      env.put("WIF4J_ALLOWED_ENDPOINT_HOSTS", "127.0.0.1"); // the fake cloud listens on loopback
      if (!lib.equals("stock")) {
        // -Dcoldstart.env=K=V,K2=V2: extra variables for wif4j's runs (e.g. WIF4J_PARALLEL_START)
        String extra = lib.equals("variant") ? EXTRA_ENV + "," + VARIANT : EXTRA_ENV;
        putVariables(env, extra);
      }
      switch (path) {
        case "ec2":
          if (lib.equals("stock")) {
            env.put("GOOGLE_APPLICATION_CREDENTIALS", ec2File.toString());
          } else {
            env.put("WIF4J_AUDIENCE", audience);
            env.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
            env.put("WIF4J_IMPERSONATION_URL", cloud.impersonationUrl(SA));
          }
          env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString());
          break;
        case "lambda":
          if (lib.equals("stock")) {
            env.put("GOOGLE_APPLICATION_CREDENTIALS", lambdaFile.toString());
          } else {
            env.put("WIF4J_AUDIENCE", audience);
            env.put("WIF4J_TOKEN_URL", cloud.stsTokenUrl());
          }
          env.put("AWS_LAMBDA_FUNCTION_NAME", "fn");
          env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java17");
          env.put("AWS_REGION", "us-east-1");
          env.put("AWS_DEFAULT_REGION", "us-east-1");
          env.put("AWS_ACCESS_KEY_ID", "ASIALAMBDACOLD000001");
          env.put("AWS_SECRET_ACCESS_KEY", "lambda-secret");
          env.put("AWS_SESSION_TOKEN", "IQoJlambda-cold");
          break;
        case "gcp2aws":
          env.put("GCE_METADATA_HOST", cloud.gceMetadata().hostAndPort());
          env.put("AWS_REGION", "us-east-1");
          break;
        default:
          break;
      }
      pb.redirectErrorStream(true);
      long t0 = System.nanoTime();
      pb.command().add(Long.toString(t0));
      if (path.equals("gcp2aws")) {
        pb.command().add(awsSts.endpoint().toString());
      }
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int exit = p.waitFor();
      long total = (System.nanoTime() - t0) / 1_000_000;
      int at = out.indexOf("TOKEN_OK ");
      if (exit != 0 || at < 0) {
        throw new IllegalStateException(lib + " " + path + " failed (exit " + exit + "): " + out);
      }
      String[] f = out.substring(at).trim().split("\\s+");
      return new long[] {
        total,
        Long.parseLong(f[1]),
        Long.parseLong(f[2]),
        Long.parseLong(f[3]),
        Long.parseLong(f[4])
      };
    }

    @Override
    public void close() throws IOException {
      awsSts.close();
      imds.close();
      cloud.close();
      try (var files = Files.list(dir)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }
}

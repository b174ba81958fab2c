package io.github.wif4j.benchmarks;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import io.github.wif4j.gcp2aws.IdTokenSource;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeGceMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Wall time of the installed {@code wif4j aws-credential-process}, whole process as the AWS CLI
 * sees it (launcher + JVM + answer), cold (empty cache: metadata ID token + AWS STS against the
 * fakes) and warm (a cache hit), with and without the class-data sharing archive, next to a bare
 * {@code java -version} and the STS round trip itself measured in a warm JVM. Run: {@code java -cp
 * benchmarks/target/benchmarks.jar io.github.wif4j.benchmarks.HelperStart PATH/bin/wif4j [runs]}
 * (benchmarks/run.sh installs the distribution and makes its archive first).
 */
public final class HelperStart {
  private static final String ROLE = "arn:aws:iam::123456789012:role/bench";

  private HelperStart() {}

  /** {@code bin/wif4j [runs]}. */
  public static void main(String[] args) throws Exception {
    Path wif4j = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 9;
    String java =
        Path.of(Environment.system().property("java.home").orElseThrow(), "bin", "java").toString();
    Path scratch = Files.createTempDirectory("wif4j-helper-start");
    // AWS STS over https as the real one, so a cold call pays TLS's start-up as it does in
    // production; the helper trusts the fake's certificate beside the JDK's own CAs
    Path trustStore = scratch.resolve("cacerts-and-fake-cloud.p12");
    ColdStart.World.writeTrustStore(trustStore);
    String trustOptions =
        "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStoreType=PKCS12";
    System.setProperty("javax.net.ssl.trustStore", trustStore.toString());
    System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    try (FakeGceMetadata gce = new FakeGceMetadata().start();
        FakeAwsSts aws = new FakeAwsSts(true).start()) {
      aws.trustIssuer(gce.googleIssuer())
          .allowRole(ROLE, Map.of("accounts.google.com:sub", gce.serviceAccountUniqueId()));
      List<String> helper =
          List.of(
              wif4j.toString(),
              "aws-credential-process",
              "--role-arn",
              ROLE,
              "--region",
              "us-east-1",
              "--sts-endpoint",
              aws.endpoint().toString());
      Map<String, String> env = new HashMap<>();
      env.put("GCE_METADATA_HOST", gce.hostAndPort());
      env.put("JAVA_HOME", Path.of(java).getParent().getParent().toString());
      env.put("WIF4J_JAVA_OPTS", trustOptions);
      // -Dhelperstart.env=K=V,...: extra variables for every wif4j call (e.g. WIF4J_PARALLEL_START)
      ColdStart.putVariables(env, Environment.system().property("helperstart.env").orElse(""));
      Map<String, String> noCds = new HashMap<>(env);
      noCds.put("WIF4J_NO_CDS", "1");

      Map<String, List<Long>> times = new LinkedHashMap<>();
      String bare = "`java -version` (bare JVM start)";
      String version = "`wif4j --version` (launcher + JVM + CLI, no work)";
      String cold = "`aws-credential-process`, cold (empty cache: ID token + STS)";
      String warm = "`aws-credential-process`, warm (cache hit)";
      String coldNoCds = "cold, without the CDS archive";
      String warmNoCds = "warm, without the CDS archive";
      Map<String, String> warmCache = new HashMap<>(env);
      warmCache.put("WIF4J_CACHE_DIR", scratch.resolve("warm").toString());
      Map<String, String> warmCacheNoCds = new HashMap<>(noCds);
      warmCacheNoCds.put("WIF4J_CACHE_DIR", scratch.resolve("warm-nocds").toString());
      run(helper, warmCache); // fill the warm caches
      run(helper, warmCacheNoCds);
      for (int i = 0; i < runs; i++) { // interleaved, so drift in machine load hits all alike
        time(times, bare, List.of(java, "-version"), env); // (java ignores WIF4J_JAVA_OPTS)
        time(times, version, List.of(wif4j.toString(), "--version"), env);
        Map<String, String> fresh = new HashMap<>(env);
        fresh.put("WIF4J_CACHE_DIR", scratch.resolve("cold-" + i).toString());
        time(times, cold, helper, fresh);
        time(times, warm, helper, warmCache);
        Map<String, String> freshNoCds = new HashMap<>(noCds);
        freshNoCds.put("WIF4J_CACHE_DIR", scratch.resolve("cold-nocds-" + i).toString());
        time(times, coldNoCds, helper, freshNoCds);
        time(times, warmNoCds, helper, warmCacheNoCds);
      }
      int exchanges = aws.actionCount("AssumeRoleWithWebIdentity");

      // the round trip a cold call adds, without the JVM start: warm JVM, fresh provider each time
      List<Long> rtt = new ArrayList<>();
      Environment gceEnv = Environment.of(Map.of("GCE_METADATA_HOST", gce.hostAndPort()));
      for (int i = 0; i < runs + 5; i++) {
        long t0 = System.nanoTime();
        try (GoogleToAwsCredentialsProvider p =
            GoogleToAwsCredentialsProvider.builder()
                .roleArn(ROLE)
                .stsRegion("us-east-1")
                .stsEndpoint(aws.endpoint())
                .environment(gceEnv)
                .idTokenSource(IdTokenSource.detect(gceEnv, TransportPolicy.defaults()))
                .build()) {
          p.resolveCredentials();
        }
        if (i >= 5) {
          rtt.add((System.nanoTime() - t0) / 1_000_000);
        }
      }

      System.out.println(
          "\n### Credential helper start, whole process, "
              + runs
              + " runs each ("
              + exchanges
              + " STS exchanges in all)\n");
      System.out.println("| Call | wall, median | min - max | CPU (user+sys), median |");
      System.out.println("|---|---:|---|---:|");
      times.forEach((name, ms) -> row(name, ms, CPU.get(name)));
      row("STS round trip alone (ID token + AssumeRoleWithWebIdentity, warm JVM)", rtt, null);
    } finally {
      try (var files = Files.walk(scratch)) {
        files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.exit(0);
  }

  private static void row(String name, List<Long> ms, List<Long> cpu) {
    List<Long> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    String cpuMedian = "";
    if (cpu != null) {
      List<Long> c = new ArrayList<>(cpu);
      Collections.sort(c);
      cpuMedian = c.get(c.size() / 2) + " ms";
    }
    System.out.println(
        String.format(
            Locale.ROOT,
            "| %s | %d ms | %d - %d ms | %s |",
            name,
            sorted.get(sorted.size() / 2),
            sorted.get(0),
            sorted.get(sorted.size() - 1),
            cpuMedian));
  }

  private static void time(
      Map<String, List<Long>> times, String name, List<String> command, Map<String, String> env)
      throws Exception {
    long cpu0 = childrenCpuMillis();
    long t0 = System.nanoTime();
    run(command, env);
    times.computeIfAbsent(name, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1_000_000);
    CPU.computeIfAbsent(name, k -> new ArrayList<>()).add(childrenCpuMillis() - cpu0);
  }

  private static final Map<String, List<Long>> CPU = new LinkedHashMap<>();

  /**
   * User + system CPU time of this JVM's finished children (Linux {@code /proc/self/stat} cutime +
   * cstime, 10 ms ticks), or -1: on a shared, loaded machine the CPU a start costs is steadier than
   * its wall time.
   */
  private static long childrenCpuMillis() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10;
    } catch (Exception e) {
      return -1;
    }
  }

  private static void run(List<String> command, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment()
        .keySet()
        .removeIf(
            k ->
                k.startsWith("AWS_")
                    || k.startsWith("GOOGLE_")
                    || k.startsWith("WIF4J_")
                    || k.endsWith("JAVA_OPTIONS")
                    || k.equals("JAVA_TOOL_OPTIONS"));
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(command + " failed: " + out);
    }
  }
}

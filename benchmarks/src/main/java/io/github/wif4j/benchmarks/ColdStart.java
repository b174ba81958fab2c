package io.github.wif4j.benchmarks;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.TestTls;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Time to first token in a fresh JVM, whole process (JVM start to exit), wif4j against stock
 * google-auth, for the EC2 path (IMDSv2) and the Lambda path (environment credentials). The parent
 * runs the fakes and starts {@code RUNS} child JVMs per cell. Run: {@code java -cp
 * benchmarks/target/benchmarks.jar io.github.wif4j.benchmarks.ColdStart [runs]}.
 */
public final class ColdStart {
  private ColdStart() {}

  /** Parent: {@code [runs]}; child: {@code child LIB PATH STS_URL AUDIENCE IMDS_URL}. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("child")) {
      child(args[1], args[2], args[3], args[4], args[5]);
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    try (FakeCloud cloud = FakeCloud.start();
        FakeEc2Metadata imds = new FakeEc2Metadata().start()) {
      imds.trustedBy(cloud.sts());
      cloud
          .sts()
          .registerAwsCredentials(
              "ASIALAMBDACOLD000001",
              "lambda-secret",
              "arn:aws:sts::123456789012:assumed-role/fn/fn");
      String audience = cloud.audience("aws-pool", "aws-provider");
      System.out.println(
          "\n### Time to first token, fresh JVM (whole process), " + runs + " runs each\n");
      System.out.println("| Path | Library | median | min - max |");
      System.out.println("|---|---|---:|---|");
      List<String> libs = List.of("google-auth", "wif4j");
      for (String path : List.of("ec2", "lambda")) {
        Map<String, List<Long>> times = new java.util.LinkedHashMap<>();
        for (int i = 0; i < runs; i++) {
          for (String lib : libs) { // interleaved, so drift in machine load hits both alike
            times
                .computeIfAbsent(lib, k -> new ArrayList<>())
                .add(run(lib, path, cloud.stsTokenUrl(), audience, imds.baseUri().toString()));
          }
        }
        for (String lib : libs) {
          List<Long> ms = times.get(lib);
          Collections.sort(ms);
          System.out.println(
              String.format(
                  Locale.ROOT,
                  "| %s | %s | %d ms | %d - %d ms |",
                  path,
                  lib,
                  ms.get(ms.size() / 2),
                  ms.get(0),
                  ms.get(ms.size() - 1)));
        }
      }
    }
    System.exit(0);
  }

  private static long run(String lib, String path, String sts, String audience, String imds)
      throws Exception {
    io.github.wif4j.core.Environment jvm = io.github.wif4j.core.Environment.system();
    String java = Path.of(jvm.property("java.home").orElseThrow(), "bin", "java").toString();
    List<String> command = new ArrayList<>();
    command.add(java);
    // e.g. -Dcoldstart.jvmArgs=-Xlog:class+load:file=/tmp/classes-%p.log to see what loads
    jvm.property("coldstart.jvmArgs").ifPresent(a -> command.addAll(List.of(a.split(" "))));
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            jvm.property("java.class.path").orElseThrow(),
            ColdStart.class.getName(),
            "child",
            lib,
            path,
            sts,
            audience,
            imds);
    command.addAll(pb.command().subList(1, pb.command().size()));
    pb.command(command);
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("WIF4J_"));
    if (path.equals("lambda")) {
      env.put("AWS_LAMBDA_FUNCTION_NAME", "fn");
      env.put("AWS_REGION", "us-east-1");
      env.put("AWS_ACCESS_KEY_ID", "ASIALAMBDACOLD000001");
      env.put("AWS_SECRET_ACCESS_KEY", "lambda-secret");
      env.put("AWS_SESSION_TOKEN", "IQoJlambda-cold");
    } else {
      env.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds);
    }
    pb.redirectErrorStream(true);
    long t0 = System.nanoTime();
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 || !out.contains("TOKEN_OK")) {
      throw new IllegalStateException(lib + " " + path + " failed: " + out);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void child(String lib, String path, String sts, String audience, String imds)
      throws Exception {
    GoogleCredentials c;
    if (lib.equals("wif4j")) {
      c =
          FederatedCredentials.builder()
              .settings(FederationSettings.builder().audience(audience).tokenUrl(sts).build())
              .source(AwsSource.builder().transportPolicy(tls()).build())
              .transportPolicy(tls())
              .backgroundRefresh(false)
              .build();
    } else {
      String json =
          "{\"type\":\"external_account\",\"audience\":\""
              + audience
              + "\",\"subject_token_type\":\"urn:ietf:params:aws:token-type:aws4_request\","
              + "\"token_url\":\""
              + sts
              + "\",\"credential_source\":{\"environment_id\":\"aws1\",\"region_url\":\""
              + imds
              + "/latest/meta-data/placement/availability-zone\",\"url\":\""
              + imds
              + "/latest/meta-data/iam/security-credentials\",\"regional_cred_verification_url\":"
              + "\"https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\","
              + "\"imdsv2_session_token_url\":\""
              + imds
              + "/latest/api/token\"}}";
      HttpTransportFactory f =
          () ->
              new NetHttpTransport.Builder()
                  .setSslSocketFactory(TestTls.clientContext().getSocketFactory())
                  .build();
      c =
          ExternalAccountCredentials.fromStream(
              new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), f);
    }
    c.getRequestMetadata(URI.create("https://aiplatform.googleapis.com/"));
    System.out.println("TOKEN_OK " + path);
    System.exit(0);
  }

  private static TransportPolicy tls() {
    return TransportPolicy.builder().sslContext(TestTls.clientContext()).build();
  }
}

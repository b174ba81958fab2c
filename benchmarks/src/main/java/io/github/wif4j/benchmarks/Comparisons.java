package io.github.wif4j.benchmarks;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeServer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.RecordedRequest;
import io.github.wif4j.testing.TestTls;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Side-by-side measurements of wif4j and stock google-auth on the same local fakes (EC2 IMDSv2,
 * Google STS, IAM Credentials), printed as Markdown tables: requests per acquisition, the fault
 * matrix, and a 64-caller stampede. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.wif4j.benchmarks.Comparisons [requests] [faults] [stampede]}.
 */
public final class Comparisons {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  static final URI API = URI.create("https://aiplatform.googleapis.com/");

  private Comparisons() {}

  /** Runs the sections named in {@code args} (all by default). */
  public static void main(String[] args) throws Exception {
    List<String> sections =
        args.length == 0 ? List.of("requests", "faults", "stampede") : List.of(args);
    if (sections.contains("requests")) {
      requests();
    }
    if (sections.contains("faults")) {
      faults();
    }
    if (sections.contains("stampede")) {
      stampede();
    }
    System.exit(0);
  }

  // ---- the two libraries, configured the same way ---------------------------------------------

  /** One fake world: Google side plus an EC2 metadata service. */
  static final class World implements AutoCloseable {
    final FakeCloud cloud = FakeCloud.start();
    final FakeEc2Metadata imds = new FakeEc2Metadata(FakeEc2Metadata.Mode.V2_REQUIRED).start();
    final String audience = cloud.audience("aws-pool", "aws-provider");

    World() {
      imds.trustedBy(cloud.sts());
      cloud.iam().allowImpersonation(SA);
    }

    /** Stock google-auth AwsCredentials from a gcloud-style file (with IMDSv2). */
    GoogleCredentials stock() throws Exception {
      String base = imds.baseUri().toString();
      String json =
          "{\"type\":\"external_account\",\"audience\":\""
              + audience
              + "\",\"subject_token_type\":\"urn:ietf:params:aws:token-type:aws4_request\","
              + "\"token_url\":\""
              + cloud.stsTokenUrl()
              + "\",\"service_account_impersonation_url\":\""
              + cloud.impersonationUrl(SA)
              + "\",\"credential_source\":{\"environment_id\":\"aws1\","
              + "\"region_url\":\""
              + base
              + "/latest/meta-data/placement/availability-zone\",\"url\":\""
              + base
              + "/latest/meta-data/iam/security-credentials\","
              + "\"regional_cred_verification_url\":"
              + "\"https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\","
              + "\"imdsv2_session_token_url\":\""
              + base
              + "/latest/api/token\"}}";
      HttpTransportFactory tls =
          () ->
              new NetHttpTransport.Builder()
                  .setSslSocketFactory(TestTls.clientContext().getSocketFactory())
                  .build();
      return ExternalAccountCredentials.fromStream(
          new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), tls);
    }

    /** wif4j with the AWS source reading the same metadata service. */
    FederatedCredentials wif4j(TransportPolicy policy) {
      AwsSource aws =
          AwsSource.builder()
              .environment(
                  Environment.of(
                      Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString())))
              .transportPolicy(policy)
              .build();
      return FederatedCredentials.builder()
          .settings(
              FederationSettings.builder()
                  .audience(audience)
                  .tokenUrl(cloud.stsTokenUrl())
                  .serviceAccountImpersonationUrl(cloud.impersonationUrl(SA))
                  .build())
          .source(aws)
          .transportPolicy(policy)
          .build();
    }

    void clear() {
      imds.clearRecorded();
      imds.clearFaults();
      cloud.sts().clearRecorded();
      cloud.sts().clearFaults();
      cloud.iam().clearRecorded();
      cloud.iam().clearFaults();
    }

    String counts() {
      int put = 0;
      int get = 0;
      for (RecordedRequest r : imds.requests()) {
        if (r.method().equals("PUT")) {
          put++;
        } else {
          get++;
        }
      }
      return String.format(
          Locale.ROOT,
          "%d | %d | %d | %d | **%d**",
          put,
          get,
          cloud.sts().requestCount(),
          cloud.iam().requestCount(),
          put + get + cloud.sts().requestCount() + cloud.iam().requestCount());
    }

    @Override
    public void close() {
      imds.close();
      cloud.close();
    }
  }

  static TransportPolicy policy() {
    return TransportPolicy.builder().sslContext(TestTls.clientContext()).build();
  }

  // ---- requests per acquisition ---------------------------------------------------------------

  static void requests() throws Exception {
    System.out.println("\n### Requests per acquisition (EC2 IMDSv2, impersonation)\n");
    System.out.println("| Library | Acquisition | IMDS PUT | IMDS GET | STS | IAM | Total |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|");
    try (World w = new World()) {
      GoogleCredentials stock = w.stock();
      stock.refresh();
      System.out.println("| google-auth 1.52 (gcloud AWS file) | first | " + w.counts() + " |");
      w.clear();
      stock.refresh();
      System.out.println("| google-auth 1.52 (gcloud AWS file) | refresh | " + w.counts() + " |");
      w.clear();
      try (FederatedCredentials wif4j = w.wif4j(policy())) {
        wif4j.getRequestMetadata(API);
        System.out.println("| wif4j (AwsSource) | first | " + w.counts() + " |");
        w.clear();
        wif4j.refresh();
        System.out.println("| wif4j (AwsSource) | refresh | " + w.counts() + " |");
      }
    }
    System.out.println(
        "\n\"refresh\" is a forced refresh right after the first acquisition. In both libraries the"
            + " impersonation step re-uses the federated (STS) token while it is valid; wif4j"
            + " also re-uses the AWS credentials (valid for hours) and the region.");
  }

  // ---- fault matrix -----------------------------------------------------------------------------

  static void faults() throws Exception {
    System.out.println("\n### Fault matrix: one fault, then normal service\n");
    System.out.println("| Endpoint | Fault | google-auth | wif4j |");
    System.out.println("|---|---|---|---|");
    String[][] endpoints = {
      {"Google STS", "sts", "/v1/token"},
      {"IAM Credentials", "iam", "/v1/projects"},
      {"EC2 IMDS credentials", "imds", "/latest/meta-data/iam/security-credentials"},
      {"EC2 IMDS token", "imds", "/latest/api/token"}
    };
    Object[][] faults = {
      {"500", (Supplier<Fault>) () -> Fault.status(500)},
      {
        "503 (HTML body)",
        (Supplier<Fault>) () -> Fault.status(503, "text/html", "<html>Service Unavailable</html>")
      },
      {
        "429",
        (Supplier<Fault>)
            () ->
                Fault.status(
                    429,
                    "application/json",
                    "{\"error\":{\"code\":429,\"message\":\"Quota exceeded\",\"status\":\"RESOURCE_EXHAUSTED\"}}")
      },
      {"connection reset", (Supplier<Fault>) Fault::reset},
      {"malformed body", (Supplier<Fault>) Fault::malformedBody},
      {"hang", (Supplier<Fault>) Fault::hang}
    };
    for (String[] e : endpoints) {
      for (Object[] f : faults) {
        @SuppressWarnings("unchecked")
        Supplier<Fault> fault = (Supplier<Fault>) f[1];
        String stock = trial(e, fault, true);
        String ours = trial(e, fault, false);
        System.out.println("| " + e[0] + " | " + f[0] + " | " + stock + " | " + ours + " |");
      }
    }
    System.out.println(
        "\nEach cell: whether the caller got a token, and how long the call took (fresh credentials"
            + " per cell; wif4j default TransportPolicy: connect 2 s, read 5 s, deadline 10 s,"
            + " 4 attempts). A call still blocked after 60 s is reported as such.");
  }

  private static String trial(String[] endpoint, Supplier<Fault> fault, boolean stock)
      throws Exception {
    try (World w = new World()) {
      FakeServer target =
          endpoint[1].equals("sts")
              ? w.cloud.sts()
              : endpoint[1].equals("iam") ? w.cloud.iam() : w.imds;
      target.enqueueFault(fault.get().onPath(endpoint[2]).times(1));
      ExecutorService ex = Executors.newSingleThreadExecutor(daemon());
      long start = System.nanoTime();
      Future<?> call;
      FederatedCredentials ours = stock ? null : w.wif4j(policy());
      if (stock) {
        GoogleCredentials c = w.stock();
        call =
            ex.submit(
                () -> {
                  c.refresh();
                  return null;
                });
      } else {
        call = ex.submit(() -> ours.getRequestMetadata(API));
      }
      String result;
      try {
        call.get(60, TimeUnit.SECONDS);
        result = "ok";
      } catch (TimeoutException t) {
        call.cancel(true);
        return "still blocked after 60 s";
      } catch (java.util.concurrent.ExecutionException x) {
        Throwable cause = x.getCause();
        result = "**fails**: " + cause.getClass().getSimpleName();
      } finally {
        ex.shutdownNow();
        if (ours != null) {
          ours.close();
        }
      }
      return String.format(Locale.ROOT, "%s, %.1f s", result, (System.nanoTime() - start) / 1e9);
    }
  }

  // ---- stampede --------------------------------------------------------------------------------

  static void stampede() throws Exception {
    System.out.println("\n### Stampede: 64 threads on a cold credential, slow STS\n");
    System.out.println(
        "| STS latency | Library | STS exchanges | IAM calls | callers failed | caller latency median / max |");
    System.out.println("|---:|---|---:|---:|---:|---|");
    for (int seconds : new int[] {0, 1, 6}) {
      for (boolean stock : new boolean[] {true, false}) {
        try (World w = new World()) {
          if (seconds > 0) {
            w.cloud
                .sts()
                .enqueueFault(
                    Fault.delay(Duration.ofSeconds(seconds)).onPath("/v1/token").times(100));
          }
          GoogleCredentials c =
              stock
                  ? w.stock()
                  : w.wif4j(
                      policy().toBuilder()
                          .deadline(Duration.ofSeconds(20))
                          .readTimeout(Duration.ofSeconds(10))
                          .build());
          int threads = 64;
          CountDownLatch go = new CountDownLatch(1);
          ExecutorService ex = Executors.newFixedThreadPool(threads, daemon());
          List<Future<Long>> calls = new ArrayList<>();
          for (int i = 0; i < threads; i++) {
            calls.add(
                ex.submit(
                    () -> {
                      go.await();
                      long t0 = System.nanoTime();
                      c.getRequestMetadata(API);
                      return System.nanoTime() - t0;
                    }));
          }
          go.countDown();
          List<Long> latencies = new ArrayList<>();
          int failed = 0;
          for (Future<Long> f : calls) {
            try {
              latencies.add(f.get(90, TimeUnit.SECONDS));
            } catch (Exception e) {
              failed++;
            }
          }
          ex.shutdownNow();
          Collections.sort(latencies);
          String lat =
              latencies.isEmpty()
                  ? "-"
                  : String.format(
                      Locale.ROOT,
                      "%.2f s / %.2f s",
                      latencies.get(latencies.size() / 2) / 1e9,
                      latencies.get(latencies.size() - 1) / 1e9);
          System.out.println(
              "| "
                  + seconds
                  + " s | "
                  + (stock ? "google-auth" : "wif4j")
                  + " | "
                  + w.cloud.sts().requestCount()
                  + " | "
                  + w.cloud.iam().requestCount()
                  + " | "
                  + failed
                  + " | "
                  + lat
                  + " |");
          if (c instanceof FederatedCredentials) {
            ((FederatedCredentials) c).close();
          }
        }
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    };
  }
}

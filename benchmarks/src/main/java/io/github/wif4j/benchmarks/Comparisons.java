package io.github.wif4j.benchmarks;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.config.ExternalAccountConfig;
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
import java.util.concurrent.Callable;
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

  /** Repetitions per cell for the timed tables ({@code runs=N} argument). */
  static int runs = 1;

  private Comparisons() {}

  /** Runs {@code trial} {@link #runs} times: "outcome, median s (min-max)". */
  static String repeat(Callable<String[]> trial) throws Exception {
    List<Double> seconds = new ArrayList<>();
    java.util.Map<String, Integer> outcomes = new java.util.LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      String[] r = trial.call(); // {outcome, seconds}
      outcomes.merge(r[0], 1, Integer::sum);
      seconds.add(Double.parseDouble(r[1]));
    }
    Collections.sort(seconds);
    String outcome =
        outcomes.size() == 1
            ? outcomes.keySet().iterator().next()
            : outcomes.toString().replace("{", "").replace("}", "");
    if (runs == 1) {
      return String.format(Locale.ROOT, "%s, %.1f s", outcome, seconds.get(0));
    }
    return String.format(
        Locale.ROOT,
        "%s, %.1f s (%.1f-%.1f)",
        outcome,
        seconds.get(seconds.size() / 2),
        seconds.get(0),
        seconds.get(seconds.size() - 1));
  }

  /** Runs the sections named in {@code args} (all by default). */
  public static void main(String[] args) throws Exception {
    List<String> sections = new ArrayList<>();
    for (String a : args) {
      if (a.startsWith("runs=")) {
        runs = Integer.parseInt(a.substring(5));
      } else {
        sections.add(a);
      }
    }
    if (sections.isEmpty()) {
      sections = List.of("requests", "faults", "stampede", "aws-stampede", "expiry");
    }
    if (sections.contains("requests")) {
      requests();
    }
    if (sections.contains("faults")) {
      faults();
    }
    if (sections.contains("stampede")) {
      stampede();
    }
    if (sections.contains("aws-stampede")) {
      awsStampede();
    }
    if (sections.contains("expiry")) {
      expiry();
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

    /** The external_account file gcloud writes for AWS with --enable-imdsv2, on the fake IMDS. */
    String gcloudAwsFile() {
      String base = imds.baseUri().toString();
      return "{\"type\":\"external_account\",\"audience\":\""
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
    }

    /** Stock google-auth AwsCredentials from a gcloud-style file (with IMDSv2). */
    GoogleCredentials stock() throws Exception {
      String json = gcloudAwsFile();
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
          .allowEndpointHost("127.0.0.1") // the fakes listen on loopback
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

    /** wif4j given the same gcloud file: its AWS source serves the file's credential_source. */
    FederatedCredentials wif4jFromFile(TransportPolicy policy) {
      return FederatedCredentials.builder()
          .allowEndpointHost("127.0.0.1") // the fakes listen on loopback
          .config(ExternalAccountConfig.fromJson(gcloudAwsFile()))
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
      w.clear();
      try (FederatedCredentials wif4j = w.wif4jFromFile(policy())) {
        wif4j.getRequestMetadata(API);
        System.out.println("| wif4j (same gcloud AWS file) | first | " + w.counts() + " |");
        w.clear();
        wif4j.refresh();
        System.out.println("| wif4j (same gcloud AWS file) | refresh | " + w.counts() + " |");
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
        String stock = repeat(() -> trial(e, fault, true));
        String ours = repeat(() -> trial(e, fault, false));
        System.out.println("| " + e[0] + " | " + f[0] + " | " + stock + " | " + ours + " |");
      }
    }
    System.out.println(
        "\nEach cell: whether the caller got a token, and how long the call took (median and min-max"
            + " over runs=N repetitions when N > 1; fresh credentials"
            + " per cell; wif4j default TransportPolicy: connect 2 s, read 10 s, deadline 20 s,"
            + " 4 attempts). A call still blocked after 60 s is reported as such.");
  }

  private static String[] trial(String[] endpoint, Supplier<Fault> fault, boolean stock)
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
        return new String[] {"still blocked", "60"};
      } catch (java.util.concurrent.ExecutionException x) {
        Throwable cause = x.getCause();
        result = "**fails**: " + cause.getClass().getSimpleName();
      } finally {
        ex.shutdownNow();
        if (ours != null) {
          ours.close();
        }
      }
      return new String[] {
        result, String.format(Locale.ROOT, "%.3f", (System.nanoTime() - start) / 1e9)
      };
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
                  : w.wif4j(policy()); // the defaults (only the fakes' TLS context added)
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

  // ---- AWS side stampede ------------------------------------------------------------------------

  /** 64 threads on a cold AWS web-identity provider, AWS STS answering in 6 s. */
  static void awsStampede() throws Exception {
    System.out.println("\n### Stampede, Google -> AWS: 64 threads, AWS STS answering in 6 s\n");
    System.out.println(
        "| Provider | AssumeRoleWithWebIdentity calls | callers failed | caller latency median / max |");
    System.out.println("|---|---:|---:|---|");
    String role = "arn:aws:iam::123456789012:role/from-google";
    for (boolean sdk : new boolean[] {true, false}) {
      try (FakeCloud cloud = FakeCloud.start();
          io.github.wif4j.testing.FakeAwsSts aws =
              new io.github.wif4j.testing.FakeAwsSts().start()) {
        aws.trustIssuer(cloud.gceMetadata().googleIssuer()).allowRole(role, Map.of());
        aws.enqueueFault(Fault.delay(Duration.ofSeconds(6)).times(1000));
        software.amazon.awssdk.auth.credentials.AwsCredentialsProvider provider;
        Environment env =
            Environment.of(Map.of("GCE_METADATA_HOST", cloud.gceMetadata().hostAndPort()));
        io.github.wif4j.gcp2aws.IdTokenSource ids =
            io.github.wif4j.gcp2aws.IdTokenSource.metadataServer(env, policy());
        software.amazon.awssdk.services.sts.StsClient sts = null;
        if (sdk) {
          sts =
              software.amazon.awssdk.services.sts.StsClient.builder()
                  .region(software.amazon.awssdk.regions.Region.US_EAST_1)
                  .endpointOverride(aws.endpoint())
                  .credentialsProvider(
                      software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
                  .httpClient(
                      software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                  .build();
          provider =
              software.amazon.awssdk.services.sts.auth
                  .StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                  .stsClient(sts)
                  .refreshRequest(
                      () -> {
                        try {
                          return software.amazon.awssdk.services.sts.model
                              .AssumeRoleWithWebIdentityRequest.builder()
                              .roleArn(role)
                              .roleSessionName("bench")
                              .webIdentityToken(ids.fetch(role))
                              .build();
                        } catch (java.io.IOException e) {
                          throw new java.io.UncheckedIOException(e);
                        }
                      })
                  .build();
        } else {
          provider =
              io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider.builder()
                  .roleArn(role)
                  .idTokenSource(ids)
                  .stsEndpoint(aws.endpoint())
                  .stsRegion("us-east-1")
                  .environment(env)
                  .transportPolicy(policy()) // the defaults (only the fakes' TLS context added)
                  .build();
        }
        int threads = 64;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService ex = Executors.newFixedThreadPool(threads, daemon());
        List<Future<Long>> calls = new ArrayList<>();
        software.amazon.awssdk.auth.credentials.AwsCredentialsProvider p = provider;
        for (int i = 0; i < threads; i++) {
          calls.add(
              ex.submit(
                  () -> {
                    go.await();
                    long t0 = System.nanoTime();
                    p.resolveCredentials();
                    return System.nanoTime() - t0;
                  }));
        }
        go.countDown();
        List<Long> latencies = new ArrayList<>();
        int failed = 0;
        for (Future<Long> f : calls) {
          try {
            latencies.add(f.get(120, TimeUnit.SECONDS));
          } catch (Exception e) {
            failed++;
          }
        }
        ex.shutdownNow();
        Collections.sort(latencies);
        System.out.println(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %s |",
                sdk
                    ? "AWS SDK StsAssumeRoleWithWebIdentityCredentialsProvider"
                    : "wif4j GoogleToAwsCredentialsProvider",
                aws.actionCount("AssumeRoleWithWebIdentity"),
                failed,
                latencies.isEmpty()
                    ? "-"
                    : String.format(
                        Locale.ROOT,
                        "%.1f s / %.1f s",
                        latencies.get(latencies.size() / 2) / 1e9,
                        latencies.get(latencies.size() - 1) / 1e9)));
        if (sts != null) {
          sts.close();
        }
        if (provider instanceof AutoCloseable) {
          ((AutoCloseable) provider).close();
        }
      }
    }
  }

  // ---- around expiry ---------------------------------------------------------------------------

  /**
   * One caller calling every 10 ms across a refresh while STS takes 1 s. Token lifetimes differ so
   * each library's own refresh point falls inside the window: google-auth refreshes when less than
   * 3 min 45 s are left, so its token lives 4 min (refresh due after 15 s); wif4j refreshes at
   * 75-80% of the lifetime, so its token lives 20 s (refresh due after 15-16 s, stale margin 2 s).
   */
  static void expiry() throws Exception {
    System.out.println(
        "\n### Around expiry: one caller every 10 ms for 25 s, STS answering in 1 s\n");
    System.out.println(
        "| Library | calls | calls slower than 50 ms | slowest call | STS exchanges |");
    System.out.println("|---|---:|---:|---:|---:|");
    for (boolean stock : new boolean[] {true, false}) {
      try (FakeCloud cloud = FakeCloud.start()) {
        io.github.wif4j.testing.FakeJwtIssuer issuer =
            io.github.wif4j.testing.FakeJwtIssuer.create("https://issuer.example.test");
        String audience = cloud.audience("pool", "oidc");
        cloud.sts().trustIssuer(issuer, audience);
        cloud.sts().setTokenLifetime(stock ? Duration.ofMinutes(4) : Duration.ofSeconds(20));
        java.nio.file.Path token = java.nio.file.Files.createTempFile("wif4j-bench", ".jwt");
        java.nio.file.Files.writeString(
            token, issuer.issue("workload", audience, Duration.ofHours(2), Map.of()));
        String json =
            "{\"type\":\"external_account\",\"audience\":\""
                + audience
                + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\",\"token_url\":\""
                + cloud.stsTokenUrl()
                + "\",\"credential_source\":{\"file\":\""
                + token
                + "\"}}";
        GoogleCredentials c;
        if (stock) {
          HttpTransportFactory tls =
              () ->
                  new NetHttpTransport.Builder()
                      .setSslSocketFactory(TestTls.clientContext().getSocketFactory())
                      .build();
          c =
              ExternalAccountCredentials.fromStream(
                  new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), tls);
        } else {
          c =
              FederatedCredentials.builder()
                  .allowEndpointHost("127.0.0.1") // the fakes listen on loopback
                  .config(io.github.wif4j.core.config.ExternalAccountConfig.fromJson(json))
                  .transportPolicy(policy())
                  .staleMargin(Duration.ofSeconds(2))
                  .build();
        }
        c.getRequestMetadata(API); // first token, not counted
        cloud.sts().enqueueFault(Fault.delay(Duration.ofSeconds(1)).onPath("/v1/token").times(100));
        int calls = 0;
        int slow = 0;
        long slowest = 0;
        long end = System.nanoTime() + Duration.ofSeconds(25).toNanos();
        while (System.nanoTime() < end) {
          long t0 = System.nanoTime();
          c.getRequestMetadata(API);
          long took = System.nanoTime() - t0;
          calls++;
          slowest = Math.max(slowest, took);
          if (took > 50_000_000L) {
            slow++;
          }
          Thread.sleep(10);
        }
        System.out.println(
            String.format(
                Locale.ROOT,
                "| %s | %d | %d | %.0f ms | %d |",
                stock ? "google-auth (4 min token)" : "wif4j (20 s token)",
                calls,
                slow,
                slowest / 1e6,
                cloud.sts().requestCount() - 1));
        if (c instanceof FederatedCredentials) {
          ((FederatedCredentials) c).close();
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

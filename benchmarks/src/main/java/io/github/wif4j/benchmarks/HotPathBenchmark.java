package io.github.wif4j.benchmarks;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.auth.http.HttpTransportFactory;
import com.google.auth.oauth2.ExternalAccountCredentials;
import com.google.auth.oauth2.GoogleCredentials;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.TestTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of {@code getRequestMetadata(URI)} on a valid cached token: what every Google Cloud
 * client call pays for its Authorization header. Compares wif4j's {@link FederatedCredentials} with
 * stock google-auth {@code IdentityPoolCredentials}, both configured from the same {@code
 * external_account} file (a file credential source holding a JWT) against the same {@link
 * FakeCloud}, both warmed once in {@link #setUp()} so that no iteration makes a network call.
 *
 * <pre>{@code
 * benchmarks/run.sh -wi 3 -i 5 -f 2
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmark {
  private static final URI TARGET =
      URI.create("https://aiplatform.googleapis.com/v1/projects/p/locations/l/models");
  private static final String APP_AUDIENCE = "https://my-app.example.test";

  private FakeCloud cloud;
  private Path tokenFile;
  private FederatedCredentials wif4j;
  private GoogleCredentials googleAuth;

  /** Starts the fake cloud, writes the subject token file, builds and warms both credentials. */
  @Setup
  public void setUp() throws IOException {
    cloud = FakeCloud.start();
    FakeJwtIssuer issuer = FakeJwtIssuer.create("https://oidc.example.test");
    cloud.sts().trustIssuer(issuer, APP_AUDIENCE);
    tokenFile = Files.createTempFile("wif4j-bench-subject", ".jwt");
    Files.writeString(
        tokenFile, issuer.issue("workload-1", APP_AUDIENCE, Duration.ofHours(2), Map.of()));
    String json =
        "{\"type\":\"external_account\","
            + "\"audience\":\""
            + cloud.audience("bench-pool", "bench-provider")
            + "\",\"subject_token_type\":\"urn:ietf:params:oauth:token-type:jwt\","
            + "\"token_url\":\""
            + cloud.stsTokenUrl()
            + "\",\"credential_source\":{\"file\":\""
            + tokenFile.toAbsolutePath().toString().replace("\\", "\\\\")
            + "\"}}";

    wif4j =
        FederatedCredentials.builder()
            .allowEndpointHost("127.0.0.1") // the fakes listen on loopback
            .config(ExternalAccountConfig.fromJson(json))
            .backgroundRefresh(false)
            .transportPolicy(TransportPolicy.builder().sslContext(TestTls.clientContext()).build())
            .build();

    HttpTransportFactory stockTransport =
        () ->
            new NetHttpTransport.Builder()
                .setSslSocketFactory(TestTls.clientContext().getSocketFactory())
                .build();
    googleAuth =
        ExternalAccountCredentials.fromStream(
            new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), stockTransport);

    wif4j.getRequestMetadata(TARGET);
    googleAuth.getRequestMetadata(TARGET);
    if (cloud.sts().requestCount() != 2) {
      throw new IllegalStateException("expected one STS exchange per library");
    }
  }

  /** Checks that no iteration went to the network, then stops the fakes. */
  @TearDown
  public void tearDown() throws IOException {
    int exchanges = cloud.sts().requestCount();
    wif4j.close();
    cloud.close();
    Files.deleteIfExists(tokenFile);
    if (exchanges != 2) {
      throw new IllegalStateException(
          "a benchmark iteration refreshed the token (" + exchanges + " STS exchanges)");
    }
  }

  /** wif4j: a clock read and two volatile reads, then the precomputed header map. */
  @Benchmark
  public Map<String, List<String>> wif4j() throws IOException {
    return wif4j.getRequestMetadata(TARGET);
  }

  /** Stock google-auth: its own lock and state checks per call. */
  @Benchmark
  public Map<String, List<String>> googleAuth() throws IOException {
    return googleAuth.getRequestMetadata(TARGET);
  }
}

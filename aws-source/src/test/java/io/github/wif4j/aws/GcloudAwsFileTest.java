package io.github.wif4j.aws;

import static io.github.wif4j.aws.AwsFederationFixture.fastPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeEc2Metadata.Mode;
import io.github.wif4j.testing.Fault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file {@code gcloud iam workload-identity-pools create-cred-config ... --aws --enable-imdsv2}
 * writes, named by {@code GOOGLE_APPLICATION_CREDENTIALS}, is served by wif4j's {@link AwsSource}
 * against the file's own metadata URLs: the same requests, retries and errors as the builder.
 */
class GcloudAwsFileTest {
  private final AwsFederationFixture fx = new AwsFederationFixture();
  private final FakeClock clock = FakeClock.now();

  @TempDir Path dir;

  @AfterEach
  void stop() {
    fx.close();
  }

  /** gcloud's output, byte for byte but for the pool, the STS URL and the metadata host. */
  private Path gcloudFile(FakeEc2Metadata imds) throws Exception {
    String host = imds.baseUri().toString().replaceAll("/$", "");
    String json =
        "{\n"
            + "  \"universe_domain\": \"googleapis.com\",\n"
            + "  \"type\": \"external_account\",\n"
            + "  \"audience\": \""
            + fx.audience
            + "\",\n"
            + "  \"subject_token_type\": \"urn:ietf:params:aws:token-type:aws4_request\",\n"
            + "  \"token_url\": \""
            + fx.cloud.stsTokenUrl()
            + "\",\n"
            + "  \"credential_source\": {\n"
            + "    \"environment_id\": \"aws1\",\n"
            + "    \"region_url\": \""
            + host
            + "/latest/meta-data/placement/availability-zone\",\n"
            + "    \"url\": \""
            + host
            + "/latest/meta-data/iam/security-credentials\",\n"
            + "    \"regional_cred_verification_url\":"
            + " \"https://sts.{region}.amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\",\n"
            + "    \"imdsv2_session_token_url\": \""
            + host
            + "/latest/api/token\"\n"
            + "  },\n"
            + "  \"service_account_impersonation_url\": \""
            + fx.cloud.impersonationUrl(AwsFederationFixture.SA)
            + "\",\n"
            + "  \"service_account_impersonation\": {\n"
            + "    \"token_lifetime_seconds\": 3600\n"
            + "  }\n"
            + "}\n";
    return Files.writeString(dir.resolve("clientLibraryConfig-aws.json"), json);
  }

  /** As FederatedCredentials.fromEnvironment(env), with the fakes' TLS trust. */
  private FederatedCredentials fromEnvironment(Environment env) {
    ExternalAccountConfig config = ExternalAccountConfig.fromEnvironment(env).orElseThrow();
    return FederatedCredentials.builder()
        .environment(env)
        .allowEndpointHost("127.0.0.1") // the fake STS and IAM listen on loopback
        .config(config)
        .transportPolicy(fastPolicy())
        .clock(clock)
        .backgroundRefresh(false)
        .build();
  }

  /**
   * IMDS requests (all, and session-token PUTs) of a first token by the builder's AwsSource on a
   * fresh metadata service that first answers {@code fault} when given.
   */
  private int[] builderRequestCounts(Fault fault) throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata(Mode.V2_REQUIRED).start();
        AwsSource aws =
            AwsSource.builder()
                .environment(Environment.of(Map.of()))
                .imdsEndpoint(imds.baseUri())
                .transportPolicy(fastPolicy())
                .build();
        FederatedCredentials google = fx.credentials(aws, true, clock)) {
      imds.trustedBy(fx.cloud.sts());
      if (fault != null) {
        imds.enqueueFault(fault);
      }
      assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
      return new int[] {imds.requestCount(), imds.tokenRequestCount()};
    }
  }

  private static Fault imds500() {
    return Fault.status(500).onPath("/latest/meta-data/iam/").times(1);
  }

  @Test
  void gcloudAwsImdsv2File_viaGoogleApplicationCredentials_servedByAwsSource() throws Exception {
    int[] builder = builderRequestCounts(null);
    try (FakeEc2Metadata imds = new FakeEc2Metadata(Mode.V2_REQUIRED).start()) {
      imds.trustedBy(fx.cloud.sts());
      Environment env =
          Environment.of(Map.of("GOOGLE_APPLICATION_CREDENTIALS", gcloudFile(imds).toString()));
      try (FederatedCredentials google = fromEnvironment(env)) {
        assertInstanceOf(AwsSource.class, google.source().orElseThrow());

        String first = fx.bearer(google);
        assertTrue(fx.cloud.iam().isIssued(first));
        assertEquals(builder[0], imds.requestCount(), "the same requests as the builder's source");
        assertEquals(builder[1], imds.tokenRequestCount(), "the same IMDSv2 session tokens");

        // stale (59 min), not past 60 min: the fakes stamp expiries with the real time, so a
        // renewed
        // token must not look expired on the advanced fake clock; AWS credentials are still valid
        clock.advance(Duration.ofMinutes(59).plusSeconds(30));
        assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
        assertEquals(builder[0], imds.requestCount(), "a Google refresh costs no AWS request");
      }
    }
  }

  @Test
  void gcloudAwsImdsv2File_imds500_isRetried() throws Exception {
    int[] clean = builderRequestCounts(null);
    int[] builder = builderRequestCounts(imds500());
    try (FakeEc2Metadata imds = new FakeEc2Metadata(Mode.V2_REQUIRED).start()) {
      imds.trustedBy(fx.cloud.sts());
      imds.enqueueFault(imds500());
      Environment env =
          Environment.of(Map.of("GOOGLE_APPLICATION_CREDENTIALS", gcloudFile(imds).toString()));
      try (FederatedCredentials google = fromEnvironment(env)) {
        assertTrue(fx.cloud.iam().isIssued(fx.bearer(google)));
        assertTrue(imds.requestCount() > clean[0], "the failed read was retried");
        assertEquals(builder[0], imds.requestCount(), "retried as the builder's source retries");
      }
    }
  }
}

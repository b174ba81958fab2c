package io.github.wif4j.aws;

import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.TestTls;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/** Shared wiring: the fake Google side and credentials built against it. */
final class AwsFederationFixture implements AutoCloseable {
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  static final URI API = URI.create("https://aiplatform.googleapis.com/");

  final FakeCloud cloud = FakeCloud.start();
  final String audience = cloud.audience("aws-pool", "aws-provider");

  AwsFederationFixture() {
    cloud.iam().allowImpersonation(SA);
  }

  static TransportPolicy fastPolicy() {
    return TransportPolicy.builder()
        .sslContext(TestTls.clientContext())
        .connectTimeout(Duration.ofMillis(500))
        .readTimeout(Duration.ofSeconds(2))
        .deadline(Duration.ofSeconds(4))
        .backoff(Duration.ofMillis(10), Duration.ofMillis(50))
        .build();
  }

  FederatedCredentials credentials(Source source, boolean impersonate, Clock clock) {
    FederationSettings.Builder s =
        FederationSettings.builder().audience(audience).tokenUrl(cloud.stsTokenUrl());
    if (impersonate) {
      s.serviceAccountImpersonationUrl(cloud.impersonationUrl(SA));
    }
    return FederatedCredentials.builder()
        .settings(s.build())
        .source(source)
        .clock(clock)
        .backgroundRefresh(false)
        .transportPolicy(fastPolicy())
        .build();
  }

  String bearer(FederatedCredentials credentials) throws Exception {
    String header = credentials.getRequestMetadata(API).get("Authorization").get(0);
    return header.substring("Bearer ".length());
  }

  @Override
  public void close() {
    cloud.close();
  }
}

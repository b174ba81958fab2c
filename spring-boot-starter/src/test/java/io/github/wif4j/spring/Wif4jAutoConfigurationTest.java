package io.github.wif4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.core.CredentialsProvider;
import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeClock;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeGceMetadata;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.TestTls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;

/**
 * The starter against the fakes of wif4j-testing: an application with only {@code wif4j.*}
 * properties gets working beans; health and metrics follow the refresh events. No network, no
 * sleeps: time is a {@link FakeClock}.
 */
class Wif4jAutoConfigurationTest {
  private static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  private static final String ROLE = "arn:aws:iam::123456789012:role/reports-reader";

  private FakeCloud cloud;
  private FakeEc2Metadata imds;
  private FakeGceMetadata gce;
  private FakeAwsSts awsSts;
  private final FakeClock clock = FakeClock.now(); // the fakes stamp expiries with the real time

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    imds = new FakeEc2Metadata().start();
    imds.trustedBy(cloud.sts());
    cloud.iam().allowImpersonation(SA);
    gce = new FakeGceMetadata().start();
    awsSts = new FakeAwsSts().start();
    awsSts.trustIssuer(gce.googleIssuer());
    awsSts.allowRole(
        ROLE,
        Map.of(
            "accounts.google.com:aud",
            gce.serviceAccountUniqueId(),
            "accounts.google.com:oaud",
            ROLE));
  }

  @AfterEach
  void stop() {
    awsSts.close();
    gce.close();
    imds.close();
    cloud.close();
  }

  /**
   * The test's infrastructure, not configuration: trust in the fakes' TLS certificate, refreshes on
   * the calling thread, one HTTP attempt, the fake clock, a meter registry.
   */
  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(
            AutoConfigurations.of(
                Wif4jAutoConfiguration.class,
                Wif4jGeminiAutoConfiguration.class,
                Wif4jAwsAutoConfiguration.class,
                Wif4jSpringCloudGcpAutoConfiguration.class,
                Wif4jActuatorAutoConfiguration.class))
        .withBean(Wif4jAutoConfiguration.CLOCK_BEAN, Clock.class, () -> clock)
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
        .withBean(
            FederatedCredentialsCustomizer.class,
            () ->
                b ->
                    b.transportPolicy(
                            TransportPolicy.builder()
                                .sslContext(TestTls.clientContext())
                                .maxAttempts(1)
                                .build())
                        .executor(Runnable::run));
  }

  private String[] awsAndGemini(String... more) {
    String[] base = {
      "wif4j.audience=" + cloud.audience("aws-pool", "aws-provider"),
      "wif4j.token-url=" + cloud.stsTokenUrl(),
      "wif4j.source=aws-imds",
      "wif4j.environment.AWS_EC2_METADATA_SERVICE_ENDPOINT=" + imds.baseUri(),
      "wif4j.gemini.project=my-project",
      "wif4j.gemini.location=europe-west4",
      "wif4j.gemini.base-url=" + cloud.vertex().baseUri(),
      "wif4j.aws.role-arn=" + ROLE,
      "wif4j.aws.sts-endpoint=" + awsSts.endpoint(),
      "wif4j.aws.region=us-east-1",
      "wif4j.environment.GCE_METADATA_HOST=" + gce.hostAndPort()
    };
    String[] all = new String[base.length + more.length];
    System.arraycopy(base, 0, all, 0, base.length);
    System.arraycopy(more, 0, all, base.length, more.length);
    return all;
  }

  @Test
  void onlyWif4jProperties_geminiAndAwsCallsWork_healthUp_metricsCountRefreshes() {
    runner()
        .withPropertyValues(awsAndGemini("wif4j.impersonation-url=" + cloud.impersonationUrl(SA)))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(FederatedCredentials.class);
              assertThat(context.getBean(GoogleCredentials.class))
                  .isSameAs(context.getBean(FederatedCredentials.class));
              assertThat(context).hasSingleBean(CredentialsProvider.class);
              assertThat(context.getBean(CredentialsProvider.class).getCredentials())
                  .isSameAs(context.getBean(FederatedCredentials.class));

              Client gemini = context.getBean(Client.class);
              String text = gemini.models.generateContent("gemini-2.5-flash", "Hello", null).text();
              assertThat(text).isEqualTo("fake-gemini: Hello");
              assertThat(cloud.vertex().calls().get(0).location()).isEqualTo("europe-west4");
              assertThat(cloud.iam().isIssued(cloud.vertex().calls().get(0).bearerToken()))
                  .isTrue();

              AwsCredentialsProvider aws = context.getBean(AwsCredentialsProvider.class);
              assertThat(aws).isInstanceOf(GoogleToAwsCredentialsProvider.class);
              assertThat(aws.resolveCredentials()).isInstanceOf(AwsSessionCredentials.class);
              assertThat(awsSts.assumedRoles()).hasSize(1);

              Health health = context.getBean(Wif4jHealthIndicator.class).health();
              assertThat(health.getStatus()).isEqualTo(Status.UP);
              assertThat(health.getDetails()).containsKeys("wif4j google token");

              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(
                      meters.find(Wif4jMetrics.REFRESH).tag("outcome", "success").timers().stream()
                          .mapToLong(Timer::count)
                          .sum())
                  .isEqualTo(2); // the Google token and the AWS credentials
              assertThat(
                      meters
                          .get(Wif4jMetrics.TIME_TO_EXPIRY)
                          .tag("cache", "wif4j google token")
                          .timeGauge()
                          .value())
                  .isGreaterThan(3000);
            });
  }

  @Test
  void health_downWhenStsFailsPastExpiry_upAgainAfterRecovery() {
    runner()
        .withPropertyValues(awsAndGemini("wif4j.background-refresh=false"))
        .run(
            context -> {
              FederatedCredentials google = context.getBean(FederatedCredentials.class);
              Wif4jHealthIndicator indicator = context.getBean(Wif4jHealthIndicator.class);
              assertThat(indicator.health().getStatus()).isEqualTo(Status.UNKNOWN);

              google.getRequestMetadata(null);
              assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

              cloud.sts().enqueueFault(Fault.status(503).onPath("/v1/token").times(10_000));
              clock.advance(Duration.ofMinutes(50)); // past prefetch: one background refresh
              google.getRequestMetadata(null); // served from cache; the refresh fails
              Health failing = indicator.health();
              assertThat(failing.getStatus())
                  .as("the token in hand is good for ten more minutes")
                  .isEqualTo(Status.UP);
              assertThat(detail(failing)).containsEntry("step", "STS");

              clock.advance(Duration.ofMinutes(11)); // the token in hand has expired
              Health down = indicator.health();
              assertThat(down.getStatus()).isEqualTo(Status.DOWN);
              assertThat(detail(down)).containsEntry("step", "STS").containsKey("error");
              assertThat(detail(down).get("consecutiveFailures")).isEqualTo(1);

              // the fakes stamp expiries with the real time, 61 min behind the fake clock: a
              // renewed one-hour token would look expired (which the cache refuses), so two hours
              cloud.sts().setTokenLifetime(Duration.ofHours(2));
              cloud.sts().clearFaults();
              google.getRequestMetadata(null); // a caller on the expired token: one exchange
              assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);

              MeterRegistry meters = context.getBean(MeterRegistry.class);
              assertThat(
                      meters
                          .get(Wif4jMetrics.REFRESH)
                          .tags("cache", "wif4j google token", "outcome", "failure", "step", "sts")
                          .timer()
                          .count())
                  .isEqualTo(1);
              assertThat(
                      meters
                          .get(Wif4jMetrics.REFRESH)
                          .tags("cache", "wif4j google token", "outcome", "success")
                          .timer()
                          .count())
                  .isEqualTo(2);
            });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> detail(Health health) {
    return (Map<String, Object>) health.getDetails().get("wif4j google token");
  }

  @Test
  void applicationBeansWin_andNothingWithoutConfiguration() {
    GoogleCredentials own = GoogleCredentials.create(new AccessToken("own", null));
    runner()
        .withPropertyValues(awsAndGemini())
        .withBean(GoogleCredentials.class, () -> own)
        .run(
            context -> {
              assertThat(context).doesNotHaveBean(FederatedCredentials.class);
              assertThat(context.getBean(GoogleCredentials.class)).isSameAs(own);
              assertThat(context).doesNotHaveBean(CredentialsProvider.class);
            });
    runner()
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).doesNotHaveBean(GoogleCredentials.class);
              assertThat(context).doesNotHaveBean(Client.class);
              assertThat(context).doesNotHaveBean(AwsCredentialsProvider.class);
              assertThat(context).hasSingleBean(Wif4jRefreshMonitor.class);
            });
  }

  @Test
  void withoutOptionalLibraries_coreBeansOnly() {
    runner()
        .withPropertyValues(awsAndGemini())
        .withClassLoader(
            new FilteredClassLoader(
                "com.google.genai.",
                "io.github.wif4j.gcp2aws.",
                "com.google.cloud.spring.",
                "org.springframework.boot.actuate."))
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              assertThat(context).hasSingleBean(FederatedCredentials.class);
              assertThat(context).doesNotHaveBean("wif4jGeminiClient");
              assertThat(context).doesNotHaveBean("wif4jAwsCredentialsProvider");
              assertThat(context).doesNotHaveBean("wif4jGcpCredentialsProvider");
              assertThat(context).doesNotHaveBean(Wif4jHealthIndicator.class);
            });
  }

  @Test
  void propertiesToString_namesEnvironmentVariablesWithoutTheirValues() {
    String secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    runner()
        .withPropertyValues("wif4j.environment.AWS_SECRET_ACCESS_KEY=" + secret)
        .run(
            context -> {
              String text = context.getBean(Wif4jProperties.class).toString();
              assertThat(text).contains("AWS_SECRET_ACCESS_KEY").doesNotContain(secret);
            });
  }

  @Test
  void configurationMetadata_listsThePropertiesForIdeCompletion() throws Exception {
    try (java.io.InputStream in =
        getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertThat(json)
          .contains("\"wif4j.audience\"", "\"wif4j.aws.role-arn\"", "\"wif4j.gemini.base-url\"")
          .contains("as WIF4J_AUDIENCE");
    }
  }
}

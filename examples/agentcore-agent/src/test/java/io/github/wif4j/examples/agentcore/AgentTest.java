package io.github.wif4j.examples.agentcore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.genai.VertexGemini;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.TestTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent on fakes: AgentCore's metadata service (IMDSv1 only), Google STS/IAM, Vertex AI. */
class AgentTest {
  static final String SA = "agent@my-project.iam.gserviceaccount.com";

  private FakeCloud cloud;
  private FakeEc2Metadata mmds;
  private AwsSource aws;
  private FederatedCredentials google;
  private Agent agent;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    cloud = FakeCloud.start();
    mmds = new FakeEc2Metadata(FakeEc2Metadata.Mode.AGENTCORE_MMDS).start();
    mmds.trustedBy(cloud.sts());
    cloud.iam().allowImpersonation(SA);
    TransportPolicy tls = TransportPolicy.builder().sslContext(TestTls.clientContext()).build();
    aws =
        AwsSource.builder()
            .environment(
                Environment.of(
                    Map.of(
                        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
                        mmds.baseUri().toString(),
                        "AWS_REGION", // AgentCore Runtime sets it
                        "us-east-1")))
            .transportPolicy(tls)
            .build();
    google =
        FederatedCredentials.builder()
            .settings(
                FederationSettings.builder()
                    .audience(cloud.audience("aws-pool", "agentcore"))
                    .tokenUrl(cloud.stsTokenUrl())
                    .serviceAccountImpersonationUrl(cloud.impersonationUrl(SA))
                    .build())
            .source(aws)
            .transportPolicy(tls)
            .build();
    Client gemini =
        VertexGemini.builder()
            .credentials(google)
            .project("my-project")
            .httpOptions(HttpOptions.builder().baseUrl(cloud.vertex().baseUri().toString()).build())
            .build();
    agent =
        Agent.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), gemini, "gemini-2.5-flash");
  }

  @AfterEach
  void stop() {
    agent.close();
    google.close();
    aws.close();
    mmds.close();
    cloud.close();
  }

  private HttpResponse<String> post(String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/invocations"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void ping_isHealthy() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/ping"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("{\"status\":\"Healthy\"}", r.body());
  }

  @Test
  void invocations_answersWithGeminiUsingTheExecutionRole() throws Exception {
    HttpResponse<String> r = post("{\"prompt\":\"What is federation?\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("fake-gemini: What is federation?"), r.body());
    assertTrue(cloud.iam().isIssued(cloud.vertex().calls().get(0).bearerToken()));
    assertEquals(1, mmds.tokenRequestCount(), "the MMDS token PUT was refused once, then IMDSv1");
  }

  @Test
  void invocations_streaming() throws Exception {
    HttpResponse<String> r = post("{\"prompt\":\"stream it\",\"stream\":true}");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    assertTrue(r.body().startsWith("data: "), r.body());
    assertTrue(r.body().contains("stream it"), r.body());
  }

  @Test
  void invocations_badRequest() throws Exception {
    assertEquals(400, post("{\"question\":\"x\"}").statusCode());
    assertEquals(400, post("not json").statusCode());
  }
}

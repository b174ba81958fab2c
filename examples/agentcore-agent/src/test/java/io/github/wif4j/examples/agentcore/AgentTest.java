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
import io.github.wif4j.testing.FakeVertexAi;
import io.github.wif4j.testing.TestTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ADK agent on fakes: AgentCore's metadata service (MMDS V1, which refuses the IMDSv2 token,
 * and MMDS V2, which requires it), Google STS/IAM, Vertex AI answering with a tool call first.
 */
class AgentTest {
  static final String SA = "agent@my-project.iam.gserviceaccount.com";

  private FakeCloud cloud;
  private FakeEc2Metadata mmds;
  private AwsSource aws;
  private FederatedCredentials google;
  private Agent agent;
  private final HttpClient http = HttpClient.newHttpClient();

  void start(FakeEc2Metadata.Mode mode) throws Exception {
    cloud = FakeCloud.start();
    mmds = new FakeEc2Metadata(mode).start();
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
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            Agent.llmAgent(gemini, "gemini-2.5-flash"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
      google.close();
      aws.close();
      mmds.close();
      cloud.close();
    }
  }

  private HttpResponse<String> post(String body, String session) throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/invocations"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      r.header(Agent.SESSION_HEADER, session);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @EnumSource(
      value = FakeEc2Metadata.Mode.class,
      names = {"AGENTCORE_MMDS", "V2_REQUIRED"})
  void invocations_toolCallThenAnswer_withTheExecutionRole(FakeEc2Metadata.Mode mode)
      throws Exception {
    start(mode);
    HttpResponse<String> ping =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/ping"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals("{\"status\":\"Healthy\"}", ping.body());

    HttpResponse<String> r = post("{\"prompt\":\"Weather in Tokyo?\"}", "session-1");
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"tools\":[\"get_weather\"]"), r.body());
    assertTrue(r.body().contains("fake-gemini: Weather in Tokyo?"), r.body());
    assertTrue(r.body().contains("sunny"), "the answer quotes the tool's result: " + r.body());

    List<FakeVertexAi.Call> calls = cloud.vertex().calls();
    assertEquals(2, calls.size(), "one model call for the tool, one for the answer");
    for (FakeVertexAi.Call call : calls) {
      assertTrue(cloud.iam().isIssued(call.bearerToken()), "federated, impersonated token");
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = FakeEc2Metadata.Mode.class,
      names = {"AGENTCORE_MMDS"})
  void invocations_streaming_toolThenChunks(FakeEc2Metadata.Mode mode) throws Exception {
    start(mode);
    HttpResponse<String> r = post("{\"prompt\":\"Weather in Osaka?\",\"stream\":true}", null);
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
    assertTrue(r.body().contains("data: {\"tool\":\"get_weather\"}"), r.body());
    assertTrue(r.body().contains("\"chunk\""), r.body());
    assertTrue(r.body().contains("Osaka"), r.body());
    assertTrue(cloud.vertex().calls().stream().allMatch(FakeVertexAi.Call::streaming));
  }

  @ParameterizedTest
  @EnumSource(
      value = FakeEc2Metadata.Mode.class,
      names = {"AGENTCORE_MMDS"})
  void invocations_badRequest(FakeEc2Metadata.Mode mode) throws Exception {
    start(mode);
    assertEquals(400, post("{\"question\":\"x\"}", null).statusCode());
    assertEquals(400, post("not json", null).statusCode());
  }
}

package io.github.wif4j.examples.agentcore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.GenerateContentResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wif4j.core.Environment;
import io.github.wif4j.genai.VertexGemini;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A minimal agent for Amazon Bedrock AgentCore Runtime that answers with Vertex AI Gemini, using
 * the runtime's execution role as its Google identity (no Google key anywhere).
 *
 * <p>The AgentCore container contract: HTTP on port 8080, {@code GET /ping} answers {@code
 * {"status":"Healthy"}}, {@code POST /invocations} takes {@code {"prompt":"..."}} and answers
 * {@code {"response":"..."}}, or a {@code text/event-stream} of chunks with {@code "stream":true}.
 *
 * <p>Configuration (environment): {@code WIF4J_AUDIENCE} (or {@code WIF4J_PROJECT_NUMBER}, {@code
 * WIF4J_POOL_ID}, {@code WIF4J_PROVIDER_ID}), optionally {@code WIF4J_SERVICE_ACCOUNT}, {@code
 * GOOGLE_CLOUD_PROJECT}, {@code GOOGLE_CLOUD_LOCATION}, {@code GEMINI_MODEL}. The AWS credentials
 * come from the runtime's metadata service, found by wif4j's AWS source.
 */
public final class Agent implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Agent.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Client gemini;
  private final String model;

  private Agent(HttpServer server, Client gemini, String model) {
    this.server = server;
    this.gemini = gemini;
    this.model = model;
    this.executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext("/ping", this::ping);
    server.createContext("/invocations", this::invoke);
  }

  /** Starts on {@code address} with a ready Gemini client. */
  public static Agent start(InetSocketAddress address, Client gemini, String model)
      throws IOException {
    Agent agent = new Agent(HttpServer.create(address, 0), gemini, model);
    agent.server.start();
    return agent;
  }

  /** Runs the agent on port 8080 (or {@code PORT}) with everything from the environment. */
  public static void main(String[] args) throws IOException {
    Environment env = Environment.system();
    int port = Integer.parseInt(env.get("PORT").orElse("8080"));
    Client gemini = VertexGemini.client();
    Agent agent =
        start(
            new InetSocketAddress(port),
            gemini,
            env.get("GEMINI_MODEL").orElse("gemini-2.5-flash"));
    LOG.log(System.Logger.Level.INFO, "agent listening on port {0}", agent.port());
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void ping(HttpExchange exchange) throws IOException {
    send(exchange, 200, "application/json", "{\"status\":\"Healthy\"}");
  }

  private void invoke(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "application/json", "{\"error\":\"use POST\"}");
      return;
    }
    JsonNode request;
    try {
      request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    } catch (IOException e) {
      send(exchange, 400, "application/json", "{\"error\":\"the body must be JSON\"}");
      return;
    }
    JsonNode prompt = request == null ? null : request.get("prompt");
    if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
      send(
          exchange,
          400,
          "application/json",
          "{\"error\":\"expected {\\\"prompt\\\": \\\"...\\\"}\"}");
      return;
    }
    try {
      if (request.path("stream").asBoolean(false)) {
        stream(exchange, prompt.asText());
      } else {
        String text = gemini.models.generateContent(model, prompt.asText(), null).text();
        send(
            exchange,
            200,
            "application/json",
            JSON.writeValueAsString(Map.of("response", text == null ? "" : text, "model", model)));
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "Gemini call failed: {0}", e.getMessage());
      send(
          exchange,
          502,
          "application/json",
          JSON.writeValueAsString(Map.of("error", "the model call failed; see the agent's log")));
    }
  }

  private void stream(HttpExchange exchange, String prompt) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody();
        ResponseStream<GenerateContentResponse> chunks =
            gemini.models.generateContentStream(model, prompt, null)) {
      for (GenerateContentResponse chunk : chunks) {
        String text = chunk.text();
        if (text != null) {
          out.write(
              ("data: " + JSON.writeValueAsString(Map.of("chunk", text)) + "\n\n")
                  .getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}

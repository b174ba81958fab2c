package io.github.wif4j.examples.agentcore;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.adk.agents.LlmAgent;
import com.google.adk.agents.RunConfig;
import com.google.adk.events.Event;
import com.google.adk.models.Gemini;
import com.google.adk.runner.InMemoryRunner;
import com.google.adk.runner.Runner;
import com.google.adk.tools.FunctionTool;
import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.Part;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.wif4j.core.Environment;
import io.github.wif4j.genai.VertexGemini;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An agent for Amazon Bedrock AgentCore Runtime built with Google's Agent Development Kit (ADK): an
 * {@link LlmAgent} with one tool ({@link WeatherTool}), on Vertex AI Gemini, whose Google identity
 * is the runtime's execution role (no Google key anywhere).
 *
 * <p>ADK runs on the google-genai {@link Client} that wif4j's {@link VertexGemini} builds, so the
 * model calls carry federated credentials refreshed in the background.
 *
 * <p>The AgentCore container contract: HTTP on port 8080, {@code GET /ping} answers {@code
 * {"status":"Healthy"}}, {@code POST /invocations} takes {@code {"prompt":"..."}} and answers
 * {@code {"response":"...","tools":[...]}}, or a {@code text/event-stream} with {@code
 * "stream":true}. The {@code X-Amzn-Bedrock-AgentCore-Runtime-Session-Id} header keeps one ADK
 * session per AgentCore session.
 *
 * <p>Configuration, environment only: {@code WIF4J_AUDIENCE} (or {@code WIF4J_PROJECT_NUMBER},
 * {@code WIF4J_POOL_ID}, {@code WIF4J_PROVIDER_ID}), optionally {@code WIF4J_SERVICE_ACCOUNT},
 * {@code GOOGLE_CLOUD_PROJECT}, {@code GOOGLE_CLOUD_LOCATION}, {@code GEMINI_MODEL}, {@code PORT}.
 */
public final class Agent implements AutoCloseable {
  /** The AgentCore session header. */
  static final String SESSION_HEADER = "X-Amzn-Bedrock-AgentCore-Runtime-Session-Id";

  private static final System.Logger LOG = System.getLogger(Agent.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = "wif4j-agentcore-agent";
  private static final String USER = "agentcore";

  private final HttpServer server;
  private final ExecutorService executor;
  private final Runner runner;
  private final Set<String> sessions = ConcurrentHashMap.newKeySet();

  private Agent(HttpServer server, LlmAgent agent) {
    this.server = server;
    this.runner = new InMemoryRunner(agent, APP);
    this.executor = Executors.newFixedThreadPool(8);
    server.setExecutor(executor);
    server.createContext("/ping", this::ping);
    server.createContext("/invocations", this::invoke);
  }

  /** The ADK agent: Gemini through {@code gemini}, one tool. */
  public static LlmAgent llmAgent(Client gemini, String model) {
    return LlmAgent.builder()
        .name("weather_agent")
        .description("Answers questions; looks up the weather with a tool.")
        .model(Gemini.builder().modelName(model).apiClient(gemini).build())
        .instruction(
            "You are a concise assistant. For any question about the weather, call get_weather"
                + " with the city and answer from its result.")
        .tools(FunctionTool.create(WeatherTool.class, "getWeather"))
        .build();
  }

  /** Starts on {@code address}. */
  public static Agent start(InetSocketAddress address, LlmAgent agent) throws IOException {
    Agent a = new Agent(HttpServer.create(address, 0), agent);
    a.server.start();
    return a;
  }

  /** Runs on 0.0.0.0:8080 (or {@code PORT}) with everything from the environment. */
  public static void main(String[] args) throws IOException {
    Environment env = Environment.system();
    int port = Integer.parseInt(env.get("PORT").orElse("8080"));
    LlmAgent agent =
        llmAgent(VertexGemini.client(), env.get("GEMINI_MODEL").orElse("gemini-2.5-flash"));
    Agent running = start(new InetSocketAddress(port), agent);
    LOG.log(System.Logger.Level.INFO, "agent listening on port {0}", running.port());
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  private void ping(HttpExchange exchange) throws IOException {
    send(exchange, 200, "{\"status\":\"Healthy\"}");
  }

  private void invoke(HttpExchange exchange) throws IOException {
    if (!"POST".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "{\"error\":\"use POST\"}");
      return;
    }
    JsonNode request;
    try {
      request = JSON.readTree(exchange.getRequestBody().readAllBytes());
    } catch (IOException e) {
      send(exchange, 400, "{\"error\":\"the body must be JSON\"}");
      return;
    }
    JsonNode prompt = request == null ? null : request.get("prompt");
    if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
      send(exchange, 400, "{\"error\":\"expected {\\\"prompt\\\": \\\"...\\\"}\"}");
      return;
    }
    String session = session(exchange.getRequestHeaders().getFirst(SESSION_HEADER));
    Content message = Content.fromParts(Part.fromText(prompt.asText()));
    if (request.path("stream").asBoolean(false)) {
      stream(exchange, session, message);
      return;
    }
    try {
      List<String> tools = new ArrayList<>();
      StringBuilder answer = new StringBuilder();
      for (Event e : runner.runAsync(USER, session, message).blockingIterable()) {
        e.functionCalls().forEach(c -> tools.add(c.name().orElse("?")));
        if (e.finalResponse()) {
          answer.append(text(e));
        }
      }
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("response", answer.toString());
      body.put("tools", tools);
      body.put("session", session);
      send(exchange, 200, JSON.writeValueAsString(body));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "the agent failed: {0}", e.getMessage());
      send(exchange, 502, "{\"error\":\"the agent failed; see its log\"}");
    }
  }

  private void stream(HttpExchange exchange, String session, Content message) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    RunConfig sse = RunConfig.builder().setStreamingMode(RunConfig.StreamingMode.SSE).build();
    try (OutputStream out = exchange.getResponseBody()) {
      boolean chunked = false;
      for (Event e : runner.runAsync(USER, session, message, sse).blockingIterable()) {
        for (FunctionCall call : e.functionCalls()) {
          write(out, Map.of("tool", call.name().orElse("?")));
        }
        String text = text(e);
        if (text.isEmpty()) {
          continue;
        }
        if (e.partial().orElse(false)) {
          write(out, Map.of("chunk", text));
          chunked = true;
        } else if (e.finalResponse() && !chunked) {
          write(out, Map.of("chunk", text)); // the model answered in one piece
        }
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "the agent failed while streaming: {0}", e.getMessage());
    }
  }

  private String session(String agentCoreSession) {
    String id =
        agentCoreSession == null || agentCoreSession.isBlank()
            ? UUID.randomUUID().toString()
            : agentCoreSession;
    if (sessions.add(id)) {
      runner.sessionService().createSession(APP, USER, new ConcurrentHashMap<>(), id).blockingGet();
    }
    return id;
  }

  private static String text(Event e) {
    StringBuilder s = new StringBuilder();
    e.content()
        .flatMap(Content::parts)
        .ifPresent(parts -> parts.forEach(p -> p.text().ifPresent(s::append)));
    return s.toString();
  }

  private static void write(OutputStream out, Map<String, Object> event) throws IOException {
    out.write(
        ("data: " + JSON.writeValueAsString(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
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

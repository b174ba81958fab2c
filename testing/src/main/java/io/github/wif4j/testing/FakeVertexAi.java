package io.github.wif4j.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vertex AI Gemini {@code generateContent} and {@code streamGenerateContent} (SSE), enough for the
 * real google-genai client. The answer echoes the prompt: {@code "fake-gemini: <prompt>"}.
 *
 * <p>Function calling, as an agent framework drives it: when the request declares functions ({@code
 * tools[].functionDeclarations}) and its last turn carries no {@code functionResponse}, the answer
 * is a {@code functionCall} of the first declared function, every string parameter set to the
 * prompt. When the last turn carries the function's response, the answer is text again: {@code
 * "fake-gemini: <prompt> [<function>: <response JSON>]"}.
 *
 * <pre>{@code
 * FakeVertexAi vertex = new FakeVertexAi().start();
 * vertex.acceptBearerTokens(sts::isIssued);
 * // Client.builder().vertexAI(true).httpOptions(HttpOptions.builder().baseUrl(vertex.baseUri().toString()).build())
 * }</pre>
 */
public final class FakeVertexAi extends FakeServer {
  private static final Pattern PATH =
      Pattern.compile(
          "^/v1(?:beta1)?/projects/([^/]+)/locations/([^/]+)/publishers/google/models/([^/:]+)"
              + "(?::(generateContent|streamGenerateContent))?$");

  /**
   * One model call.
   *
   * @param project the project in the path
   * @param location the location in the path
   * @param model the model in the path
   * @param bearerToken the bearer token the call carried
   * @param prompt the concatenated text of the user's parts
   * @param streaming whether it was {@code streamGenerateContent}
   */
  public record Call(
      String project,
      String location,
      String model,
      String bearerToken,
      String prompt,
      boolean streaming) {
    @Override
    public String toString() {
      return "Call{" + project + "/" + location + "/" + model + ", streaming=" + streaming + "}";
    }
  }

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private volatile Predicate<String> acceptBearer = t -> true;
  private volatile boolean denyAccess;
  private volatile Predicate<String> permitted = t -> true;

  /** A fake over plain http. */
  public FakeVertexAi() {
    super(false);
  }

  @Override
  public FakeVertexAi start() {
    super.start();
    return this;
  }

  /** Which bearer tokens are valid. Default: any. */
  public FakeVertexAi acceptBearerTokens(Predicate<String> accept) {
    this.acceptBearer = accept;
    return this;
  }

  /**
   * Whether every authenticated request is refused with 403 {@code PERMISSION_DENIED}, as Vertex AI
   * answers a principal without {@code roles/aiplatform.user} on the project. Default false.
   */
  public FakeVertexAi denyAccess(boolean deny) {
    this.denyAccess = deny;
    return this;
  }

  /**
   * Which valid bearer tokens hold {@code aiplatform.endpoints.predict} (the role {@code
   * roles/aiplatform.user}); the others get Vertex AI's 403 {@code PERMISSION_DENIED}. Default:
   * all.
   */
  public FakeVertexAi permitPredict(Predicate<String> permitted) {
    this.permitted = permitted;
    return this;
  }

  /** The calls received, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    Matcher m = PATH.matcher(request.path());
    String bearer = request.bearerToken();
    if (denyAccess && bearer != null && acceptBearer.test(bearer)) {
      return denied(request.path().replaceFirst("^/v1[a-z0-9]*/", "").replaceFirst(":.*$", ""));
    }
    boolean get = "GET".equals(request.method());
    if (!m.matches()
        || (get ? m.group(4) != null : !"POST".equals(request.method()))
        || (!get && m.group(4) == null)) {
      return FakeResponse.googleError(404, "NOT_FOUND", "Requested entity was not found.");
    }
    if (bearer == null || !acceptBearer.test(bearer)) {
      return FakeResponse.googleError(
          401,
          "UNAUTHENTICATED",
          "Request had invalid authentication credentials. Expected OAuth 2 access token.");
    }
    if (!permitted.test(bearer)) {
      return denied(
          "projects/"
              + m.group(1)
              + "/locations/"
              + m.group(2)
              + "/publishers/google/models/"
              + m.group(3));
    }
    if (get) { // the publisher model itself, e.g. what wif4j doctor --api-url reads
      return FakeResponse.json(
          200, Map.of("name", "publishers/google/models/" + m.group(3), "versionId", "001"));
    }
    StringBuilder prompt = new StringBuilder();
    Object body;
    try {
      body = Jsons.read(request.bodyString());
      for (Object content : Jsons.list(body, "contents")) {
        for (Object part : Jsons.list(content, "parts")) {
          if (part instanceof Map && ((Map<?, ?>) part).get("text") != null) {
            prompt.append(((Map<?, ?>) part).get("text"));
          }
        }
      }
    } catch (IllegalArgumentException e) {
      return FakeResponse.googleError(400, "INVALID_ARGUMENT", "Invalid JSON payload received.");
    }
    boolean streaming = "streamGenerateContent".equals(m.group(4));
    calls.add(new Call(m.group(1), m.group(2), m.group(3), bearer, prompt.toString(), streaming));
    Map<?, ?> function = firstFunction(body);
    Map<?, ?> functionResponse = lastFunctionResponse(body);
    if (function != null && functionResponse == null) {
      Map<String, Object> out = functionCall(function, prompt.toString(), m.group(3));
      return streaming
          ? FakeResponse.of(200, "text/event-stream", "data: " + Jsons.write(out) + "\r\n\r\n")
          : FakeResponse.json(200, out);
    }
    String answer = "fake-gemini: " + prompt;
    if (functionResponse != null) {
      answer +=
          " ["
              + functionResponse.get("name")
              + ": "
              + Jsons.write(functionResponse.get("response"))
              + "]";
    }
    if (!streaming) {
      return FakeResponse.json(200, response(answer, m.group(3)));
    }
    StringBuilder sse = new StringBuilder();
    String[] halves = {
      answer.substring(0, answer.length() / 2), answer.substring(answer.length() / 2)
    };
    for (String chunk : halves) {
      sse.append("data: ").append(Jsons.write(response(chunk, m.group(3)))).append("\r\n\r\n");
    }
    return FakeResponse.of(200, "text/event-stream", sse.toString());
  }

  private static Map<?, ?> firstFunction(Object body) {
    for (Object tool : Jsons.list(body, "tools")) {
      for (Object f : Jsons.list(tool, "functionDeclarations")) {
        if (f instanceof Map) {
          return (Map<?, ?>) f;
        }
      }
    }
    return null;
  }

  private static Map<?, ?> lastFunctionResponse(Object body) {
    List<Object> contents = Jsons.list(body, "contents");
    if (contents.isEmpty()) {
      return null;
    }
    for (Object part : Jsons.list(contents.get(contents.size() - 1), "parts")) {
      if (part instanceof Map && ((Map<?, ?>) part).get("functionResponse") instanceof Map) {
        return (Map<?, ?>) ((Map<?, ?>) part).get("functionResponse");
      }
    }
    return null;
  }

  private static Map<String, Object> functionCall(Map<?, ?> function, String prompt, String model) {
    Map<String, Object> args = new LinkedHashMap<>();
    Object parameters = function.get("parameters");
    Object properties =
        parameters instanceof Map ? ((Map<?, ?>) parameters).get("properties") : null;
    if (properties instanceof Map) {
      for (Map.Entry<?, ?> p : ((Map<?, ?>) properties).entrySet()) {
        Object type = p.getValue() instanceof Map ? ((Map<?, ?>) p.getValue()).get("type") : null;
        if ("STRING".equalsIgnoreCase(String.valueOf(type))) {
          args.put(String.valueOf(p.getKey()), prompt);
        }
      }
    }
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("name", String.valueOf(function.get("name")));
    call.put("args", args);
    return answer(Map.of("functionCall", call), null, model);
  }

  private static Map<String, Object> response(String text, String model) {
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("promptTokenCount", 4);
    usage.put("candidatesTokenCount", 6);
    usage.put("totalTokenCount", 10);
    return answer(Map.of("text", text), usage, model);
  }

  /** An answer with one candidate made of {@code part}, and {@code usage} when not null. */
  private static Map<String, Object> answer(Object part, Object usage, String model) {
    Map<String, Object> candidate = new LinkedHashMap<>();
    candidate.put("content", Map.of("role", "model", "parts", List.of(part)));
    candidate.put("finishReason", "STOP");
    candidate.put("index", 0);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("candidates", new ArrayList<>(List.of(candidate)));
    if (usage != null) {
      out.put("usageMetadata", usage);
    }
    out.put("modelVersion", model);
    return out;
  }

  /** Vertex AI's 403 for a principal without {@code aiplatform.endpoints.predict}. */
  private static FakeResponse denied(String resource) {
    return FakeResponse.permissionDenied(
        "aiplatform.googleapis.com", "aiplatform.endpoints.predict", resource);
  }
}

package io.github.wif4j.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** Shared Jackson mapper and tolerant readers. Internal. */
public final class Json {
  /** The one mapper; thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** Whether {@code text} is a JSON object or array. */
  public static boolean isJson(String text) {
    return parse(text).map(n -> n.isContainerNode()).orElse(false);
  }

  /** Parses {@code text}, or empty when it is not JSON. Never throws. */
  public static Optional<JsonNode> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  /** A text field at {@code path} (e.g. "error", "message"), or empty. */
  public static Optional<String> text(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      if (n == null || !n.isObject()) {
        return Optional.empty();
      }
      n = n.get(p);
    }
    if (n == null || n.isNull() || n.isContainerNode()) {
      return Optional.empty();
    }
    return Optional.of(n.asText());
  }
}

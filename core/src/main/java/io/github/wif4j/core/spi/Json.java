package io.github.wif4j.core.spi;

import io.github.wif4j.core.internal.json.JsonTree;
import java.util.Map;
import java.util.Optional;

/**
 * Reads token and error responses for sources: tolerant, never throws, and works on plain Java
 * values, so a source needs no JSON library of its own. Backed by Gson's streaming reader, which
 * google-auth already loads.
 *
 * <pre>{@code
 * Map<String, String> fields = Json.flatObject(response.body()).orElseThrow(...);
 * String token = fields.get("access_token");
 * String why = Json.text(response.body(), "error", "message").orElse("(no message)");
 * }</pre>
 */
public final class Json {
  private Json() {}

  /** Whether {@code text} is one well-formed JSON object or array and nothing else. */
  public static boolean isWellFormed(String text) {
    return object(text).isPresent() || parse(text).filter(v -> v instanceof Iterable).isPresent();
  }

  /**
   * The JSON object in {@code text} as plain Java values (maps, lists, strings, {@code Long} or
   * {@code Double} numbers, booleans; JSON {@code null} as Java {@code null}); empty when it is not
   * a well-formed JSON object.
   */
  @SuppressWarnings("unchecked")
  public static Optional<Map<String, Object>> object(String text) {
    return parse(text).filter(v -> v instanceof Map).map(v -> (Map<String, Object>) v);
  }

  /**
   * The top-level string, number and boolean members of a JSON object, as strings (nested values
   * and nulls are skipped); empty when {@code text} is not a well-formed JSON object.
   */
  public static Optional<Map<String, String>> flatObject(String text) {
    return object(text)
        .map(
            m -> {
              Map<String, String> out = new java.util.LinkedHashMap<>();
              m.forEach(
                  (k, v) -> {
                    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                      out.put(k, String.valueOf(v));
                    }
                  });
              return out;
            });
  }

  /** The string, number or boolean at {@code path} in the JSON object {@code text}, or empty. */
  public static Optional<String> text(String text, String... path) {
    return object(text).flatMap(m -> text(m, path));
  }

  /** The string, number or boolean at {@code path} in {@code object}, or empty. */
  public static Optional<String> text(Map<String, ?> object, String... path) {
    Object v = object;
    for (String p : path) {
      if (!(v instanceof Map)) {
        return Optional.empty();
      }
      v = ((Map<?, ?>) v).get(p);
    }
    return v instanceof String || v instanceof Number || v instanceof Boolean
        ? Optional.of(String.valueOf(v))
        : Optional.empty();
  }

  /** Compact JSON for maps, lists, strings, numbers, booleans and nulls. */
  public static String write(Object value) {
    return JsonTree.write(value, false);
  }

  /** As {@link #write(Object)}, indented by two spaces. */
  public static String writePretty(Object value) {
    return JsonTree.write(value, true);
  }

  private static Optional<Object> parse(String text) {
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(JsonTree.parse(text, false));
    } catch (JsonTree.Malformed e) {
      return Optional.empty();
    }
  }
}

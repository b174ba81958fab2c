package io.github.wif4j.testing;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.ToNumberPolicy;
import java.util.List;
import java.util.Map;

/**
 * Gson helpers shared by the fakes (the JSON library google-auth, and so every wif4j user, already
 * has). Values are plain Java: maps, lists, strings, {@code Long}/{@code Double}, booleans.
 */
final class Jsons {
  private static final Gson GSON =
      new GsonBuilder()
          .setStrictness(Strictness.STRICT)
          .setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE)
          .disableHtmlEscaping()
          .serializeNulls()
          .create();

  private Jsons() {}

  static String write(Object o) {
    return GSON.toJson(o);
  }

  /** Parses any JSON value; IllegalArgumentException when {@code json} is not JSON. */
  static Object read(String json) {
    try {
      Object v = GSON.fromJson(json, Object.class);
      if (v == null) {
        throw new IllegalArgumentException("not JSON");
      }
      return v;
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> readMap(String json) {
    Object v = read(json);
    if (!(v instanceof Map)) {
      throw new IllegalArgumentException("not a JSON object");
    }
    return (Map<String, Object>) v;
  }

  /** The string at {@code key} of {@code map}, or {@code fallback}. */
  static String text(Map<String, Object> map, String key, String fallback) {
    Object v = map.get(key);
    return v == null || v instanceof Map || v instanceof List ? fallback : String.valueOf(v);
  }

  /** The list at {@code key} of {@code map}, or an empty list. */
  @SuppressWarnings("unchecked")
  static List<Object> list(Object map, String key) {
    Object v = map instanceof Map ? ((Map<String, Object>) map).get(key) : null;
    return v instanceof List ? (List<Object>) v : List.of();
  }
}

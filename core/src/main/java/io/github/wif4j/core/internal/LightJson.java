package io.github.wif4j.core.internal;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * JSON checks for the success path, on Gson's streaming reader, which google-auth has already
 * loaded: no Jackson databind initialisation (hundreds of classes, ~100 ms of cold start) until
 * something actually goes wrong and {@link Json} is needed to explain it. Internal.
 */
public final class LightJson {
  private LightJson() {}

  /** Whether {@code text} is one well-formed JSON object or array and nothing else. */
  public static boolean isWellFormed(String text) {
    try (JsonReader r = reader(text)) {
      JsonToken first = r.peek();
      if (first != JsonToken.BEGIN_OBJECT && first != JsonToken.BEGIN_ARRAY) {
        return false;
      }
      r.skipValue();
      return r.peek() == JsonToken.END_DOCUMENT;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * The top-level string, number and boolean members of a JSON object, as strings (nested values
   * are skipped); empty when {@code text} is not a well-formed JSON object.
   */
  public static Optional<Map<String, String>> flatObject(String text) {
    try (JsonReader r = reader(text)) {
      if (r.peek() != JsonToken.BEGIN_OBJECT) {
        return Optional.empty();
      }
      Map<String, String> out = new LinkedHashMap<>();
      r.beginObject();
      while (r.hasNext()) {
        String name = r.nextName();
        JsonToken t = r.peek();
        if (t == JsonToken.STRING || t == JsonToken.NUMBER) {
          out.put(name, r.nextString());
        } else if (t == JsonToken.BOOLEAN) {
          out.put(name, Boolean.toString(r.nextBoolean()));
        } else {
          r.skipValue();
        }
      }
      r.endObject();
      return r.peek() == JsonToken.END_DOCUMENT ? Optional.of(out) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static JsonReader reader(String text) {
    JsonReader r = new JsonReader(new StringReader(text == null ? "" : text));
    r.setStrictness(Strictness.STRICT);
    return r;
  }
}

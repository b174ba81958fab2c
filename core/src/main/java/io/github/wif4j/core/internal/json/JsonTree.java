package io.github.wif4j.core.internal.json;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.EOFException;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wif4j's one JSON stack: strict reading into plain Java values and writing them back, on Gson's
 * streaming reader and writer. google-auth has loaded Gson before wif4j parses anything, so this
 * adds about 25 classes to a cold start where Jackson's {@code readTree} added about 590 and
 * several hundred milliseconds ({@code benchmarks/.../JsonColdStart}). Internal: modules use {@link
 * io.github.wif4j.core.spi.Json}.
 *
 * <p>Values: {@link Map} (insertion order), {@link List}, {@link String}, {@link Long} for integers
 * that fit, {@link Double} for other numbers, {@link Boolean}, and {@code null} for JSON {@code
 * null}.
 */
public final class JsonTree {
  private static final int MAX_DEPTH = 64;
  private static final Pattern WHERE = Pattern.compile("line (\\d+) column (\\d+)");

  private JsonTree() {}

  /** Why text is not JSON, and where; never quotes the text (it may hold a secret). */
  public static final class Malformed extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong: {@code truncated}, {@code duplicate} or {@code invalid}. */
    public final String kind;

    /** 1-based position, 0 when unknown. */
    public final int line;

    /** 1-based position, 0 when unknown. */
    public final int column;

    Malformed(String kind, JsonReader r) {
      super(kind, null, false, false);
      this.kind = kind;
      Matcher m = WHERE.matcher(r.toString());
      boolean found = m.find();
      this.line = found ? Integer.parseInt(m.group(1)) : 0;
      this.column = found ? Integer.parseInt(m.group(2)) : 0;
    }
  }

  /**
   * Parses one strict JSON document (no comments, no trailing tokens); {@code uniqueKeys} also
   * rejects an object naming a key twice (otherwise the last wins).
   *
   * @throws Malformed when it is not one
   */
  public static Object parse(String text, boolean uniqueKeys) throws Malformed {
    JsonReader r = new JsonReader(new StringReader(text == null ? "" : text));
    r.setStrictness(Strictness.STRICT);
    boolean complete = false;
    try {
      Object v = read(r, 0, uniqueKeys);
      complete = true;
      if (r.peek() != JsonToken.END_DOCUMENT) {
        throw new Malformed("invalid", r);
      }
      return v;
    } catch (EOFException e) {
      throw new Malformed(complete ? "invalid" : "truncated", r);
    } catch (IOException | RuntimeException e) {
      // Gson's messages may quote the offending token: keep only the position
      if (e instanceof DuplicateKey) {
        throw new Malformed("duplicate", r);
      }
      Malformed m = new Malformed("invalid", r);
      // an unterminated string or literal fails at the very end of the input: truncated
      String t = text == null ? "" : text.stripTrailing();
      int lastLine = (int) t.chars().filter(c -> c == '\n').count() + 1;
      int lastLength = t.length() - t.lastIndexOf('\n') - 1;
      throw !complete && m.line == lastLine && m.column > lastLength
          ? new Malformed("truncated", r)
          : m;
    }
  }

  private static final class DuplicateKey extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DuplicateKey() {
      super(null, null, false, false);
    }
  }

  private static Object read(JsonReader r, int depth, boolean unique) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException("too deep");
    }
    switch (r.peek()) {
      case BEGIN_OBJECT:
        Map<String, Object> m = new LinkedHashMap<>();
        r.beginObject();
        while (r.hasNext()) {
          String name = r.nextName();
          if (unique && m.containsKey(name)) {
            throw new DuplicateKey();
          }
          m.put(name, read(r, depth + 1, unique));
        }
        r.endObject();
        return m;
      case BEGIN_ARRAY:
        List<Object> l = new ArrayList<>();
        r.beginArray();
        while (r.hasNext()) {
          l.add(read(r, depth + 1, unique));
        }
        r.endArray();
        return l;
      case STRING:
        return r.nextString();
      case NUMBER:
        String n = r.nextString();
        try {
          return Long.parseLong(n);
        } catch (NumberFormatException e) {
          return Double.parseDouble(n);
        }
      case BOOLEAN:
        return r.nextBoolean();
      case NULL:
        r.nextNull();
        return null;
      default:
        throw new IOException("unexpected " + r.peek());
    }
  }

  /**
   * Writes plain Java values as JSON: maps, iterables, strings, numbers, booleans, null; anything
   * else as its {@code toString()}. {@code pretty}: two-space indent and {@code "key": value}.
   */
  public static String write(Object value, boolean pretty) {
    StringWriter out = new StringWriter();
    try (JsonWriter w = new JsonWriter(out)) {
      w.setHtmlSafe(false);
      w.setSerializeNulls(true);
      if (pretty) {
        w.setIndent("  ");
      }
      write(w, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString();
  }

  private static void write(JsonWriter w, Object v) throws IOException {
    if (v == null) {
      w.nullValue();
    } else if (v instanceof Map) {
      w.beginObject();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        w.name(String.valueOf(e.getKey()));
        write(w, e.getValue());
      }
      w.endObject();
    } else if (v instanceof Iterable) {
      w.beginArray();
      for (Object o : (Iterable<?>) v) {
        write(w, o);
      }
      w.endArray();
    } else if (v instanceof Boolean) {
      w.value((Boolean) v);
    } else if (v instanceof Number) {
      w.value((Number) v);
    } else {
      w.value(String.valueOf(v));
    }
  }
}

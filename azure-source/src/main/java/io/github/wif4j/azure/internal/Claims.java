package io.github.wif4j.azure.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import io.github.wif4j.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a JWT's claims without verifying it (to explain, never to trust). */
public final class Claims {
  private Claims() {}

  /** The claims, or an empty map when {@code jwt} is not a JWT. */
  public static Map<String, Object> of(String jwt) {
    String[] parts = jwt == null ? new String[0] : jwt.split("\\.");
    if (parts.length < 2) {
      return Map.of();
    }
    try {
      String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
      return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (Exception e) {
      return Map.of();
    }
  }
}

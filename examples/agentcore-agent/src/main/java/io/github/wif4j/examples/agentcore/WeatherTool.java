package io.github.wif4j.examples.agentcore;

import com.google.adk.tools.Annotations.Schema;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's one tool. Canned data keeps the example self-contained; a real tool would call a
 * weather API (with AWS credentials from the execution role, or Google ones from wif4j).
 */
public final class WeatherTool {
  private WeatherTool() {}

  /** The forecast for {@code city}. */
  @Schema(name = "get_weather", description = "Returns today's weather forecast for a city.")
  public static Map<String, Object> getWeather(
      @Schema(name = "city", description = "The city, e.g. Tokyo") String city) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("city", city);
    out.put("forecast", "sunny");
    out.put("temperature_celsius", 22);
    return out;
  }
}

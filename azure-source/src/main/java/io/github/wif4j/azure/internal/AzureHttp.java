package io.github.wif4j.azure.internal;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.spi.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Small helpers shared by the Azure endpoints. */
public final class AzureHttp {
  private AzureHttp() {}

  /**
   * Whether a 200 carries a usable token document; a truncated or garbled one is retried like a 5xx
   * instead of failing the caller.
   */
  public static boolean hasToken(HttpExecutor.Response r) {
    return Json.flatObject(r.body())
        .map(m -> m.get("access_token"))
        .filter(t -> !t.isBlank())
        .isPresent();
  }

  /** A step-SOURCE failure for a variable the platform should have set. */
  public static FederationException missing(String variable) {
    return FederationException.builder(Step.SOURCE, variable + " is not set")
        .fix(
            "This Azure source needs "
                + variable
                + "; the platform sets it when the identity is enabled.")
        .build();
  }

  /**
   * {@code value} as an absolute http(s) URI.
   *
   * @throws ConfigurationException naming {@code field} otherwise
   */
  public static URI httpUri(String field, String value) {
    try {
      URI u = URI.create(value.trim());
      if (u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        return u;
      }
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw ConfigurationException.of(
        field,
        "'" + value + "' is not an absolute http(s) URL",
        "e.g. http://localhost:42356/msi/token");
  }

  /** A form-encoded query string in map order. */
  public static String query(Map<String, String> q) {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, String> e : q.entrySet()) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(e.getKey())
          .append('=')
          .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
    }
    return sb.toString();
  }

  /** {@code u} without a trailing slash. */
  public static String stripSlash(String u) {
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  /** The Entra v2 scope for a v1 resource: {@code api://x} becomes {@code api://x/.default}. */
  public static String scopeFor(String resource) {
    return stripSlash(resource) + "/.default";
  }
}

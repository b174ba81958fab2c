package io.github.wif4j.core.config;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.internal.config.Checks;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A subject token fetched with an HTTP GET on every exchange, e.g. from Azure IMDS:
 *
 * <pre>{@code
 * "credential_source": {
 *   "url": "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=api://APP_ID",
 *   "headers": {"Metadata": "True"},
 *   "format": {"type": "json", "subject_token_field_name": "access_token"}
 * }
 * }</pre>
 *
 * <p>Header values may be secrets: {@link #toString()} prints header names only. Immutable.
 */
public final class UrlCredentialSource implements CredentialSource {
  private final String url;
  private final Map<String, String> headers;
  private final Format format;

  private UrlCredentialSource(String url, Map<String, String> headers, Format format) {
    this.url = url;
    this.headers = headers;
    this.format = format;
  }

  /**
   * A URL source. {@code headers} may be null or empty; {@code format} null means text.
   *
   * @throws ConfigurationException naming {@code credential_source.url} or {@code
   *     credential_source.headers}
   */
  public static UrlCredentialSource of(String url, Map<String, String> headers, Format format) {
    Checks.httpUrl(
        "credential_source.url",
        url,
        "http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01"
            + "&resource=APP_ID_URI");
    Map<String, String> copy = new LinkedHashMap<>();
    if (headers != null) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        String name = e.getKey();
        if (name == null || name.isBlank() || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
          throw ConfigurationException.of(
              "credential_source.headers",
              "'" + name + "' is not a valid HTTP header name",
              "header names of letters, digits and '-', e.g. Metadata");
        }
        if (e.getValue() == null) {
          throw ConfigurationException.missing(
              "credential_source.headers." + name, "a string header value");
        }
      }
      copy.putAll(headers);
    }
    return new UrlCredentialSource(
        url, Collections.unmodifiableMap(copy), format == null ? Format.text() : format);
  }

  @Override
  public String kind() {
    return "url";
  }

  /** The URL fetched with GET. */
  public String url() {
    return url;
  }

  /** Request headers, in file order; values may be secret. */
  public Map<String, String> headers() {
    return headers;
  }

  /** How the response holds the token. */
  public Format format() {
    return format;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UrlCredentialSource other
        && other.url.equals(url)
        && other.headers.equals(headers)
        && other.format.equals(format);
  }

  @Override
  public int hashCode() {
    return Objects.hash(url, headers, format);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("UrlCredentialSource{").append(url);
    if (!headers.isEmpty()) {
      sb.append(", headers={");
      String sep = "";
      for (String name : headers.keySet()) {
        sb.append(sep).append(name).append("=<redacted>");
        sep = ", ";
      }
      sb.append('}');
    }
    return sb.append(", ").append(format).append('}').toString();
  }
}

package io.github.wif4j.core.internal.config;

import io.github.wif4j.core.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Field validators shared by the builder, the environment reader and the {@code external_account}
 * parser. Each takes the name the user knows the value by (a builder method, an env var or a JSON
 * path) so the same rule yields a message in the user's own terms. Internal: not part of the API.
 */
public final class Checks {
  /** Default impersonated-token lifetime. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(3600);

  /** Shortest impersonated-token lifetime IAM Credentials accepts. */
  public static final long MIN_LIFETIME_SECONDS = 600;

  /** Longest impersonated-token lifetime IAM Credentials accepts. */
  public static final long MAX_LIFETIME_SECONDS = 43200;

  /** The default universe. */
  public static final String DEFAULT_UNIVERSE = "googleapis.com";

  /** The default OAuth scope. */
  public static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  // Only characters that the impersonation URL's path carries as they are: anything else (a quote,
  // a brace, '%') would make URI.create fail deep inside instead of naming the field.
  private static final Pattern EMAIL =
      Pattern.compile("[A-Za-z0-9._+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
  private static final Pattern IMPERSONATION_PATH =
      Pattern.compile(".*/serviceAccounts/([^/]*):generateAccessToken");
  private static final Pattern DOMAIN =
      Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+");

  private Checks() {}

  /** {@code value} unless it is null, empty or blank. */
  public static String nonBlank(String field, String value, String expected) {
    if (value == null) {
      throw ConfigurationException.missing(field, expected);
    }
    if (value.isBlank()) {
      throw ConfigurationException.of(
          field, value.isEmpty() ? "is empty" : "is blank (only whitespace)", expected);
    }
    return value;
  }

  /** {@code value}, which must be non-blank and contain no whitespace at all. */
  public static String token(String field, String value, String expected) {
    nonBlank(field, value, expected);
    if (!value.equals(value.strip()) || value.chars().anyMatch(Character::isWhitespace)) {
      throw ConfigurationException.of(
          field, "'" + value + "' contains whitespace", expected + " (no spaces)");
    }
    return value;
  }

  /**
   * An https endpoint with a host and no user info; {@code strict} also rejects a query string and
   * a fragment (token endpoints take their parameters in the form body).
   */
  public static URI httpsUrl(String field, String value, boolean strict, String example) {
    String expected = "an https URL with a host, e.g. " + example;
    token(field, value, expected);
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw ConfigurationException.of(
          field, "'" + value + "' is not a valid URL (" + e.getReason() + ")", expected);
    }
    String scheme = uri.getScheme();
    if (scheme == null || !"https".equals(scheme.toLowerCase(Locale.ROOT))) {
      String why =
          scheme == null
              ? "has no scheme"
              : "http".equalsIgnoreCase(scheme)
                  ? "uses plain http; tokens must only travel over TLS"
                  : "uses the scheme '" + scheme + "'";
      throw ConfigurationException.of(field, "'" + value + "' " + why, expected);
    }
    if (uri.getRawUserInfo() != null) {
      // Do not echo the URL: user info may carry a password.
      throw ConfigurationException.of(
          field,
          "contains user info (user@ or user:password@ before the host), which is not allowed",
          expected);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw ConfigurationException.of(field, "'" + value + "' has no host", expected);
    }
    if (strict && uri.getRawQuery() != null) {
      throw ConfigurationException.of(
          field, "'" + value + "' has a query string", expected + " without '?...'");
    }
    if (strict && uri.getRawFragment() != null) {
      throw ConfigurationException.of(
          field, "'" + value + "' has a fragment", expected + " without '#...'");
    }
    return uri;
  }

  /** An http(s) URL with a host, for metadata endpoints that may be plain http (AWS IMDS). */
  public static String httpUrl(String field, String value, String example) {
    String expected = "an http or https URL with a host, e.g. " + example;
    token(field, value, expected);
    try {
      URI uri = new URI(value.replace("{region}", "region"));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw ConfigurationException.of(
            field, "'" + value + "' is not an http or https URL", expected);
      }
      if (uri.getHost() == null || uri.getHost().isEmpty()) {
        throw ConfigurationException.of(field, "'" + value + "' has no host", expected);
      }
    } catch (URISyntaxException e) {
      throw ConfigurationException.of(
          field, "'" + value + "' is not a valid URL (" + e.getReason() + ")", expected);
    }
    return value;
  }

  /** A service account (or other principal) email. */
  public static String email(String field, String value) {
    String expected = "a service account email like NAME@PROJECT_ID.iam.gserviceaccount.com";
    nonBlank(field, value, expected);
    if (value.startsWith("serviceAccount:")) {
      throw ConfigurationException.of(
          field,
          "'" + value + "' is an IAM member string, not an email",
          "just the email: " + value.substring("serviceAccount:".length()));
    }
    if (value.chars().anyMatch(Character::isWhitespace)) {
      throw ConfigurationException.of(field, "'" + value + "' contains whitespace", expected);
    }
    if (value.indexOf('@') < 0) {
      String hint =
          value.chars().allMatch(Character::isDigit)
              ? " (it looks like the service account's numeric unique ID)"
              : "";
      throw ConfigurationException.of(
          field,
          "'" + value + "' is not an email" + hint,
          value.matches("[a-z][a-z0-9-]{4,28}[a-z0-9]")
              ? value + "@PROJECT_ID.iam.gserviceaccount.com"
              : expected);
    }
    if (!EMAIL.matcher(value).matches()) {
      throw ConfigurationException.of(field, "'" + value + "' is not a valid email", expected);
    }
    return value;
  }

  /** A lifetime of whole seconds within IAM Credentials' bounds. */
  public static Duration lifetime(String field, Duration lifetime) {
    if (lifetime == null) {
      throw ConfigurationException.missing(field, "a duration from 600 s to 43200 s");
    }
    if (lifetime.getNano() != 0) {
      throw ConfigurationException.of(
          field, lifetime + " has a fraction of a second", "whole seconds from 600 to 43200");
    }
    long seconds = lifetime.getSeconds();
    if (seconds < MIN_LIFETIME_SECONDS || seconds > MAX_LIFETIME_SECONDS) {
      throw ConfigurationException.of(
          field,
          seconds + " seconds is out of range",
          "an integer number of seconds from 600 to 43200 (default 3600); more than 3600 also"
              + " needs the organization policy"
              + " constraints/iam.allowServiceAccountCredentialLifetimeExtension to list the"
              + " service account");
    }
    return lifetime;
  }

  /** A universe domain such as {@code googleapis.com}. */
  public static String universeDomain(String field, String value) {
    String expected = "a domain such as googleapis.com (the default) or your universe's domain";
    token(field, value, expected);
    if (value.contains("://") || value.contains("/")) {
      throw ConfigurationException.of(field, "'" + value + "' is a URL, not a domain", expected);
    }
    if (!DOMAIN.matcher(value).matches()) {
      throw ConfigurationException.of(field, "'" + value + "' is not a domain name", expected);
    }
    return value;
  }

  /**
   * The email inside an impersonation URL {@code .../serviceAccounts/EMAIL:generateAccessToken}.
   */
  public static String impersonatedEmail(String field, URI url, String universe) {
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    Matcher m = IMPERSONATION_PATH.matcher(path);
    String shape =
        "https://iamcredentials."
            + universe
            + "/v1/projects/-/serviceAccounts/NAME@PROJECT_ID.iam.gserviceaccount.com"
            + ":generateAccessToken";
    if (!m.matches()) {
      throw ConfigurationException.of(
          field, "'" + url + "' does not end in /serviceAccounts/EMAIL:generateAccessToken", shape);
    }
    String email = URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    if (email.isEmpty() || email.indexOf('@') < 0) {
      throw ConfigurationException.of(
          field,
          "'"
              + url
              + "' names no service account email"
              + (email.isEmpty() ? "" : " ('" + email + "' is not an email)"),
          shape);
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw ConfigurationException.of(field, "'" + url + "' has a query or fragment", shape);
    }
    return email(field, email);
  }

  /** The standard impersonation URL for {@code email}. */
  public static URI impersonationUrl(String email, String universe) {
    // Concatenation, not String.formatted: this runs while credentials are built (see shape() in
    // WorkloadIdentityAudience for the start-up cost of a first Formatter).
    return URI.create(
        "https://iamcredentials."
            + universe
            + "/v1/projects/-/serviceAccounts/"
            + email
            + ":generateAccessToken");
  }

  /** A non-empty list of scopes, each non-blank. */
  public static List<String> scopes(String field, List<String> scopes) {
    String expected = "one or more OAuth scopes, e.g. " + CLOUD_PLATFORM;
    if (scopes == null) {
      throw ConfigurationException.missing(field, expected);
    }
    if (scopes.isEmpty()) {
      throw ConfigurationException.of(field, "is an empty list", expected);
    }
    List<String> out = new ArrayList<>(scopes.size());
    for (int i = 0; i < scopes.size(); i++) {
      out.add(token(field + "[" + i + "]", scopes.get(i), expected));
    }
    return List.copyOf(out);
  }

  /** Parses a decimal integer, naming the field and value when it is not one. */
  public static long integer(String field, String value, String expected) {
    nonBlank(field, value, expected);
    String v = value.strip();
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      String hint = v.matches("\\d+\\s*s") ? " (write the number of seconds without 's')" : "";
      throw ConfigurationException.of(field, "'" + value + "' is not an integer" + hint, expected);
    }
  }

  /**
   * {@code e} in the terms of another input: its field and every name of {@code names} in its text
   * replaced (e.g. {@code tokenUrl -> token_url} for a configuration file); {@code e} itself when
   * its field is not one of them. The builder owns the checks; the file and environment readers
   * rename what it throws.
   */
  public static ConfigurationException renamed(
      ConfigurationException e, Map<String, String> names) {
    Matcher index = Pattern.compile("(\\w+)(\\[\\d+])?").matcher(e.field());
    if (!index.matches() || !names.containsKey(index.group(1))) {
      return e;
    }
    String field = names.get(index.group(1)) + (index.group(2) == null ? "" : index.group(2));
    String problem = problem(e);
    String expected = e.expected();
    for (Map.Entry<String, String> n : names.entrySet()) {
      String word = "\\b" + Pattern.quote(n.getKey()) + "\\b";
      String replacement = Matcher.quoteReplacement(n.getValue());
      problem = problem.replaceAll(word, replacement);
      expected = expected == null ? null : expected.replaceAll(word, replacement);
    }
    return ConfigurationException.of(field, problem, expected, e.getCause());
  }

  /** What {@code e} says is wrong: its message without the field and the expectation. */
  public static String problem(ConfigurationException e) {
    String msg = e.getMessage();
    String problem = msg.startsWith(e.field() + ": ") ? msg.substring(e.field().length() + 2) : msg;
    String tail = e.expected() == null ? "" : ". Expected: " + e.expected();
    return !tail.isEmpty() && problem.endsWith(tail)
        ? problem.substring(0, problem.length() - tail.length())
        : problem;
  }
}

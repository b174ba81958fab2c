package io.github.wif4j.core.http;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.spi.Json;
import java.net.URI;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * An error answer from an endpoint google-auth called through {@link Wif4jTransportFactory}: the
 * endpoint's name, HTTP status, the OAuth or Google error fields and the server's clock, already
 * scrubbed of secrets. It reaches callers as the cause of the {@link FederationException} that
 * {@code FederatedCredentials} explains; read it with {@code instanceof} to tell, e.g., an STS
 * {@code invalid_grant} from an IAM {@code PERMISSION_DENIED}. Created only by wif4j's transport.
 */
public final class HttpFailure extends FederationException {
  private static final long serialVersionUID = 1L;

  private final String error;
  private final String description;
  private final Instant serverDate;

  private HttpFailure(Builder builder, String error, String description, Instant serverDate) {
    super(builder);
    this.error = error;
    this.description = description;
    this.serverDate = serverDate;
  }

  private static final String GCE_IDENTITY = "/computeMetadata/v1/instance/service-accounts/";

  /** Classifies {@code response} from {@code uri}. */
  static HttpFailure from(URI uri, HttpExecutor.Response response) {
    Step step = stepFor(uri);
    String endpoint = endpointNameFor(uri);
    // Error bodies arrive cut at 16 KiB; a cut one is not parsed. Fields are cut before scrubbing.
    Optional<Map<String, Object>> json =
        response.truncated() ? Optional.empty() : Json.object(response.body());
    String error = null;
    String description = null;
    if (json.isPresent()) {
      Map<String, Object> n = json.get();
      if (n.get("error") instanceof String) { // OAuth 2.0 (STS, Entra, Azure IMDS)
        error = (String) n.get("error");
        description = Json.text(n, "error_description").orElse(null);
      } else if (n.get("error") instanceof Map) { // Google API envelope (IAM Credentials)
        error = Json.text(n, "error", "status").orElse(null);
        description = Json.text(n, "error", "message").orElse(null);
      } else if (n.containsKey("message")) {
        description = Json.text(n, "message").orElse(null);
      }
    }
    error = error == null ? null : cut(response.redact(cut(error, 100)), 100);
    String scrubbedDescription =
        description == null ? null : response.redact(cut(description, 500)).strip();
    StringBuilder msg = new StringBuilder();
    msg.append(endpoint).append(" answered HTTP ").append(response.status());
    if (error != null) {
      msg.append(" ").append(error);
    }
    if (scrubbedDescription != null) {
      msg.append(": ").append(scrubbedDescription);
    } else if (error == null) {
      msg.append(" with ").append(response.errorExcerpt());
    }
    boolean retryable = response.status() == 429 || response.status() >= 500;
    Builder b =
        FederationException.builder(step, msg.toString())
            .httpStatus(response.status())
            .errorCode(error)
            .retryable(retryable);
    Instant date = null;
    try {
      date =
          response
              .header("Date")
              .map(d -> ZonedDateTime.parse(d.trim(), DateTimeFormatter.RFC_1123_DATE_TIME))
              .map(ZonedDateTime::toInstant)
              .orElse(null);
    } catch (DateTimeParseException e) {
      // an unparsable Date header: no clock comparison
    }
    return new HttpFailure(b, error, scrubbedDescription, date);
  }

  /** The server's {@code Date} header: its clock when it answered, for clock-skew checks. */
  public Optional<Instant> serverDate() {
    return Optional.ofNullable(serverDate);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  /** The OAuth {@code error} or Google {@code error.status}, if any. */
  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  /** The scrubbed {@code error_description} or {@code error.message}, if any. */
  public Optional<String> description() {
    return Optional.ofNullable(description);
  }

  /** Which step a URL belongs to. */
  static Step stepFor(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.endsWith(":generateAccessToken")) {
      return Step.IMPERSONATION;
    }
    if (path.endsWith(":generateIdToken")
        || path.startsWith(GCE_IDENTITY) && path.endsWith("/identity")) {
      return Step.ID_TOKEN;
    }
    if (path.endsWith("/token") && String.valueOf(uri.getHost()).startsWith("sts")
        || path.equals("/v1/token")) {
      return Step.STS;
    }
    return Step.SUBJECT_TOKEN;
  }

  /** A human name for the endpoint of {@code uri}. */
  static String endpointNameFor(URI uri) {
    return switch (stepFor(uri)) {
      case ID_TOKEN ->
          String.valueOf(uri.getPath()).endsWith("/identity")
              ? "GCE metadata server"
              : "IAM Credentials";
      case IMPERSONATION -> "IAM Credentials";
      case STS -> "Google STS";
      default -> "subject-token endpoint " + uri.getHost();
    };
  }
}

package io.github.wif4j.azure.internal;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.cache.Refreshed;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.spi.Json;
import io.github.wif4j.core.spi.Redaction;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parses Azure token responses and turns Azure error bodies into explained failures. */
public final class AzureTokens {
  private static final List<DateTimeFormatter> LEGACY_FORMATS =
      List.of(
          DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a xxx", Locale.ROOT),
          DateTimeFormatter.ofPattern("M/d/yyyy H:mm:ss xxx", Locale.ROOT));

  private AzureTokens() {}

  /**
   * A token and its expiry from a 200 body.
   *
   * @param value the access token (a JWT). Never log it.
   * @param expiresAt when it expires
   */
  public record Token(String value, Instant expiresAt) {
    /** As the JWT subject token, cached until it expires. */
    public Refreshed<SubjectToken> asSubjectToken() {
      return Refreshed.expiringAt(
          SubjectToken.of(value, SubjectTokenType.JWT, expiresAt), expiresAt);
    }

    @Override
    public String toString() {
      return "Token{" + Redaction.fingerprint(value) + ", expires " + expiresAt + "}";
    }
  }

  /**
   * Parses {@code access_token} with {@code expires_on} (epoch seconds as a string, or the legacy
   * Windows date form) or {@code expires_in}.
   */
  public static Token parse(HttpExecutor.Response r, String endpoint, Clock clock)
      throws FederationException {
    Map<String, String> node =
        Json.flatObject(r.body())
            .orElseThrow(() -> malformed(endpoint, "a body that is not a JSON object", r));
    String token =
        Optional.ofNullable(node.get("access_token"))
            .filter(s -> !s.isBlank())
            .orElseThrow(() -> malformed(endpoint, "no access_token", r));
    Optional<String> on = Optional.ofNullable(node.get("expires_on"));
    Instant expiry = null;
    if (on.isPresent()) {
      expiry = expiresOn(on.get().trim());
      if (expiry == null && node.get("expires_in") == null) {
        throw malformed(endpoint, "an expires_on that is no date or is out of range", r);
      }
    }
    if (expiry == null) {
      Optional<String> in = Optional.ofNullable(node.get("expires_in"));
      if (in.isPresent()) {
        try {
          expiry = clock.instant().plusSeconds(Long.parseLong(in.get().trim()));
        } catch (NumberFormatException | DateTimeException | ArithmeticException e) {
          throw malformed(endpoint, "an expires_in that is not a number of seconds in range", r);
        }
      }
    }
    if (expiry == null) {
      throw malformed(endpoint, "neither expires_on nor expires_in", r);
    }
    return new Token(token, expiry);
  }

  private static Instant expiresOn(String value) {
    if (value.matches("\\d+")) {
      if (value.length() > 12) {
        return null; // beyond the year 33658: not a date, and would overflow
      }
      try {
        return Instant.ofEpochSecond(Long.parseLong(value));
      } catch (NumberFormatException | DateTimeException e) {
        return null;
      }
    }
    if (value.length() > 64) {
      return null;
    }
    for (DateTimeFormatter f : LEGACY_FORMATS) {
      try {
        return ZonedDateTime.parse(value, f).toInstant();
      } catch (DateTimeParseException ignored) {
        // next format
      }
    }
    return null;
  }

  private static FederationException malformed(
      String endpoint, String what, HttpExecutor.Response r) {
    // a success body may hold a token: described, never quoted
    return FederationException.builder(
            Step.SUBJECT_TOKEN,
            endpoint
                + " answered HTTP "
                + r.status()
                + " with "
                + what
                + " ("
                + r.bodyBytes().length
                + " bytes, not quoted)")
        .fix("Check that the endpoint is the Azure managed identity endpoint.")
        .retryable(true)
        .build();
  }

  /** An explained failure for a non-2xx answer of an Azure identity endpoint. */
  public static FederationException failure(
      HttpExecutor.Response r, String endpoint, String resource) {
    return failure(r, endpoint, resource, false);
  }

  /**
   * As {@link #failure(HttpExecutor.Response, String, String)}; {@code imds} marks 404 and 410 as
   * transient (IMDS answers them while it is being updated).
   */
  public static FederationException failure(
      HttpExecutor.Response r, String endpoint, String resource, boolean imds) {
    boolean updating = imds && (r.status() == 404 || r.status() == 410);
    // error bodies arrive cut at 16 KiB: a cut one is not parsed; fields are cut, then redacted
    // of every value the request sent (the IDENTITY_HEADER included) and scrubbed
    Optional<Map<String, Object>> node = r.truncated() ? Optional.empty() : Json.object(r.body());
    String error =
        node.flatMap(n -> Json.text(n, "error")).map(e -> r.redact(cut(e, 100))).orElse(null);
    String description =
        node.flatMap(n -> Json.text(n, "error_description"))
            .or(() -> node.flatMap(n -> Json.text(n, "message")))
            .or(() -> node.flatMap(n -> Json.text(n, "Message")))
            .map(d -> r.redact(cut(d, 500)))
            .orElseGet(r::errorExcerpt);
    int cut = description.indexOf("\r\n");
    if (cut > 0) {
      description = description.substring(0, cut); // drop trace/correlation ids
    }
    String fix;
    boolean unregistered = isUnregisteredResource(r, resource);
    if (unregistered) {
      description =
          description
              + ". App Service and Container Apps answer this generic 500 when the resource has"
              + " no app registration in the tenant; it is not transient";
      fix =
          "Request a token for a resource that exists in the tenant: https://management.azure.com/"
              + " (the default; the provider's allowed audience must then be"
              + " https://management.azure.com/), or the Application ID URI of an app"
              + " registration (az ad app show --id <app id> --query identifierUris). Set it with "
              + AzureEnv.RESOURCE
              + " and keep it equal to the provider's --allowed-audiences.";
    } else if (description.contains("AADSTS70021")) {
      fix =
          "Entra found no federated identity credential matching the cluster token's issuer,"
              + " subject and audience (quoted above). Create one on the app or user-assigned"
              + " identity: az identity federated-credential create --name wif4j"
              + " --identity-name <identity> --resource-group <rg> --issuer <AKS OIDC issuer URL>"
              + " --subject system:serviceaccount:<namespace>:<service account>"
              + " --audiences api://AzureADTokenExchange";
    } else if (description.contains("AADSTS500011") || "invalid_resource".equals(error)) {
      fix =
          "The resource '"
              + resource
              + "' does not exist in this tenant. Use the application ID URI of an app"
              + " registration (az ad app show --id <app id> --query identifierUris), set with "
              + AzureEnv.RESOURCE
              + ", or https://management.azure.com/.";
    } else if (description.contains("Unable to load the proper Managed Identity")
        || description.contains("Identity not found")) {
      fix =
          "No managed identity matches: enable the system-assigned identity (az webapp identity"
              + " assign / az vm identity assign), or assign the user-assigned identity and pass its"
              + " client id (AZURE_CLIENT_ID or AzureSource.builder().clientId(...)).";
    } else if (updating) {
      fix =
          "Azure IMDS answers 404/410 while it is being updated (up to about 70 s); wif4j retried"
              + " within the transport deadline. Retry later, or raise TransportPolicy.deadline.";
    } else if (r.status() == 401 || r.status() == 403) {
      fix =
          "The identity endpoint refused the request's secret header; IDENTITY_HEADER/MSI_SECRET"
              + " are read on every fetch, so check the process sees the platform's current values.";
    } else {
      fix = "Retry later; if it persists, check the managed identity configuration in Azure.";
    }
    return FederationException.builder(
            Step.SUBJECT_TOKEN,
            endpoint
                + " answered HTTP "
                + r.status()
                + (error == null ? "" : " " + error)
                + ": "
                + description
                + " (resource "
                + resource
                + ")")
        .fix(fix)
        .httpStatus(r.status())
        .errorCode(error)
        .retryable(!unregistered && (updating || r.status() == 429 || r.status() >= 500))
        .build();
  }

  /**
   * App Service's and Container Apps' generic 500 for a resource without an app registration ("An
   * unexpected error occured while fetching the AAD Token", their spelling). For Azure Resource
   * Manager, which always exists, the same text is taken for a real outage.
   */
  public static boolean isUnregisteredResource(HttpExecutor.Response r, String resource) {
    return r.status() == 500
        && r.body().toLowerCase(java.util.Locale.ROOT).contains("while fetching the aad token")
        && !String.valueOf(resource).startsWith("https://management.azure.com");
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }
}

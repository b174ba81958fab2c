package io.github.wif4j.genai;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.errors.ApiException;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.core.diagnostics.Explanations;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Explains Vertex AI's refusals of a google-genai call in wif4j's terms: who was refused (the
 * impersonated service account, or the federated principal) and the {@code roles/aiplatform.user}
 * grant that fixes it, or the API switched off in the project. Opt-in: wrap the calls whose
 * failures you want explained.
 *
 * <pre>{@code
 * String text = VertexAiErrors.explaining(credentials, "my-project",
 *     () -> gemini.models.generateContent("gemini-2.5-flash", "Hello", null).text());
 * // a 403 now throws VertexAiErrors.AccessDeniedException whose message ends with
 * // "Fix: ... gcloud projects add-iam-policy-binding my-project --role=roles/aiplatform.user ..."
 * }</pre>
 *
 * <p>Stateless and thread-safe. Other failures pass through unchanged.
 */
public final class VertexAiErrors {
  private VertexAiErrors() {}

  /**
   * Thrown by {@link #explaining} for a Vertex AI 403: an unchecked wrapper whose {@linkplain
   * #getCause() cause} is the explained {@link FederationException} (step {@code API_CALL}).
   */
  public static final class AccessDeniedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AccessDeniedException(FederationException cause) {
      super(cause.getMessage(), cause);
    }

    /** The explanation, with its {@link FederationException#fix()}. */
    public FederationException explanation() {
      return (FederationException) getCause();
    }
  }

  /**
   * Runs {@code call}; a Vertex AI 403 it throws becomes an {@link AccessDeniedException}
   * explaining it, anything else passes through.
   *
   * @param credentials the credentials the client uses (a {@link FederatedCredentials} gives the
   *     most precise explanation)
   * @param project the project in the client, or null
   */
  public static <T> T explaining(GoogleCredentials credentials, String project, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      Optional<FederationException> x = explain(e, credentials, project);
      if (x.isPresent()) {
        throw new AccessDeniedException(x.get());
      }
      throw e;
    }
  }

  /**
   * The explanation of {@code failure} when it is (or wraps) a google-genai {@link ApiException}
   * with HTTP 403; empty otherwise.
   */
  public static Optional<FederationException> explain(
      Throwable failure, GoogleCredentials credentials, String project) {
    ApiException api = null;
    for (Throwable t = failure; t != null && api == null; t = t.getCause()) {
      if (t instanceof ApiException) {
        api = (ApiException) t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (api == null || api.code() != 403) {
      return Optional.empty();
    }
    String serviceAccount = null;
    WorkloadIdentityAudience aud = null;
    if (credentials instanceof FederatedCredentials) {
      FederatedCredentials f = (FederatedCredentials) credentials;
      serviceAccount = f.settings().serviceAccountEmail().orElse(null);
      aud = f.settings().audience();
    }
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", api.code());
    error.put("status", api.status());
    error.put("message", api.message());
    String body = io.github.wif4j.core.spi.Json.write(Map.of("error", error));
    Optional<Explanations.Explained> x =
        Explanations.googleApiDenied(body, serviceAccount, List.of(), aud, project);
    String status = api.status();
    return x.map(
        e ->
            FederationException.builder(Step.API_CALL, "Vertex AI answered HTTP 403: " + e.cause())
                .fix(e.fix())
                .httpStatus(403)
                .errorCode(status)
                .cause(failure)
                .build());
  }
}

package io.github.wif4j.gcp2aws.internal;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.internal.Redaction;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** ID tokens from the GCE / Cloud Run / GKE metadata server. Internal. */
public final class MetadataIdTokenSource implements IdTokenSource {
  static final String DEFAULT_HOST = "metadata.google.internal";
  private static final String IDENTITY_PATH =
      "/computeMetadata/v1/instance/service-accounts/default/identity";

  private final Environment environment;
  private final HttpExecutor http;

  /** A source reading {@code GCE_METADATA_HOST} from {@code environment} on every fetch. */
  public MetadataIdTokenSource(Environment environment, TransportPolicy policy) {
    this.environment = environment;
    this.http = HttpExecutor.create(policy);
  }

  /** {@code http://HOST[:PORT]}, honouring {@code GCE_METADATA_HOST}. */
  static String baseUrl(Environment environment) {
    String host = environment.get("GCE_METADATA_HOST").orElse(DEFAULT_HOST);
    return host.startsWith("http://") || host.startsWith("https://") ? host : "http://" + host;
  }

  @Override
  public String fetch(String audience) throws IOException {
    String base = baseUrl(environment);
    URI uri =
        URI.create(
            base
                + IDENTITY_PATH
                + "?audience="
                + URLEncoder.encode(audience, StandardCharsets.UTF_8)
                + "&format=full");
    HttpExecutor.Response r =
        http.send(
            HttpExecutor.Request.get(uri)
                .header("Metadata-Flavor", "Google")
                .step(Step.ID_TOKEN)
                .endpointName("GCE metadata server")
                .validate(resp -> looksLikeJwt(resp.body()))
                .build());
    String body = r.body().trim();
    if (r.isSuccessful() && looksLikeJwt(body)) {
      return body;
    }
    FederationException.Builder b =
        FederationException.builder(
                Step.ID_TOKEN,
                "The metadata server at "
                    + base
                    + " answered "
                    + r.status()
                    + " to the ID token request for audience '"
                    + audience
                    + "': "
                    + Redaction.excerpt(body, 200))
            .httpStatus(r.status())
            .retryable(r.status() >= 500 || r.status() == 429);
    if (r.status() == 404) {
      b.fix(
          "No service account is attached to this instance / Cloud Run service / GKE pod. Attach"
              + " one (GKE: annotate the Kubernetes service account with"
              + " iam.gke.io/gcp-service-account), or pass another IdTokenSource.");
    } else if (r.status() == 403) {
      b.fix(
          "The metadata server refused the request (Metadata-Flavor header stripped by a proxy?)."
              + " Call it directly, not through an HTTP proxy.");
    } else if (r.isSuccessful()) {
      b.fix("The answer is not a JWT; check that GCE_METADATA_HOST points at a metadata server.");
    }
    throw b.build();
  }

  /**
   * Whether a metadata server answers at the configured host within {@code timeout}: the same ping
   * google-auth does ({@code GET /} answered with {@code Metadata-Flavor: Google}).
   */
  static boolean probe(Environment environment, Duration timeout) {
    TransportPolicy quick =
        TransportPolicy.builder()
            .connectTimeout(timeout)
            .readTimeout(timeout)
            .deadline(timeout.multipliedBy(2))
            .maxAttempts(1)
            .build();
    try {
      HttpExecutor.Response r =
          HttpExecutor.create(quick)
              .send(
                  HttpExecutor.Request.get(URI.create(baseUrl(environment) + "/"))
                      .header("Metadata-Flavor", "Google")
                      .step(Step.ID_TOKEN)
                      .endpointName("GCE metadata server probe")
                      .build());
      return r.header("Metadata-Flavor").map("Google"::equals).orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static boolean looksLikeJwt(String s) {
    String t = s == null ? "" : s.trim();
    return t.startsWith("eyJ") && t.chars().filter(c -> c == '.').count() == 2;
  }

  @Override
  public String description() {
    return "GCE metadata server (" + baseUrl(environment) + ")";
  }

  @Override
  public String toString() {
    return "IdTokenSource.metadataServer(" + baseUrl(environment) + ")";
  }
}

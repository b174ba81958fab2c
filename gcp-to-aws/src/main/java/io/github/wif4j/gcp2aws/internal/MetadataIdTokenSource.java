package io.github.wif4j.gcp2aws.internal;

import com.google.auth.oauth2.ComputeEngineCredentials;
import com.google.auth.oauth2.IdToken;
import com.google.auth.oauth2.IdTokenProvider;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.http.OperationDeadline;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.http.Wif4jTransportFactory;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * ID tokens from the GCE / Cloud Run / GKE metadata server through google-auth's {@link
 * ComputeEngineCredentials} ({@code format=full}), over wif4j's transport for timeouts, retries and
 * a deadline. google-auth reads {@code GCE_METADATA_HOST} from the process environment; wif4j reads
 * it through {@link Environment} on every request and points google-auth's requests there.
 * Internal.
 */
public final class MetadataIdTokenSource implements IdTokenSource {
  static final String DEFAULT_HOST = "metadata.google.internal";
  private static final List<IdTokenProvider.Option> FULL =
      List.of(IdTokenProvider.Option.FORMAT_FULL);

  private final Environment environment;
  private final ComputeEngineCredentials gce;

  /** A source reading {@code GCE_METADATA_HOST} from {@code environment} on every fetch. */
  public MetadataIdTokenSource(Environment environment, TransportPolicy policy) {
    this.environment = environment;
    this.gce =
        ComputeEngineCredentials.newBuilder()
            .setHttpTransportFactory(Wif4jTransportFactory.create(policy, this::toConfiguredHost))
            .build();
  }

  /** {@code http://HOST[:PORT]}, honouring {@code GCE_METADATA_HOST}. */
  static String baseUrl(Environment environment) {
    String host = environment.get("GCE_METADATA_HOST").orElse(DEFAULT_HOST);
    return host.startsWith("http://") || host.startsWith("https://") ? host : "http://" + host;
  }

  /** google-auth's metadata URL, moved to the host {@link Environment} names. */
  private String toConfiguredHost(String url) {
    String googleAuths = ComputeEngineCredentials.getMetadataServerUrl();
    return url.startsWith(googleAuths)
        ? baseUrl(environment) + url.substring(googleAuths.length())
        : url;
  }

  @Override
  public String fetch(String audience) throws IOException {
    IdToken token;
    try {
      token = gce.idTokenWithAudience(audience, FULL);
    } catch (FederationException e) {
      throw explained(e, audience);
    } catch (IOException | RuntimeException e) {
      FederationException carried = OperationDeadline.carriedFailure(e).orElse(null);
      if (carried != null) {
        throw explained(carried, audience); // the transport gave up within the deadline
      }
      throw FederationException.builder(
              Step.ID_TOKEN,
              "The GCE metadata server at "
                  + baseUrl(environment)
                  + " gave no usable ID token for audience '"
                  + audience
                  + "' ("
                  + e.getClass().getSimpleName()
                  + ")")
          .fix("Check that GCE_METADATA_HOST points at a metadata server.")
          .retryable(true)
          .build();
    }
    return token.getTokenValue();
  }

  private FederationException explained(FederationException e, String audience) {
    FederationException.Builder b =
        FederationException.builder(
                Step.ID_TOKEN,
                "The GCE metadata server at "
                    + baseUrl(environment)
                    + " refused the ID token request for audience '"
                    + audience
                    + "': "
                    + e.getMessage().replaceFirst("^\\[[a-z_ ]+\\] ", ""))
            .httpStatus(e.httpStatus())
            .retryable(e.isRetryable())
            .cause(e);
    if (e.httpStatus() == 404) {
      b.fix(
          "No service account is attached to this instance / Cloud Run service / GKE pod. Attach"
              + " one (GKE: annotate the Kubernetes service account with"
              + " iam.gke.io/gcp-service-account), or pass another IdTokenSource.");
    } else if (e.httpStatus() == 403) {
      b.fix(
          "The metadata server refused the request (Metadata-Flavor header stripped by a proxy?)."
              + " Call it directly, not through an HTTP proxy.");
    } else {
      e.fix().ifPresent(b::fix);
    }
    return b.build();
  }

  /**
   * Whether a metadata server answers at the configured host within {@code timeout}: the same ping
   * google-auth does ({@code GET /} answered with {@code Metadata-Flavor: Google}), but through
   * {@link Environment} (google-auth's own check reads the process environment and caches).
   */
  static boolean probe(Environment environment, Duration timeout) {
    try {
      HttpExecutor.Response r =
          HttpExecutor.create(TransportPolicy.singleAttempt(timeout))
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

  @Override
  public String description() {
    return "GCE metadata server (" + baseUrl(environment) + ")";
  }

  @Override
  public String toString() {
    return "IdTokenSource.metadataServer(" + baseUrl(environment) + ")";
  }
}

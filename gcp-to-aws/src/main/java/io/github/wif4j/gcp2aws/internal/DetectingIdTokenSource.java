package io.github.wif4j.gcp2aws.internal;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdTokenProvider;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.io.IOException;
import java.time.Duration;

/**
 * The metadata server if one answers, else application default credentials. Decides on the first
 * fetch (construction does no I/O) and sticks to the decision. Internal.
 */
public final class DetectingIdTokenSource implements IdTokenSource {
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

  private final Environment environment;
  private final TransportPolicy policy;
  private final Object lock = new Object();
  private volatile IdTokenSource chosen;

  /** A detecting source. */
  public DetectingIdTokenSource(Environment environment, TransportPolicy policy) {
    this.environment = environment;
    this.policy = policy;
  }

  @Override
  public String fetch(String audience) throws IOException {
    return choose().fetch(audience);
  }

  private IdTokenSource choose() throws IOException {
    IdTokenSource s = chosen;
    if (s != null) {
      return s;
    }
    synchronized (lock) {
      if (chosen == null) {
        chosen = detect();
      }
      return chosen;
    }
  }

  private IdTokenSource detect() throws IOException {
    boolean noCheck = environment.get("NO_GCE_CHECK").map("true"::equalsIgnoreCase).orElse(false);
    if (environment.has("GCE_METADATA_HOST")
        || (!noCheck && MetadataIdTokenSource.probe(environment, PROBE_TIMEOUT))) {
      return new MetadataIdTokenSource(environment, policy);
    }
    GoogleCredentials adc;
    try {
      adc = GoogleCredentials.getApplicationDefault();
    } catch (IOException e) {
      throw FederationException.builder(
              Step.ID_TOKEN,
              "No Google ID token source found: no metadata server answered at "
                  + MetadataIdTokenSource.baseUrl(environment)
                  + " and application default credentials are not available ("
                  + e.getMessage()
                  + ")")
          .fix(
              "Run on Compute Engine, Cloud Run or GKE with a service account attached, set"
                  + " GOOGLE_APPLICATION_CREDENTIALS to a service account key, or pass an"
                  + " IdTokenSource explicitly.")
          .build();
    }
    if (!(adc instanceof IdTokenProvider)) {
      throw FederationException.builder(
              Step.ID_TOKEN,
              "Application default credentials of type "
                  + adc.getClass().getSimpleName()
                  + " cannot mint Google ID tokens")
          .fix(
              "Use a service account key, or wrap the credentials in ImpersonatedCredentials for a"
                  + " service account and pass IdTokenSource.from(impersonated). gcloud user"
                  + " credentials cannot assume AWS roles.")
          .build();
    }
    return new GoogleAuthIdTokenSource((IdTokenProvider) adc);
  }

  @Override
  public String description() {
    IdTokenSource s = chosen;
    return s == null
        ? "detect (metadata server, else application default credentials)"
        : s.description();
  }

  @Override
  public String toString() {
    return "IdTokenSource.detect(" + description() + ")";
  }
}

package io.github.wif4j.gcp2aws.internal;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdTokenProvider;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.http.Wif4jTransportFactory;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Application default credentials in google-auth's order, read through {@link Environment}: {@code
 * GOOGLE_APPLICATION_CREDENTIALS}, then gcloud's well-known file, then the metadata server (probed
 * unless {@code NO_GCE_CHECK=true}; {@code GCE_METADATA_HOST} skips the probe). Decides on the
 * first fetch (construction does no I/O) and sticks to the decision. Internal.
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
    Optional<Path> file =
        environment
            .get("GOOGLE_APPLICATION_CREDENTIALS")
            .map(Path::of)
            .or(() -> gcloudWellKnownFile().filter(Files::isRegularFile));
    if (file.isPresent()) {
      return fromFile(file.get());
    }
    boolean noCheck = environment.get("NO_GCE_CHECK").map("true"::equalsIgnoreCase).orElse(false);
    if (environment.has("GCE_METADATA_HOST")
        || (!noCheck && MetadataIdTokenSource.probe(environment, PROBE_TIMEOUT))) {
      return new MetadataIdTokenSource(environment, policy);
    }
    throw FederationException.builder(
            Step.ID_TOKEN,
            "No Google ID token source found: GOOGLE_APPLICATION_CREDENTIALS is not set, there is"
                + " no gcloud application default credentials file, and no metadata server"
                + " answered at "
                + MetadataIdTokenSource.baseUrl(environment))
        .fix(
            "Run on Compute Engine, Cloud Run or GKE with a service account attached, set"
                + " GOOGLE_APPLICATION_CREDENTIALS to a service account key, or pass an"
                + " IdTokenSource explicitly.")
        .build();
  }

  /** gcloud's application default credentials file, where google-auth looks for it. */
  private Optional<Path> gcloudWellKnownFile() {
    Optional<Path> config =
        environment
            .get("CLOUDSDK_CONFIG")
            .map(Path::of)
            .or(
                () ->
                    environment.get("APPDATA").isPresent()
                            && environment
                                .property("os.name")
                                .orElse("")
                                .toLowerCase(java.util.Locale.ROOT)
                                .contains("windows")
                        ? environment.get("APPDATA").map(a -> Path.of(a, "gcloud"))
                        : environment
                            .property("user.home")
                            .map(h -> Path.of(h, ".config", "gcloud")));
    return config.map(c -> c.resolve("application_default_credentials.json"));
  }

  private IdTokenSource fromFile(Path path) throws IOException {
    GoogleCredentials adc;
    try (InputStream in = Files.newInputStream(path)) {
      adc = GoogleCredentials.fromStream(in, Wif4jTransportFactory.create(policy));
    } catch (IOException | RuntimeException e) {
      throw FederationException.builder(
              Step.ID_TOKEN,
              "The application default credentials file "
                  + path
                  + " cannot be used ("
                  + e.getClass().getSimpleName()
                  + ")")
          .fix(
              "Point GOOGLE_APPLICATION_CREDENTIALS at a service account key, or run on Compute"
                  + " Engine, Cloud Run or GKE without it.")
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

package io.github.wif4j.gcp2aws;

import com.google.auth.oauth2.IdTokenProvider;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.gcp2aws.internal.DetectingIdTokenSource;
import io.github.wif4j.gcp2aws.internal.GoogleAuthIdTokenSource;
import io.github.wif4j.gcp2aws.internal.MetadataIdTokenSource;
import java.io.IOException;
import java.util.Objects;

/**
 * Mints a Google-signed OIDC ID token for an audience. {@link GoogleToAwsCredentialsProvider} calls
 * it on every refresh, so each AWS STS call carries a fresh token.
 *
 * <pre>{@code
 * IdTokenSource onGce = IdTokenSource.metadataServer();             // GCE, Cloud Run, GKE
 * IdTokenSource viaIam = IdTokenSource.from(                         // any google-auth IdTokenProvider
 *     ImpersonatedCredentials.create(source, "app@proj.iam.gserviceaccount.com", null, List.of(), 3600));
 * IdTokenSource custom = audience -> myVault.googleIdToken(audience);
 * }</pre>
 *
 * <p>Implementations must be thread-safe, must not cache tokens beyond their expiry and must never
 * put the token in exception messages. {@link #fetch(String)} throws {@link
 * io.github.wif4j.core.FederationException} (step {@code ID_TOKEN}) when the token cannot be
 * obtained; any {@link IOException} is accepted.
 */
@FunctionalInterface
public interface IdTokenSource {

  /**
   * Returns a Google ID token (a JWT) whose {@code aud} claim is {@code audience}.
   *
   * @throws IOException when no token can be obtained; never contains the token
   */
  String fetch(String audience) throws IOException;

  /** A description for logs and errors, never a secret. */
  default String description() {
    return getClass().getSimpleName();
  }

  /**
   * The metadata server of Compute Engine, Cloud Run, Cloud Run functions and GKE (Workload
   * Identity): {@code GET /computeMetadata/v1/instance/service-accounts/default/identity
   * ?audience=...&format=full} with {@code Metadata-Flavor: Google}. Honours {@code
   * GCE_METADATA_HOST}; retries 5xx within {@link TransportPolicy#defaults()}'s deadline.
   */
  static IdTokenSource metadataServer() {
    return metadataServer(Environment.system(), TransportPolicy.defaults());
  }

  /** Like {@link #metadataServer()}, reading {@code GCE_METADATA_HOST} from {@code environment}. */
  static IdTokenSource metadataServer(Environment environment, TransportPolicy transportPolicy) {
    return new MetadataIdTokenSource(
        Objects.requireNonNull(environment, "environment"),
        Objects.requireNonNull(transportPolicy, "transportPolicy"));
  }

  /**
   * Any google-auth credential that mints ID tokens: {@code ServiceAccountCredentials}, {@code
   * ImpersonatedCredentials} (also over a wif4j {@code FederatedCredentials}), {@code
   * ComputeEngineCredentials}, {@code IdTokenCredentials}'s provider. Asks for the full format with
   * the email claim, so the default session name can name the service account.
   */
  static IdTokenSource from(IdTokenProvider provider) {
    return new GoogleAuthIdTokenSource(Objects.requireNonNull(provider, "provider"));
  }

  /**
   * The metadata server when one answers (a short probe on first use, skipped when {@code
   * GCE_METADATA_HOST} is set), else google-auth's application default credentials, which must be
   * an {@link IdTokenProvider} (a service account key, impersonated credentials). Does no I/O until
   * the first {@link #fetch(String)}.
   */
  static IdTokenSource detect(Environment environment, TransportPolicy transportPolicy) {
    return new DetectingIdTokenSource(
        Objects.requireNonNull(environment, "environment"),
        Objects.requireNonNull(transportPolicy, "transportPolicy"));
  }
}

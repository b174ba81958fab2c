package io.github.wif4j.gcp2aws.internal;

import com.google.auth.oauth2.IdToken;
import com.google.auth.oauth2.IdTokenProvider;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.OperationDeadline;
import io.github.wif4j.core.spi.Redaction;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.io.IOException;
import java.util.List;

/** ID tokens from a google-auth {@link IdTokenProvider}. Internal. */
public record GoogleAuthIdTokenSource(IdTokenProvider provider) implements IdTokenSource {
  private static final List<IdTokenProvider.Option> OPTIONS =
      List.of(IdTokenProvider.Option.FORMAT_FULL, IdTokenProvider.Option.INCLUDE_EMAIL);

  @Override
  public String fetch(String audience) throws IOException {
    IdToken token;
    try {
      token = provider.idTokenWithAudience(audience, OPTIONS);
    } catch (FederationException e) {
      throw e;
    } catch (RuntimeException e) {
      FederationException carried = OperationDeadline.carriedFailure(e).orElse(null);
      if (carried != null) {
        throw carried; // wif4j's transport gave up within the deadline: its own explanation
      }
      throw failure(audience, e);
    } catch (IOException e) {
      throw failure(audience, e);
    }
    if (token == null || token.getTokenValue() == null) {
      throw FederationException.builder(Step.ID_TOKEN, description() + " returned no ID token")
          .build();
    }
    return token.getTokenValue();
  }

  private FederationException failure(String audience, Exception e) {
    return FederationException.builder(
            Step.ID_TOKEN,
            description()
                + " could not mint an ID token for audience '"
                + audience
                + "': "
                + e.getClass().getSimpleName()
                + ": "
                + Redaction.excerpt(String.valueOf(e.getMessage()), 300))
        .fix(
            "For impersonated credentials the caller needs roles/iam.serviceAccountOpenIdTokenCreator"
                + " (iam.serviceAccounts.getOpenIdToken) on the target service account; for a key"
                + " file, check that the key is valid and not disabled.")
        .retryable(!(e instanceof RuntimeException))
        .cause(e instanceof RuntimeException ? null : e)
        .build();
  }

  @Override
  public String description() {
    return "google-auth " + provider.getClass().getSimpleName();
  }

  @Override
  public String toString() {
    return "IdTokenSource.from(" + provider.getClass().getSimpleName() + ")";
  }
}

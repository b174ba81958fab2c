package io.github.wif4j.core.spi;

import java.io.IOException;

/**
 * Yields a subject token (OIDC JWT, ID token or SAML assertion) for the Google STS exchange.
 *
 * <p>One call with an immutable context, in the spirit of google-auth's {@code
 * IdentityPoolSubjectTokenSupplier}; the context can grow without breaking implementers.
 *
 * <pre>{@code
 * SubjectTokenSource fromFile = new SubjectTokenSource() {
 *   public String subjectTokenType() { return SubjectTokenType.JWT; }
 *   public SubjectToken fetch(SourceContext context) throws IOException {
 *     return SubjectToken.of(Files.readString(tokenFile).trim(), SubjectTokenType.JWT);
 *   }
 * };
 * }</pre>
 *
 * <p>Exception contract: throw {@link io.github.wif4j.core.SourceUnavailableException} when the
 * source does not apply where the code runs, and {@link io.github.wif4j.core.FederationException}
 * (step {@code SUBJECT_TOKEN}) when it applies but failed. Messages must not contain the token.
 */
public interface SubjectTokenSource extends Source {

  /** The token type this source yields, one of {@link SubjectTokenType}'s constants. */
  String subjectTokenType();

  /** Fetches a current subject token. Called on every Google STS exchange. */
  SubjectToken fetch(SourceContext context) throws IOException;
}

package io.github.wif4j.core.spi;

import java.util.List;

/** The {@code subject_token_type} values Google STS accepts. */
public final class SubjectTokenType {
  /** An OIDC JWT (Azure, AKS, AWS outbound identity tokens). */
  public static final String JWT = "urn:ietf:params:oauth:token-type:jwt";

  /** An OIDC ID token. */
  public static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";

  /** A SAML 2.0 assertion. */
  public static final String SAML2 = "urn:ietf:params:oauth:token-type:saml2";

  /** A SigV4-signed AWS GetCallerIdentity request. */
  public static final String AWS4_REQUEST = "urn:ietf:params:aws:token-type:aws4_request";

  private SubjectTokenType() {}

  /** Whether {@code type} is one of the token types above. */
  public static boolean isKnown(String type) {
    return type != null && List.of(JWT, ID_TOKEN, SAML2, AWS4_REQUEST).contains(type);
  }
}

package io.github.wif4j.aws.internal;

import io.github.wif4j.aws.AwsOidcTokenSource;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.SourceUnavailableException;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceProvider;

/**
 * The AWS outbound OIDC source ({@code GetWebIdentityToken}). Never chosen by detection, since the
 * same AWS host can federate either way: choose it with {@code WIF4J_SOURCE=aws-oidc}.
 */
public final class AwsOidcSourceProvider implements SourceProvider {
  @Override
  public String id() {
    return "aws-oidc";
  }

  @Override
  public int order() {
    return 950;
  }

  @Override
  public Source create(Environment environment) {
    return AwsOidcTokenSource.builder().environment(environment).build();
  }

  @Override
  public Source detect(Environment environment) throws SourceUnavailableException {
    if (id().equalsIgnoreCase(environment.get(SourceDetector.SOURCE_ENV).orElse(""))) {
      return create(environment);
    }
    throw new SourceUnavailableException(
        "chosen only explicitly: " + SourceDetector.SOURCE_ENV + "=aws-oidc");
  }
}

package io.github.wif4j.core.spi;

import java.io.IOException;

/**
 * Yields AWS security credentials and a region, from which google-auth builds and SigV4-signs the
 * {@code GetCallerIdentity} subject token itself.
 *
 * <p>Called on every Google STS exchange: implementations cache credentials until their own expiry
 * (the wif4j AWS source does), so that a steady-state Google token refresh costs no AWS request.
 *
 * <p>Exception contract: as {@link SubjectTokenSource}.
 */
public interface AwsSigningSource extends Source {

  /** Current AWS credentials and the region whose STS endpoint Google should call. */
  AwsSigningMaterial fetch(SourceContext context) throws IOException;
}

package io.github.wif4j.core.internal;

import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.http.HttpFailure;
import java.util.Locale;

/**
 * Whether a failed exchange was a rejection of the source material itself (an AWS signature made
 * with a revoked or expired key, an expired subject token), after which the source's cached
 * material must be dropped. Internal.
 */
public final class SourceRejection {
  private static final String[] AWS_SIGNALS = {
    "expiredtoken",
    "invalidclienttokenid",
    "signaturedoesnotmatch",
    "security token included in the request",
    "signature",
    "expired"
  };

  private SourceRejection() {}

  /** True when {@code failure} (or a cause) is Google STS refusing the subject token. */
  public static boolean pointsAtSource(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof HttpFailure f) {
        if (f.step() != Step.STS || f.httpStatus() < 400 || f.httpStatus() >= 500) {
          return false;
        }
        String error = f.error().orElse("").toLowerCase(Locale.ROOT);
        if ("invalid_grant".equals(error)) {
          return true;
        }
        String desc = f.description().orElse("").toLowerCase(Locale.ROOT);
        for (String s : AWS_SIGNALS) {
          if (desc.contains(s)) {
            return true;
          }
        }
        return false;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}

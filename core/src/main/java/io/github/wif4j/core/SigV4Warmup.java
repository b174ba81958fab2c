package io.github.wif4j.core;

import com.google.auth.oauth2.AwsCredentials;
import com.google.auth.oauth2.AwsSecurityCredentials;
import com.google.auth.oauth2.AwsSecurityCredentialsSupplier;
import com.google.auth.oauth2.ExternalAccountSupplierContext;
import io.github.wif4j.core.http.ParallelStart;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Signs a throw-away AWS request with google-auth's own signer on a short-lived daemon thread, once
 * per JVM, while an AWS source fetches the real credentials (from the instance metadata service on
 * EC2: several requests through the AWS SDK).
 *
 * <p>Why: in a fresh JVM google-auth's first signature costs far more than the signing itself: its
 * signer initialises date formatting and locale data, Guava's encoders, the JCE's HMAC and the
 * reflection behind google-http-client's JSON; stock google-auth and wif4j pay it on the caller's
 * thread after the credentials are there (docs/BENCHMARKS.md, cold start). The credentials are
 * fixed dummy values, nothing is sent, the result is dropped; a failure is ignored.
 */
final class SigV4Warmup {
  private static final AtomicBoolean STARTED = new AtomicBoolean();

  private SigV4Warmup() {}

  /**
   * Starts the warm-up unless done already in this JVM or there is only one processor; true when it
   * started it.
   */
  static boolean start() {
    if (!ParallelStart.multiCore() || !STARTED.compareAndSet(false, true)) {
      return false;
    }
    Thread t = new Thread(SigV4Warmup::signOnce, "wif4j-sigv4-warmup");
    t.setDaemon(true);
    t.start();
    return true;
  }

  /** One throw-away signature; returns quietly whatever happens. */
  static void signOnce() {
    try {
      AwsCredentials.newBuilder()
          .setAwsSecurityCredentialsSupplier(new Dummy())
          .setSubjectTokenType(SubjectTokenType.AWS4_REQUEST)
          .setAudience(
              "//iam.googleapis.com/projects/0/locations/global/workloadIdentityPools/warmup"
                  + "/providers/warmup")
          .setTokenUrl("https://sts.googleapis.com/v1/token")
          .build()
          .retrieveSubjectToken();
    } catch (Exception | LinkageError ignored) {
      // a warm-up only: the real signature reports its own problems
    }
  }

  /** Fixed dummy credentials: never sent anywhere. */
  private static final class Dummy implements AwsSecurityCredentialsSupplier {
    private static final long serialVersionUID = 1L;

    @Override
    public String getRegion(ExternalAccountSupplierContext context) {
      return "us-east-1";
    }

    @Override
    public AwsSecurityCredentials getCredentials(ExternalAccountSupplierContext context) {
      return new AwsSecurityCredentials("AKIDWIF4JWARMUP00000", "not-a-secret", "not-a-token");
    }
  }
}

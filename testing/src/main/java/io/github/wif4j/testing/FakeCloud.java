package io.github.wif4j.testing;

import java.time.Clock;

/**
 * The Google side of a fake cloud, started and wired together: STS, IAM Credentials, the GCE
 * metadata server and Vertex AI. IAM accepts STS tokens; Vertex accepts STS and IAM tokens; STS
 * trusts the metadata server's ID tokens.
 *
 * <pre>{@code
 * try (FakeCloud cloud = FakeCloud.start()) {
 *   String audience = cloud.audience("my-pool", "my-provider");
 *   cloud.iam().allowImpersonation("app@my-project.iam.gserviceaccount.com");
 *   // token URL: cloud.stsTokenUrl(); impersonation: cloud.impersonationUrl(email)
 * }
 * }</pre>
 */
public final class FakeCloud implements AutoCloseable {
  /** The project number used by {@link #audience(String, String)}. */
  public static final String PROJECT_NUMBER = "123456789012";

  private final FakeGoogleSts sts;
  private final FakeIamCredentials iam;
  private final FakeGceMetadata gce;
  private final FakeVertexAi vertex;

  private FakeCloud() {
    this.sts = new FakeGoogleSts().start();
    this.iam = new FakeIamCredentials().start();
    this.gce = new FakeGceMetadata(iam.googleIssuer()).start();
    this.vertex = new FakeVertexAi().start();
    iam.acceptTokensFrom(sts);
    vertex.acceptBearerTokens(t -> sts.isIssued(t) || iam.isIssued(t));
    sts.trustIssuer(iam.googleIssuer());
  }

  /** Starts every fake on 127.0.0.1. */
  public static FakeCloud start() {
    return new FakeCloud();
  }

  /**
   * Runs every fake of this cloud on {@code clock} (see {@link FakeServer#useClock(Clock)}): share
   * the {@link FakeClock} given to the code under test, and advancing it moves the tokens the fakes
   * issue and check. Issuers created separately ({@link FakeJwtIssuer}) take their own {@link
   * FakeJwtIssuer#useClock(Clock)}; the IAM issuer of this cloud is included.
   */
  public FakeCloud useClock(Clock clock) {
    sts.useClock(clock);
    iam.useClock(clock);
    iam.googleIssuer().useClock(clock);
    gce.useClock(clock);
    vertex.useClock(clock);
    return this;
  }

  /** Google STS. */
  public FakeGoogleSts sts() {
    return sts;
  }

  /** IAM Credentials. */
  public FakeIamCredentials iam() {
    return iam;
  }

  /** The GCE metadata server. */
  public FakeGceMetadata gceMetadata() {
    return gce;
  }

  /** Vertex AI. */
  public FakeVertexAi vertex() {
    return vertex;
  }

  /**
   * {@code
   * //iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/POOL/providers/PROVIDER}.
   */
  public String audience(String poolId, String providerId) {
    return "//iam.googleapis.com/projects/"
        + PROJECT_NUMBER
        + "/locations/global/workloadIdentityPools/"
        + poolId
        + "/providers/"
        + providerId;
  }

  /** The STS token URL. */
  public String stsTokenUrl() {
    return sts.tokenUrl();
  }

  /** The generateAccessToken URL for {@code email}. */
  public String impersonationUrl(String email) {
    return iam.impersonationUrl(email);
  }

  @Override
  public void close() {
    vertex.close();
    gce.close();
    iam.close();
    sts.close();
  }
}

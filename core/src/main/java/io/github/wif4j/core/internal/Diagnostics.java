package io.github.wif4j.core.internal;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.core.diagnostics.Explanations;
import io.github.wif4j.core.http.HttpFailure;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.JwtClaims;
import io.github.wif4j.core.spi.Redaction;
import io.github.wif4j.core.spi.Source;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a failed exchange into a {@link FederationException} that says what is wrong with the cloud
 * setup and the exact command or principal string that fixes it. Internal.
 */
public final class Diagnostics {
  private static final String[] SHOWN_CLAIMS = {"iss", "aud", "sub", "azp", "oid", "tid", "exp"};

  private final FederationSettings settings;
  private final Source source;
  private final ClaimsHolder claims;
  private final Clock clock;

  /** Diagnostics for one credential; {@code clock} is this host's, compared with servers'. */
  public Diagnostics(FederationSettings settings, Source source, ClaimsHolder claims, Clock clock) {
    this.settings = settings;
    this.source = source;
    this.claims = claims;
    this.clock = clock;
  }

  /** Remembers the non-secret claims of the last subject token, for error messages. */
  public static final class ClaimsHolder {
    // the payload segment only: claims without the signature are no credential. Decoded on
    // demand, so the success path never initialises the JSON mapper
    private volatile String payload;
    private volatile Explanations.AwsFacts aws;

    /** Keeps the non-secret facts of AWS credentials (fingerprint, expiry) for explanations. */
    public void rememberAws(String accessKeyId, Instant expiresAt, String origin) {
      aws = new Explanations.AwsFacts(Redaction.fingerprint(accessKeyId), expiresAt, origin);
    }

    Explanations.AwsFacts aws() {
      return aws;
    }

    /** Keeps the claims part of {@code jwt} (never the whole token) for a later explanation. */
    public void remember(String jwt) {
      String[] parts = jwt == null ? new String[0] : jwt.trim().split("\\.");
      payload = parts.length >= 2 ? parts[1] : null;
    }

    Map<String, String> get() {
      String p = payload;
      return p == null ? Map.of() : JwtClaims.ofPayload(p).shown(SHOWN_CLAIMS);
    }
  }

  /** Explains {@code failure}, which came out of a google-auth exchange. */
  public FederationException explain(Throwable failure) {
    HttpFailure http = find(failure, HttpFailure.class);
    if (http != null) {
      return explainHttp(http);
    }
    FederationException fe = find(failure, FederationException.class);
    if (fe != null) {
      return fe; // a source or transport error: already says what to fix
    }
    String msg = Redaction.scrub(String.valueOf(failure.getMessage()));
    return FederationException.builder(
            Step.STS, "Token exchange failed: " + failure.getClass().getSimpleName() + ": " + msg)
        .fix("Run `wif4j doctor` on this host for a step-by-step check.")
        .cause(failure instanceof RuntimeException ? null : failure)
        .build();
  }

  private FederationException explainHttp(HttpFailure f) {
    String error = f.error().orElse("").toLowerCase(Locale.ROOT);
    String desc = f.description().orElse("").toLowerCase(Locale.ROOT);
    WorkloadIdentityAudience aud = settings.audience();
    String providerCmd = Explanations.providerDescribe(aud);
    String fix = null;
    String cause = null;
    if (f.step() == Step.STS) {
      if ("invalid_request".equals(error) && desc.contains("audience")) {
        fix =
            "The audience must be the provider's full resource name,"
                + " //iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/"
                + "workloadIdentityPools/POOL_ID/providers/PROVIDER_ID (a project NUMBER, and the"
                + " provider, not only the pool). You sent: "
                + aud
                + ". List the providers with: gcloud iam workload-identity-pools providers list"
                + " --workload-identity-pool="
                + aud.poolId()
                + " --location=global --project="
                + aud.projectNumber();
      } else if ("invalid_target".equals(error)) {
        fix =
            "The provider does not exist, is disabled or was deleted. Check it with: "
                + providerCmd;
      } else if ("unauthorized_client".equals(error) && desc.contains("attribute condition")) {
        fix =
            "The provider's attribute condition rejected this identity. "
                + presented()
                + " Compare them with the condition: "
                + providerCmd
                + " --format='value(attributeCondition)'";
      } else if ("invalid_grant".equals(error)) {
        Optional<Explanations.AwsRejection> awsSaid =
            Explanations.awsRejection(f.description().orElse(null));
        if (awsSaid.isPresent()) {
          // Google replayed the signed GetCallerIdentity and AWS refused it: nothing about the
          // provider's issuer or audience; the AWS credentials (or the clock) are the cause
          Explanations.Explained e =
              Explanations.awsSignature(
                  awsSaid.get(), claims.aws(), clock.instant(), f.serverDate());
          cause = e.cause();
          fix = e.fix();
        } else {
          fix =
              "Google STS rejected the subject token. "
                  + presented()
                  + " The provider must trust this issuer and allow this audience"
                  + " (OIDC: --issuer-uri and --allowed-audiences; AWS: --account-id of the"
                  + " role's account). Check with: "
                  + providerCmd;
        }
      } else if (f.httpStatus() == 429) {
        fix =
            "Google STS throttled the exchange (quota per project and provider). wif4j retried"
                + " with backoff; reduce the number of processes exchanging tokens or request more"
                + " quota.";
      }
    } else if (f.step() == Step.IMPERSONATION || f.step() == Step.ID_TOKEN) {
      String sa = settings.serviceAccountEmail().orElse("SERVICE_ACCOUNT_EMAIL");
      if (f.httpStatus() == 403 || "permission_denied".equals(error)) {
        fix =
            "The federated identity may not impersonate "
                + sa
                + ". Grant roles/iam.workloadIdentityUser to the narrowest member that matches"
                + " this workload:\n  gcloud iam service-accounts add-iam-policy-binding "
                + sa
                + " --role=roles/iam.workloadIdentityUser --member=MEMBER\nwith MEMBER, narrowest"
                + " first:"
                + Explanations.memberLines(members(aud), aud)
                + "\nThe provider's mapping: "
                + Explanations.mappingCommand(aud)
                + "\nIf the binding exists, the service account may not exist, or the IAM"
                + " Credentials API (iamcredentials.googleapis.com) may be disabled in its project.";
      } else if (f.httpStatus() == 400 && desc.contains("lifetime")) {
        fix =
            "Token lifetimes above 3600 s need the organization policy"
                + " constraints/iam.allowServiceAccountCredentialLifetimeExtension to list "
                + sa
                + "; or lower tokenLifetime.";
      } else if (f.httpStatus() == 401) {
        fix =
            "IAM Credentials did not accept the STS token. Check that the audience names the"
                + " pool in the same organization and that the token URL is Google STS.";
      }
    }
    String message = f.getMessage().replaceFirst("^\\[[a-z_]+\\] ", "");
    if (cause != null) {
      message = message + "\n" + cause;
    }
    FederationException.Builder b =
        FederationException.builder(f.step(), message)
            .httpStatus(f.httpStatus())
            .errorCode(f.error().orElse(null))
            .retryable(f.isRetryable())
            .cause(f);
    if (fix != null) {
      b.fix(fix);
    }
    return b.build();
  }

  /** The members naming this workload, narrowest first (the pool-wide set is added last). */
  private List<Explanations.Member> members(WorkloadIdentityAudience aud) {
    Map<String, String> c = claims.get();
    if (c.containsKey("sub")) {
      return List.of(
          new Explanations.Member(
              aud.principal(c.get("sub")), "google.subject=assertion.sub; this identity only"));
    }
    if (claims.aws() != null || source instanceof AwsSigningSource) {
      // the caller ARN is not known here (wif4j doctor prints these filled in)
      return Explanations.awsMemberTemplates(aud);
    }
    return List.of();
  }

  private String presented() {
    Map<String, String> c = claims.get();
    String src = source == null ? "the configured source" : source.description();
    if (c.isEmpty()) {
      return "The subject token came from " + src + ".";
    }
    return "The subject token from " + src + " carries " + c + ".";
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }
}

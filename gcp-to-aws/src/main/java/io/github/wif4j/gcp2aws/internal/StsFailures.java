package io.github.wif4j.gcp2aws.internal;

import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationException.Step;
import io.github.wif4j.core.spi.Redaction;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Turns AWS STS failures into {@link FederationException}s that explain the role's trust policy:
 * the condition keys AWS evaluated, the token's actual claims (never the token) and a trust policy
 * that would accept it. Internal.
 */
public final class StsFailures {
  private static final Set<String> TRUST_CODES =
      Set.of("InvalidIdentityToken", "AccessDenied", "IDPRejectedClaim");
  private static final Set<String> RETRYABLE_CODES =
      Set.of(
          "IDPCommunicationError",
          "Throttling",
          "ThrottlingException",
          "RequestLimitExceeded",
          "ServiceUnavailable",
          "InternalFailure",
          "InternalError");
  private static final Pattern ROLE =
      Pattern.compile("^arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:[\\w+=,.@-]+/)*([\\w+=,.@-]+)$");

  private StsFailures() {}

  /** Explains an error answer of AssumeRoleWithWebIdentity. */
  public static FederationException fromService(
      StsException e, IdTokenClaims claims, String roleArn, String audience) {
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String serverMessage =
        e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    int status = e.statusCode();
    StringBuilder msg =
        new StringBuilder("AWS STS refused AssumeRoleWithWebIdentity for role ")
            .append(roleArn)
            .append(": ")
            .append(code == null ? "HTTP " + status : code)
            .append(": ")
            .append(Redaction.excerpt(String.valueOf(serverMessage), 300));
    boolean retryable =
        status >= 500
            || (code != null && RETRYABLE_CODES.contains(code))
            || e.isThrottlingException();
    String fix;
    if ("InvalidIdentityToken".equals(code)
        && String.valueOf(serverMessage).contains("Incorrect token audience")
        && !claims.isGoogle()) {
      // AWS checks aud against the IAM OIDC provider's client ID list before any trust policy
      msg.append("\nThe token's audience (aud) is ")
          .append(firstAudience(claims))
          .append(", which is not in the client ID list of the IAM OIDC provider for ")
          .append(claims.providerName())
          .append(". The role's trust policy is not evaluated yet.");
      fix = audienceListFix(claims, roleArn);
    } else if (code != null && TRUST_CODES.contains(code)) {
      msg.append("\nThe Google ID token (audience '").append(audience).append("') had claims ");
      msg.append(claims.shown());
      fix = trustPolicyFix(claims, roleArn);
    } else if ("ExpiredTokenException".equals(code)) {
      fix =
          "The ID token had expired when STS checked it (exp="
              + claims.get("exp")
              + "). Check the clock of this host and that the IdTokenSource mints a fresh token on"
              + " every call.";
    } else if ("ValidationError".equals(code)
        && String.valueOf(serverMessage).contains("MaxSessionDuration")) {
      fix =
          "Ask for a shorter session (--duration-seconds in the wif4j command, duration(...) in"
              + " code) or raise the role's maximum session duration: aws iam update-role"
              + " --role-name "
              + roleName(roleArn)
              + " --max-session-duration <seconds>";
    } else if ("MalformedPolicyDocument".equals(code) || "PackedPolicyTooLarge".equals(code)) {
      fix =
          "Check the session policy(...) JSON and policyArns(...): at most 2048 characters and 10 ARNs.";
    } else if ("RegionDisabledException".equals(code)) {
      fix =
          "Activate STS in this region (IAM console, Account settings) or use another stsRegion(...).";
    } else if (retryable) {
      fix =
          "AWS STS or the identity provider is temporarily unavailable; the call is retried with backoff.";
    } else {
      fix = null;
    }
    return FederationException.builder(Step.AWS_STS, msg.toString())
        .fix(fix)
        .httpStatus(status)
        .errorCode(code)
        .retryable(retryable)
        .build();
  }

  /**
   * Whether {@code t} is an answer STS sent but the SDK could not read (a 200 cut short or garbled
   * by a proxy): transient, retried like a 5xx.
   */
  public static boolean isMalformedResponse(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CappedHttpClient.BodyTooLarge) {
        return false;
      }
      String name = c.getClass().getName();
      String msg = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (name.contains("XMLStreamException")
          || name.contains("SAXParseException")
          || msg.contains("unmarshall")
          || msg.contains("unexpected end of file")
              && !(c instanceof java.net.SocketException)
              && msg.contains("xml")) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  private static boolean tooLarge(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CappedHttpClient.BodyTooLarge) {
        return true;
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return false;
  }

  /** Explains a failure without a usable STS answer (timeout, refused connection, garbled body). */
  public static FederationException fromClient(
      SdkClientException e, String endpoint, Duration deadline) {
    boolean timeout =
        e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException;
    String where = "AWS STS at " + endpoint;
    if (tooLarge(e)) {
      return FederationException.builder(
              Step.AWS_STS,
              where
                  + " answered with a body of more than "
                  + io.github.wif4j.core.http.HttpExecutor.MAX_RESPONSE_BYTES / 1024
                  + " KiB (AssumeRoleWithWebIdentity); it was not read")
          .fix(
              "STS answers in a few KiB: check the endpoint URL, and whether a proxy or captive"
                  + " portal answers in its place.")
          .retryable(false)
          .build();
    }
    if (!timeout && isMalformedResponse(e)) {
      return FederationException.builder(
              Step.AWS_STS,
              where
                  + " answered with a body that is not a valid STS response"
                  + " (AssumeRoleWithWebIdentity), also after retries")
          .fix(
              "A proxy or load balancer may be cutting or rewriting responses; check the"
                  + " endpoint URL and the path to it. The call is retried on the next request.")
          .retryable(true)
          .build();
    }
    if (timeout) {
      return FederationException.builder(
              Step.AWS_STS,
              where
                  + " did not answer within the time left of the "
                  + deadline.toMillis()
                  + " ms deadline (AssumeRoleWithWebIdentity)")
          .fix(
              "STS accepted no request or answered too slowly: check the path to it (VPC egress,"
                  + " proxy, DNS; a regional endpoint such as https://sts.us-east-1.amazonaws.com)."
                  + " If STS is known to be this slow, raise TransportPolicy.readTimeout together"
                  + " with the provider's deadline.")
          .retryable(true)
          .build();
    }
    return FederationException.builder(
            Step.AWS_STS,
            where
                + " could not be reached: "
                + Redaction.excerpt(String.valueOf(e.getMessage()), 300)
                + " (AssumeRoleWithWebIdentity)")
        .fix(
            "Check that this host can reach the STS endpoint (VPC egress, proxy, DNS; a regional"
                + " endpoint such as https://sts.us-east-1.amazonaws.com).")
        .retryable(true)
        .build();
  }

  /** Adds the token's audience to the IAM OIDC provider's client ID list. */
  static String audienceListFix(IdTokenClaims claims, String roleArn) {
    String provider = oidcProviderArn(claims, roleArn);
    return "Add the audience to the OIDC provider's client ID list (Audiences in the IAM"
        + " console):\n  aws iam add-client-id-to-open-id-connect-provider"
        + " --open-id-connect-provider-arn "
        + provider
        + " --client-id '"
        + firstAudience(claims)
        + "'\nor request ID tokens for an audience already in the list (aws iam"
        + " get-open-id-connect-provider --open-id-connect-provider-arn "
        + provider
        + ").";
  }

  private static String firstAudience(IdTokenClaims claims) {
    String aud = String.valueOf(claims.get("aud"));
    if (aud.startsWith("[")) {
      aud = aud.substring(1, aud.length() - 1).split(",")[0].replace("\"", "").trim();
    }
    return aud;
  }

  /** The fix text: condition keys, then a trust policy JSON accepting the token. */
  static String trustPolicyFix(IdTokenClaims claims, String roleArn) {
    Map<String, String> keys = claims.conditionKeys();
    StringBuilder sb = new StringBuilder();
    sb.append("The role's trust policy must allow this token. AWS evaluates these condition keys:");
    for (Map.Entry<String, String> k : keys.entrySet()) {
      sb.append("\n  ").append(k.getKey()).append(" = ").append(k.getValue());
      String key = k.getKey().substring(k.getKey().lastIndexOf(':') + 1);
      if (claims.isGoogle()) {
        if ("aud".equals(key)) {
          sb.append("   (the service account's unique numeric id: the token's azp)");
        } else if ("oaud".equals(key)) {
          sb.append("   (the audience you requested)");
        } else if ("sub".equals(key)) {
          sb.append("   (the service account's unique id)");
        }
      }
    }
    sb.append("\nA trust policy that accepts it:\n").append(trustPolicyJson(claims, roleArn));
    sb.append("\nApply it with: aws iam update-assume-role-policy --role-name ")
        .append(roleName(roleArn))
        .append(" --policy-document file://trust.json");
    return sb.toString();
  }

  /** A trust policy allowing exactly this token's identity to assume {@code roleArn}. */
  public static String trustPolicyJson(IdTokenClaims claims, String roleArn) {
    String federated = claims.isGoogle() ? claims.providerName() : oidcProviderArn(claims, roleArn);
    StringBuilder conditions = new StringBuilder();
    for (Map.Entry<String, String> k : claims.conditionKeys().entrySet()) {
      if (conditions.length() > 0) {
        conditions.append(",\n");
      }
      conditions
          .append("        \"")
          .append(json(k.getKey()))
          .append("\": \"")
          .append(json(k.getValue()))
          .append('"');
    }
    return "{\n"
        + "  \"Version\": \"2012-10-17\",\n"
        + "  \"Statement\": [{\n"
        + "    \"Effect\": \"Allow\",\n"
        + "    \"Principal\": {\"Federated\": \""
        + json(federated)
        + "\"},\n"
        + "    \"Action\": \"sts:AssumeRoleWithWebIdentity\",\n"
        + "    \"Condition\": {\n"
        + "      \"StringEquals\": {\n"
        + conditions
        + "\n      }\n"
        + "    }\n"
        + "  }]\n"
        + "}";
  }

  /** The IAM OIDC provider of the token's issuer, in the role's partition and account. */
  private static String oidcProviderArn(IdTokenClaims claims, String roleArn) {
    Matcher m = ROLE.matcher(roleArn);
    String partition = m.matches() ? m.group(1) : "aws";
    String account = m.matches() ? m.group(2) : "<ACCOUNT_ID>";
    return "arn:" + partition + ":iam::" + account + ":oidc-provider/" + claims.providerName();
  }

  static String roleName(String roleArn) {
    Matcher m = ROLE.matcher(roleArn);
    return m.matches() ? m.group(3) : "<ROLE_NAME>";
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}

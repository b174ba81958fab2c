package io.github.wif4j.core.diagnostics;

import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.core.spi.Redaction;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts that explain a cloud-setup mistake, shared by the exceptions of {@code
 * FederatedCredentials}, {@code wif4j doctor} and the Vertex AI adapter, so every place prints the
 * same cause, the same member strings in the same order and the same command.
 *
 * <pre>{@code
 * Explanations.googleApiDenied(body, serviceAccount, members, audience, project)
 *     .ifPresent(x -> System.err.println(x.cause() + "\n" + x.fix()));
 * }</pre>
 *
 * <p>Stateless; no method does I/O, throws on odd input or quotes a secret.
 */
public final class Explanations {
  /** The role Vertex AI's generateContent / predict needs. */
  public static final String VERTEX_ROLE = "roles/aiplatform.user";

  private static final Pattern ASSUMED_ROLE =
      Pattern.compile("arn:(aws[a-z-]*):sts::([^:/]+):assumed-role/([^/]+)/(.+)");
  // Google STS relays AWS's answer to the replayed GetCallerIdentity [wording unverified]
  private static final Pattern AWS_RESPONSE =
      Pattern.compile(
          "(?s).*AWS response of type ([A-Za-z]+)(?: with error message)?:?\\s*(.*)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern SIGNATURE_EXPIRED =
      Pattern.compile(
          "Signature (expired|not yet current): (\\d{8}T\\d{6}Z) is (?:now earlier|still later)"
              + " than \\d{8}T\\d{6}Z \\((\\d{8}T\\d{6}Z) [-+] 15 min\\.\\)");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private Explanations() {}

  /**
   * One {@code --member} value and the attribute mapping under which it matches this identity.
   *
   * @param member the principal or principal set string
   * @param matches which attribute mapping makes it match, e.g. {@code
   *     google.subject=assertion.arn}
   */
  public record Member(String member, String matches) {
    @Override
    public String toString() {
      return member + "   (" + matches + ")";
    }
  }

  /**
   * The members that name an AWS caller, narrowest first: its exact session, then its role under
   * each of the two usual {@code attribute.aws_role} mappings (role name, as the console and the
   * blog recipes map it, and the assumed-role ARN, gcloud's default). Empty when {@code callerArn}
   * is not an assumed-role session ARN.
   */
  public static List<Member> awsMembers(WorkloadIdentityAudience aud, String callerArn) {
    List<Member> out = new ArrayList<>();
    Matcher m = callerArn == null ? null : ASSUMED_ROLE.matcher(callerArn);
    if (m == null || !m.matches()) {
      if (callerArn != null && !callerArn.isBlank()) {
        out.add(new Member(aud.principal(callerArn), "google.subject=assertion.arn"));
      }
      return out;
    }
    out.add(
        new Member(
            aud.principal(callerArn),
            "google.subject=assertion.arn; this session only (" + m.group(4) + ")"));
    out.add(
        new Member(
            aud.principalSet("aws_role", m.group(3)),
            "attribute.aws_role=assertion.arn.extract('assumed-role/{role}/'), the role name:"
                + " the console's and the recipes' mapping"));
    out.add(
        new Member(
            aud.principalSet(
                "aws_role",
                "arn:" + m.group(1) + ":sts::" + m.group(2) + ":assumed-role/" + m.group(3)),
            "attribute.aws_role=the assumed-role ARN prefix, gcloud's default AWS mapping"));
    return out;
  }

  /** The members for an AWS caller whose ARN is not known here, as a template. */
  public static List<Member> awsMemberTemplates(WorkloadIdentityAudience aud) {
    return awsMembers(aud, "arn:aws:sts::ACCOUNT_ID:assumed-role/ROLE_NAME/SESSION_NAME");
  }

  /** The command that shows which attribute mapping the provider uses. */
  public static String mappingCommand(WorkloadIdentityAudience aud) {
    return providerDescribe(aud) + " --format='value(attributeMapping)'";
  }

  /** {@code gcloud iam workload-identity-pools providers describe ...} for the audience. */
  public static String providerDescribe(WorkloadIdentityAudience aud) {
    return ("gcloud iam workload-identity-pools providers describe %s --workload-identity-pool=%s"
            + " --location=global --project=%s")
        .formatted(aud.providerId(), aud.poolId(), aud.projectNumber());
  }

  /**
   * Lines listing {@code members} for {@code --member=}, narrowest first, each with the mapping it
   * matches; the pool-wide set last, flagged as such.
   */
  public static String memberLines(List<Member> members, WorkloadIdentityAudience aud) {
    StringBuilder sb = new StringBuilder();
    for (Member m : members) {
      sb.append("\n  --member='")
          .append(m.member())
          .append("'\n      matches ")
          .append(m.matches());
    }
    sb.append("\n  --member='")
        .append(aud.principalSetAll())
        .append("'\n      every identity the pool admits (widest; only if the attribute condition")
        .append(" is strict)");
    return sb.toString();
  }

  /** The grant for Vertex AI: {@code roles/aiplatform.user} on the project for {@code member}. */
  public static String vertexGrant(String project, String member) {
    return "gcloud projects add-iam-policy-binding %s --role=%s --member='%s'"
        .formatted(project == null ? "PROJECT_ID" : project, VERTEX_ROLE, member);
  }

  /** The {@code serviceAccount:} member of an email. */
  public static String serviceAccountMember(String email) {
    return "serviceAccount:" + email;
  }

  /**
   * What AWS said about a replayed GetCallerIdentity, parsed from Google STS's description.
   *
   * @param code AWS's error code, e.g. {@code ExpiredToken}, {@code SignatureDoesNotMatch}
   * @param message AWS's message
   */
  public record AwsRejection(String code, String message) {}

  /** AWS's code and message in a Google STS {@code invalid_grant} description, if there. */
  public static Optional<AwsRejection> awsRejection(String description) {
    if (description == null) {
      return Optional.empty();
    }
    Matcher m = AWS_RESPONSE.matcher(description);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(new AwsRejection(m.group(1), m.group(2).trim()));
  }

  /**
   * The facts about the AWS credentials in hand that may be shown (never the keys).
   *
   * @param keyFingerprint the access key's fingerprint
   * @param expiresAt when they expire, or null
   * @param origin where they came from, e.g. the source's description
   */
  public record AwsFacts(String keyFingerprint, Instant expiresAt, String origin) {
    String describe() {
      return "access key "
          + (keyFingerprint == null ? "(unknown)" : keyFingerprint)
          + (origin == null ? "" : " from " + origin)
          + (expiresAt == null ? ", no expiry" : ", expiring " + expiresAt);
    }
  }

  /**
   * Cause and fix of an AWS-side refusal of the signed GetCallerIdentity.
   *
   * @param cause what is wrong, in one or two sentences (may be null when only the fix is known)
   * @param fix the fix, with the command
   */
  public record Explained(String cause, String fix) {}

  /**
   * Explains why AWS refused a GetCallerIdentity request signed with the credentials in hand:
   * expired credentials, a clock off by more than AWS's 15 minutes, a secret that does not belong
   * to the access key, an unknown key. {@code serverDate} is the {@code Date} of the answer
   * (Google's or AWS's), {@code localNow} this host's clock.
   */
  public static Explained awsSignature(
      AwsRejection r, AwsFacts facts, Instant localNow, Optional<Instant> serverDate) {
    String code = r.code();
    String held = facts == null ? "the AWS credentials in hand" : facts.describe();
    Matcher skew = SIGNATURE_EXPIRED.matcher(r.message());
    if (skew.find() || code.equalsIgnoreCase("RequestExpired")) {
      StringBuilder cause =
          new StringBuilder("AWS refused the signature because of the time: ").append(r.message());
      Optional<Duration> off = Optional.empty();
      if (skew.find(0)) {
        try {
          Instant signed = LocalDateTime.parse(skew.group(2), AMZ_DATE).toInstant(ZoneOffset.UTC);
          Instant aws = LocalDateTime.parse(skew.group(3), AMZ_DATE).toInstant(ZoneOffset.UTC);
          off = Optional.of(Duration.between(aws, signed));
          cause.append(". The request was signed at ").append(signed);
          cause.append(" by this host's clock; AWS's clock said ").append(aws);
        } catch (DateTimeParseException e) {
          // keep AWS's text alone
        }
      }
      if (serverDate.isPresent() && localNow != null) {
        Duration d = Duration.between(serverDate.get(), localNow);
        cause
            .append(". The local clock reads ")
            .append(localNow)
            .append(", the server's Date header ")
            .append(serverDate.get());
        if (off.isEmpty()) {
          off = Optional.of(d);
        }
      }
      off.ifPresent(
          d ->
              cause
                  .append(": this host's clock is ")
                  .append(Math.abs(d.toMinutes()))
                  .append(" min ")
                  .append(d.isNegative() ? "behind" : "ahead"));
      cause.append('.');
      return new Explained(
          cause.toString(),
          "Synchronize this host's clock (SigV4 allows 15 minutes): on EC2 point chrony at the"
              + " Amazon Time Sync Service (server 169.254.169.123 prefer iburst), elsewhere turn on"
              + " NTP (timedatectl set-ntp true); in a container, fix the host's clock. Then"
              + " retry.");
    }
    switch (code) {
      case "ExpiredToken", "ExpiredTokenException":
        {
          String when = "";
          if (facts != null && facts.expiresAt() != null && localNow != null) {
            Duration ago = Duration.between(facts.expiresAt(), localNow);
            when =
                ago.isNegative()
                    ? " They expire at "
                        + facts.expiresAt()
                        + " by this host's clock, which may be behind."
                    : " They expired " + Math.max(0, ago.toMinutes()) + " min ago.";
          }
          return new Explained(
              "AWS says the session token of "
                  + held
                  + " has expired (\""
                  + r.message()
                  + "\")."
                  + when,
              "Temporary credentials placed by hand (AWS_ACCESS_KEY_ID + AWS_SESSION_TOKEN, a"
                  + " profile with aws_session_token) expire and are not renewed. Renew them (aws"
                  + " sso login, aws sts assume-role), or remove them so the role the workload runs"
                  + " as (instance profile, task role, Lambda, AgentCore) is used: wif4j renews"
                  + " those before they expire. Check what is in use with: aws sts"
                  + " get-caller-identity");
        }
      case "SignatureDoesNotMatch":
        return new Explained(
            "AWS says the signature does not match (\""
                + r.message()
                + "\"): the secret access key of "
                + held
                + " is not the secret of that access key (a mistyped or truncated"
                + " AWS_SECRET_ACCESS_KEY, or key id and secret taken from two different sources).",
            "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the same key pair (or the"
                + " profile's aws_access_key_id / aws_secret_access_key), or remove them to use the"
                + " workload's role; check with: aws sts get-caller-identity");
      case "InvalidClientTokenId", "UnrecognizedClientException":
        return new Explained(
            "AWS does not know "
                + held
                + " (\""
                + r.message()
                + "\"): the key was deleted or deactivated, or temporary (ASIA...) keys are sent"
                + " without their session token.",
            "For temporary credentials set AWS_SESSION_TOKEN together with the keys; for"
                + " long-term keys check they are active: aws iam list-access-keys; or remove them"
                + " to use the workload's role.");
      case "AccessDenied", "AccessDeniedException":
        return new Explained(
            "AWS refused sts:GetCallerIdentity for " + held + " (\"" + r.message() + "\").",
            "GetCallerIdentity needs no permission; a service control policy or a VPC endpoint"
                + " policy denying sts:GetCallerIdentity blocks it. Allow it for this role.");
      default:
        return new Explained(
            "AWS refused the signed GetCallerIdentity of "
                + held
                + ": "
                + code
                + ": "
                + r.message(),
            "Check the credentials with: aws sts get-caller-identity");
    }
  }

  private static final Pattern PERMISSION_DENIED =
      Pattern.compile("Permission '([^']+)' denied on resource '(?://[^/]+/)?([^']+)'");
  private static final Pattern PROJECT = Pattern.compile("projects/([^/]+)/");

  /**
   * Explains a Vertex AI (or other Google API) 403 from its error body: the permission and resource
   * it names, who was refused, and the grant of {@link #VERTEX_ROLE} that fixes it; or the API
   * switched off in the project. Empty when {@code body} is no 403 {@code PERMISSION_DENIED}.
   *
   * @param serviceAccount the impersonated service account, or null for direct resource access
   * @param members the federated members naming this workload, narrowest first (may be empty)
   */
  public static Optional<Explained> googleApiDenied(
      String body,
      String serviceAccount,
      List<Member> members,
      WorkloadIdentityAudience aud,
      String projectHint) {
    Optional<java.util.Map<String, Object>> json =
        io.github.wif4j.core.spi.Json.object(body == null ? "" : body)
            .filter(n -> n.get("error") instanceof java.util.Map);
    if (json.isEmpty()) {
      return Optional.empty();
    }
    @SuppressWarnings("unchecked")
    java.util.Map<String, Object> error = (java.util.Map<String, Object>) json.get().get("error");
    String status = String.valueOf(error.getOrDefault("status", ""));
    String message = String.valueOf(error.getOrDefault("message", ""));
    Object code = error.get("code");
    if (!"PERMISSION_DENIED".equals(status)
        && !(code instanceof Number && ((Number) code).intValue() == 403)) {
      return Optional.empty();
    }
    String reasons = String.valueOf(error.get("details"));
    Matcher p = PROJECT.matcher(message);
    String project = p.find() ? p.group(1) : projectHint;
    if (reasons.contains("SERVICE_DISABLED") || message.contains("has not been used in project")) {
      return Optional.of(
          new Explained(
              "The API is disabled in project "
                  + (project == null ? "PROJECT_ID" : project)
                  + ": "
                  + Redaction.excerpt(message, 300),
              "gcloud services enable aiplatform.googleapis.com --project="
                  + (project == null ? "PROJECT_ID" : project)));
    }
    Matcher m = PERMISSION_DENIED.matcher(message);
    String permission = m.find() ? m.group(1) : "the permission";
    String resource = m.find(0) ? m.group(2) : "the resource";
    String who =
        serviceAccount != null
            ? "the service account " + serviceAccount + " (impersonated)"
            : members.isEmpty()
                ? "the federated identity (direct resource access)"
                : members.get(0).member() + " (direct resource access)";
    StringBuilder fix = new StringBuilder();
    fix.append("Grant ").append(VERTEX_ROLE).append(" (it holds ").append(permission);
    fix.append(") to ").append(serviceAccount != null ? "the service account" : "this workload");
    fix.append(" on project ").append(project == null ? "PROJECT_ID" : project).append(":");
    if (serviceAccount != null) {
      fix.append("\n  ").append(vertexGrant(project, serviceAccountMember(serviceAccount)));
    } else if (members.isEmpty()) {
      String template =
          aud == null
              ? "principal://iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/"
                  + "workloadIdentityPools/POOL_ID/subject/SUBJECT"
              : aud.principal("SUBJECT");
      fix.append("\n  ").append(vertexGrant(project, template));
      fix.append("\n(SUBJECT is the mapped google.subject; wif4j doctor prints it.)");
    } else {
      fix.append(" one of these members, narrowest first:");
      for (Member mem : members) {
        fix.append("\n  ").append(vertexGrant(project, mem.member()));
        fix.append("\n      matches ").append(mem.matches());
      }
    }
    fix.append(
        "\nThe project must be the one in the request (GOOGLE_CLOUD_PROJECT); role grants take"
            + " up to a few minutes to apply.");
    return Optional.of(
        new Explained(
            "Google refused "
                + permission
                + " on "
                + resource
                + " for "
                + who
                + ": "
                + Redaction.excerpt(message, 300),
            fix.toString()));
  }
}

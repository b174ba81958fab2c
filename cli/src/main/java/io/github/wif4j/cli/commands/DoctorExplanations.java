package io.github.wif4j.cli.commands;

import io.github.wif4j.aws.StsClients;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.core.diagnostics.Explanations;
import io.github.wif4j.core.spi.AwsSigningMaterial;
import io.github.wif4j.core.spi.Redaction;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * The explanations {@code wif4j doctor} prints beside its steps: variables from the blog recipes
 * users migrate from, the fix line of a configuration error, what AWS said about the credentials in
 * hand, and a Google API's 403. Kept apart from the step plumbing in {@link DoctorCommand}.
 */
final class DoctorExplanations {
  /** Gemini's location variable; a recipe's {@code GCP_LOCATION} is not it. */
  static final String GOOGLE_CLOUD_LOCATION = "GOOGLE_CLOUD_LOCATION";

  static final String GOOGLE_CLOUD_PROJECT = "GOOGLE_CLOUD_PROJECT";

  /** Recipe variable, the wif4j variable to use instead, what it is. */
  private static final String[][] RECIPE_VARIABLES = {
    {"GCP_PROJECT_ID", GOOGLE_CLOUD_PROJECT, "the project that hosts Vertex AI"},
    {"GCP_LOCATION", GOOGLE_CLOUD_LOCATION, "the Vertex AI location"},
    {"GCP_PROJECT_NUMBER", FederationSettings.ENV_PROJECT_NUMBER, "the pool's project number"},
    {"GCP_WORKLOAD_IDENTITY_POOL_ID", FederationSettings.ENV_POOL_ID, "the pool ID"},
    {"GCP_WORKLOAD_IDENTITY_PROVIDER_ID", FederationSettings.ENV_PROVIDER_ID, "the provider ID"},
    {"AZURE_RESOURCE_URI", "WIF4J_AZURE_RESOURCE", "the Azure token's resource (audience)"},
  };

  private DoctorExplanations() {}

  /** One recipe variable wif4j does not read, and what to do. */
  record RecipeVariable(String name, String value, String advice) {}

  /**
   * The recipe variables set here that wif4j ignores, each with the wif4j variable to set. A {@code
   * GCP_LOCATION} without {@code GOOGLE_CLOUD_LOCATION} is called out: Gemini calls then go to
   * {@code global}, silently.
   */
  static List<RecipeVariable> recipeVariables(Environment env) {
    List<RecipeVariable> out = new ArrayList<>();
    for (String[] v : RECIPE_VARIABLES) {
      Optional<String> value = env.get(v[0]);
      if (value.isEmpty()) {
        continue;
      }
      Optional<String> ours = env.get(v[1]);
      String advice;
      if (ours.isPresent() && ours.get().trim().equals(value.get().trim())) {
        continue; // both set, same value: nothing to say
      } else if (ours.isPresent()) {
        advice =
            "wif4j reads "
                + v[1]
                + "="
                + ours.get()
                + " ("
                + v[2]
                + "), not "
                + v[0]
                + "; they differ";
      } else if (v[0].equals("GCP_LOCATION")) {
        advice =
            "wif4j does not read it: Gemini calls go to location 'global', not '"
                + value.get()
                + "'. Set "
                + v[1]
                + "="
                + value.get();
      } else {
        advice = "wif4j does not read it; set " + v[1] + "=" + value.get() + " (" + v[2] + ")";
      }
      out.add(new RecipeVariable(v[0], value.get(), advice));
    }
    return out;
  }

  /** The fix line for a configuration error: the field, its expected shape, and the command. */
  static String configurationFix(ConfigurationException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("is a project ID")) {
      int at = msg.indexOf("gcloud projects describe");
      String command = at < 0 ? "" : msg.substring(at).split("\\.\\s|\\n")[0];
      return "Use the project NUMBER in "
          + e.field()
          + (command.isEmpty() ? "" : " (" + command.trim() + ")")
          + "; the audience is then "
          + e.expected();
    }
    return "Set " + e.field() + ": " + e.expected();
  }

  /** What AWS STS said about the credentials in hand: their ARN, or an explained refusal. */
  record CallerCheck(String arn, String failure, String fix, String note) {}

  /**
   * Asks AWS STS who these credentials are (sts:GetCallerIdentity needs no permission). AWS's
   * refusal (ExpiredToken, SignatureDoesNotMatch, InvalidClientTokenId) is kept and explained; a
   * network failure only leaves the ARN unknown.
   */
  static CallerCheck callerIdentity(AwsSigningMaterial m, String origin, CliContext context) {
    AwsCredentials c =
        m.sessionToken().isPresent()
            ? AwsSessionCredentials.create(
                m.accessKeyId(), m.secretAccessKey(), m.sessionToken().get())
            : AwsBasicCredentials.create(m.accessKeyId(), m.secretAccessKey());
    URI endpoint = context.environment().get("AWS_ENDPOINT_URL_STS").map(URI::create).orElse(null);
    try (StsClient sts =
        StsClients.create(
            m.region(), StaticCredentialsProvider.create(c), endpoint, context.transportPolicy())) {
      return new CallerCheck(sts.getCallerIdentity().arn(), null, null, null);
    } catch (StsException e) {
      String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
      String message =
          e.awsErrorDetails() == null
              ? String.valueOf(e.getMessage())
              : String.valueOf(e.awsErrorDetails().errorMessage());
      Optional<Instant> date =
          e.awsErrorDetails() == null || e.awsErrorDetails().sdkHttpResponse() == null
              ? Optional.empty()
              : e.awsErrorDetails()
                  .sdkHttpResponse()
                  .firstMatchingHeader("Date")
                  .flatMap(DoctorExplanations::httpDate);
      Explanations.AwsRejection r =
          Explanations.awsRejection(
                  "AWS response of type "
                      + (code == null ? "HTTP" + e.statusCode() : code)
                      + ": "
                      + message)
              .orElseThrow();
      Explanations.Explained x =
          Explanations.awsSignature(
              r,
              new Explanations.AwsFacts(
                  Redaction.fingerprint(m.accessKeyId()), m.expiresAt().orElse(null), origin),
              Clock.systemUTC().instant(),
              date);
      return new CallerCheck(
          null,
          "AWS STS refused sts:GetCallerIdentity with these credentials: "
              + code
              + ": "
              + Redaction.excerpt(message, 300)
              + "\n"
              + x.cause(),
          x.fix(),
          null);
    } catch (SdkClientException e) {
      return new CallerCheck(
          null,
          null,
          null,
          "sts:GetCallerIdentity could not be reached ("
              + Redaction.excerpt(String.valueOf(e.getMessage()), 120)
              + "); the caller ARN is unknown");
    }
  }

  private static Optional<Instant> httpDate(String value) {
    try {
      return Optional.of(
          ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The members naming this workload, narrowest first, from its subject or AWS caller ARN. */
  static List<Explanations.Member> members(
      WorkloadIdentityAudience aud, String jwtSubject, String awsCallerArn) {
    if (aud == null) {
      return List.of();
    }
    if (awsCallerArn != null) {
      return Explanations.awsMembers(aud, awsCallerArn);
    }
    if (jwtSubject != null) {
      return List.of(
          new Explanations.Member(
              aud.principal(jwtSubject), "google.subject=assertion.sub; this identity only"));
    }
    return List.of();
  }

  /** The explanation of a failed {@code --api-url} GET, or a generic fix. */
  static Explanations.Explained apiFailure(
      int status,
      String body,
      String serviceAccount,
      List<Explanations.Member> members,
      WorkloadIdentityAudience aud,
      Environment env) {
    if (status == 403) {
      Optional<Explanations.Explained> x =
          Explanations.googleApiDenied(
              body, serviceAccount, members, aud, env.get(GOOGLE_CLOUD_PROJECT).orElse(null));
      if (x.isPresent()) {
        return x.get();
      }
    }
    String fix =
        status == 401
            ? "The API did not accept the token: check the URL is a Google API and the scopes"
                + " (WIF4J_SCOPES) include https://www.googleapis.com/auth/cloud-platform."
            : status == 404
                ? "Check the URL: project, location and model name (and that the model is offered"
                    + " in that location)."
                : null;
    return new Explanations.Explained(null, fix);
  }
}

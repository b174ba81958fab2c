package io.github.wif4j.cli.commands;

import io.github.wif4j.aws.StsClients;
import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.Console;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.SourceDetector;
import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.core.config.ExternalAccountConfig;
import io.github.wif4j.core.diagnostics.Explanations;
import io.github.wif4j.core.http.AllowedHosts;
import io.github.wif4j.core.http.HttpExecutor;
import io.github.wif4j.core.spi.AwsSigningMaterial;
import io.github.wif4j.core.spi.AwsSigningSource;
import io.github.wif4j.core.spi.Json;
import io.github.wif4j.core.spi.JwtClaims;
import io.github.wif4j.core.spi.Redaction;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceContext;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import io.github.wif4j.gcp2aws.IdTokenSource;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code wif4j doctor}: walks configuration → source → subject token → Google STS → impersonation →
 * an API call, stops at the first failing step with its cause and fix, and prints the principal
 * strings and the commands that grant access. Never prints a token.
 */
public final class DoctorCommand implements Command {
  private static final String ALLOW_EXECUTABLES = "GOOGLE_EXTERNAL_ACCOUNT_ALLOW_EXECUTABLES";

  @Override
  public String name() {
    return "doctor";
  }

  @Override
  public String summary() {
    return "check this host's federation setup step by step and say how to fix it";
  }

  @Override
  public String help() {
    return "Usage: wif4j doctor [--json] [--api-url URL]\n"
        + "       wif4j doctor --aws-role-arn ARN [--audience AUD] [--region R] [--sts-endpoint URL]\n\n"
        + "Reads the configuration like the library does (WIF4J_* variables or the external_account\n"
        + "file in GOOGLE_APPLICATION_CREDENTIALS), detects where it runs, and walks each step:\n"
        + "  configuration, source, subject token (its claims, never the token), Google STS,\n"
        + "  service account impersonation, and with --api-url a GET with the resulting token.\n"
        + "Stops at the first failing step with the cause and the fix, and prints the principal\n"
        + "strings and the gcloud commands that grant this workload access.\n"
        + "  --json      machine-readable report on standard output\n"
        + "  --api-url   a Google API URL to GET with the token (e.g. a Vertex AI model)\n"
        + "  --aws-role-arn  check Google -> AWS instead: the Google ID token's claims, AWS STS\n"
        + "              AssumeRoleWithWebIdentity (with the trust policy that would accept the token\n"
        + "              when AWS refuses it) and sts:GetCallerIdentity with the assumed role\n"
        + "Exit code 0 when every step passed, 3 when the configuration is invalid, 1 otherwise.";
  }

  @Override
  public Set<String> flags() {
    return Set.of("json");
  }

  @Override
  public Set<String> options() {
    return Set.of("api-url", "aws-role-arn", "audience", "region", "sts-endpoint");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    Report report = new Report();
    boolean ok =
        args.option("aws-role-arn").isPresent()
            ? walkGoogleToAws(args, context, report)
            : walk(args, context, report);
    if (args.flag("json")) {
      context.console().out(Json.writePretty(report.toJson(ok)));
    } else {
      report.print(context.console(), ok);
    }
    if (ok) {
      return ExitCodes.OK;
    }
    boolean configuration =
        report.steps.stream()
            .anyMatch(
                st -> "configuration".equals(st.get("step")) && "failed".equals(st.get("status")));
    return configuration ? ExitCodes.CONFIGURATION : ExitCodes.FAILED;
  }

  private static boolean walk(Args args, CliContext context, Report report) {
    // 0. variables from the blog recipes users come from, which wif4j does not read
    for (DoctorExplanations.RecipeVariable v :
        DoctorExplanations.recipeVariables(context.environment())) {
      report.warn("recipe variable", v.name() + "=" + v.value() + " is set", v.advice());
    }
    // 1. configuration
    FederationSettings settings;
    Optional<ExternalAccountConfig> config;
    try {
      config = Federation.config(context);
      settings = Federation.settings(context);
      report.ok(
          "configuration",
          (config.isPresent() ? "external_account file; " : "environment variables; ")
              + "audience "
              + settings.audience()
              + settings
                  .serviceAccountEmail()
                  .map(e -> "; impersonates " + e)
                  .orElse("; direct resource access"));
    } catch (ConfigurationException e) {
      report.fail("configuration", e.getMessage(), DoctorExplanations.configurationFix(e));
      return false;
    }
    WorkloadIdentityAudience audience = settings.audience();
    report.audience = audience;
    report.serviceAccount = settings.serviceAccountEmail().orElse(null);
    report.project =
        context
            .environment()
            .get(DoctorExplanations.GOOGLE_CLOUD_PROJECT)
            .or(settings::quotaProjectId)
            .orElse(null);

    // 2. source
    Source source = null;
    boolean forced = context.environment().get(SourceDetector.SOURCE_ENV).isPresent();
    if (config.isPresent()
        && !forced
        && "executable".equals(config.get().credentialSource().kind())
        && !"1".equals(context.environment().get(ALLOW_EXECUTABLES).orElse(""))) {
      report.fail(
          "source",
          "the file's executable source is refused: google-auth runs executables only when "
              + ALLOW_EXECUTABLES
              + "=1",
          "set " + ALLOW_EXECUTABLES + "=1 in the environment of the program that reads the file");
      return false;
    }
    if (config.isPresent() && !forced) {
      report.ok(
          "source",
          "the file's own "
              + config.get().credentialSource().kind()
              + " source, run by google-auth");
    } else {
      try {
        source = SourceDetector.detect(context.environment());
        report.ok("source", source.description());
      } catch (FederationException e) {
        report.fail("source", e.getMessage(), e.fix().orElse(null));
        return false;
      }
    }

    // 3. subject token
    if (source != null && !subjectToken(source, settings, context, report)) {
      return false;
    }

    // 4. Google STS (direct)
    FederatedCredentials.Builder base = Federation.credentials(context);
    if (source != null) {
      base.source(source);
    }
    FederationSettings direct = withoutImpersonation(settings);
    try (FederatedCredentials sts = base.settings(direct).build()) {
      sts.refresh();
      report.ok("google sts", "federated token issued" + expiry(sts));
    } catch (Exception e) {
      report.failFrom("google sts", e);
      return false;
    }

    // 5. impersonation (the credentials it builds are closed when the checks end: they own a
    // refresh schedule and source material)
    FederatedCredentials full = null;
    try {
      if (settings.serviceAccountEmail().isPresent()
          || settings.serviceAccountImpersonationUrl().isPresent()) {
        try {
          full = base.settings(settings).build();
          full.refresh();
          report.ok(
              "impersonation",
              "access token for "
                  + settings.serviceAccountEmail().orElse("the service account")
                  + expiry(full));
        } catch (Exception e) {
          report.failFrom("impersonation", e);
          report.grantApplies =
              String.valueOf(report.steps.get(report.steps.size() - 1).get("fix"))
                  .contains("roles/iam.workloadIdentityUser");
          return false;
        }
      } else {
        report.skip("impersonation", "not configured (direct resource access)");
      }

      // 6. API call
      Optional<String> apiUrl = args.option("api-url");
      if (apiUrl.isPresent()) {
        try (FederatedCredentials fresh = full != null ? null : base.settings(direct).build()) {
          // direct access: fresh credentials hold no token until refreshed
          FederatedCredentials creds = full != null ? full : fresh;
          String refusal = apiUrlRefusal(apiUrl.get(), creds.settings().universeDomain(), context);
          if (refusal != null) {
            report.fail(
                "api call",
                refusal,
                "Pass an https URL of a Google API (e.g. https://aiplatform.googleapis.com/...), or"
                    + " allow the host with "
                    + AllowedHosts.ENV_ALLOWED_HOSTS
                    + "=<host> if you mean to send it a token.");
            return false;
          }
          if (creds.getAccessToken() == null) {
            creds.refresh();
          }
          String token = creds.getAccessToken().getTokenValue();
          HttpExecutor.Response r =
              HttpExecutor.create(context.transportPolicy())
                  .send(
                      HttpExecutor.Request.get(URI.create(apiUrl.get()))
                          .header("Authorization", "Bearer " + token)
                          .endpointName("the API")
                          .step(FederationException.Step.API_CALL)
                          .build());
          if (r.isSuccessful()) {
            report.ok("api call", "GET " + apiUrl.get() + " -> HTTP " + r.status());
          } else {
            Explanations.Explained x =
                DoctorExplanations.apiFailure(
                    r.status(),
                    r.body(),
                    report.serviceAccount,
                    report.members,
                    audience,
                    context.environment());
            report.fail(
                "api call",
                "GET "
                    + apiUrl.get()
                    + " -> HTTP "
                    + r.status()
                    + ": "
                    + (x.cause() != null ? x.cause() : r.errorExcerpt()),
                x.fix());
            // the fix already holds the roles/aiplatform.user grant; a workloadIdentityUser
            // grant would be unrelated
            report.grantApplies = false;
            return false;
          }
        } catch (Exception e) {
          report.failFrom("api call", e);
          return false;
        }
      } else {
        report.skip("api call", "pass --api-url to try one");
      }
      return true;
    } finally {
      if (full != null) {
        full.close();
      }
    }
  }

  /**
   * Why the token must not go to {@code url}, or null: only https Google API hosts of the universe
   * receive it, unless the host is allowed explicitly.
   */
  private static String apiUrlRefusal(String url, String universe, CliContext context) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (java.net.URISyntaxException e) {
      return "--api-url is not a URL";
    }
    String host = uri.getHost();
    if (host == null) {
      return "--api-url has no host";
    }
    if (AllowedHosts.of(context.environment(), java.util.List.of()).isOptedIn(host)) {
      return null;
    }
    String h = host.toLowerCase(java.util.Locale.ROOT);
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      return "--api-url is not https: the access token is not sent in clear";
    }
    if (!h.equals(universe) && !h.endsWith("." + universe)) {
      return "--api-url host '"
          + host
          + "' is not a Google API host of "
          + universe
          + ": the access token is not sent there";
    }
    return null;
  }

  /** Google → AWS: ID token source, ID token claims, AssumeRoleWithWebIdentity, an AWS call. */
  private static boolean walkGoogleToAws(Args args, CliContext context, Report report) {
    String role = args.required("aws-role-arn", "the AWS role to assume");
    String audience = args.option("audience").orElse(role);
    IdTokenSource ids = IdTokenSource.detect(context.environment(), context.transportPolicy());
    try {
      Map<String, Object> shown =
          JwtClaims.decode(ids.fetch(audience)).select("iss", "aud", "azp", "sub", "email", "exp");
      report.claims = shown;
      report.ok(
          "google id token",
          ids.description()
              + ", claims "
              + shown
              + " (AWS sees accounts.google.com:aud = azp, :oaud = aud, :sub = sub)");
    } catch (Exception e) {
      report.failFrom("google id token", e);
      return false;
    }
    GoogleToAwsCredentialsProvider.Builder b =
        GoogleToAwsCredentialsProvider.builder()
            .roleArn(role)
            .audience(audience)
            .idTokenSource(ids)
            .environment(context.environment())
            .transportPolicy(context.transportPolicy());
    args.option("region").ifPresent(b::stsRegion);
    args.option("sts-endpoint").map(URI::create).ifPresent(b::stsEndpoint);
    try (GoogleToAwsCredentialsProvider aws = b.build()) {
      try {
        software.amazon.awssdk.auth.credentials.AwsCredentials c = aws.resolveCredentials();
        report.ok(
            "aws sts",
            "AssumeRoleWithWebIdentity gave "
                + Redaction.fingerprint(c.accessKeyId())
                + c.expirationTime().map(t -> ", expires " + t).orElse(""));
      } catch (RuntimeException e) {
        report.failFrom("aws sts", e);
        return false;
      }
      URI endpoint = args.option("sts-endpoint").map(URI::create).orElse(null);
      try (StsClient sts =
          StsClients.create(
              args.option("region").orElse("us-east-1"),
              aws,
              endpoint,
              context.transportPolicy())) {
        report.ok("aws api call", "sts:GetCallerIdentity -> " + sts.getCallerIdentity().arn());
      } catch (RuntimeException e) {
        report.failFrom("aws api call", e);
        return false;
      }
    }
    return true;
  }

  private static boolean subjectToken(
      Source source, FederationSettings settings, CliContext context, Report report) {
    WorkloadIdentityAudience audience = settings.audience();
    try {
      if (source instanceof SubjectTokenSource) {
        SubjectTokenSource s = (SubjectTokenSource) source;
        SubjectToken token =
            s.fetch(
                SourceContext.of(audience.toString(), s.subjectTokenType(), context.environment()));
        JwtClaims claims = JwtClaims.decode(token.value());
        Map<String, Object> shown =
            claims.select("iss", "aud", "sub", "oid", "tid", "azp", "email", "exp");
        report.claims = shown;
        report.ok("subject token", s.subjectTokenType() + " with claims " + shown);
        if (claims.get("sub") != null) {
          report.members =
              DoctorExplanations.members(audience, String.valueOf(claims.get("sub")), null);
        }
      } else if (source instanceof AwsSigningSource) {
        AwsSigningMaterial m =
            ((AwsSigningSource) source)
                .fetch(
                    SourceContext.of(
                        audience.toString(), SubjectTokenType.AWS4_REQUEST, context.environment()));
        DoctorExplanations.CallerCheck caller =
            DoctorExplanations.callerIdentity(m, source.description(), context);
        if (caller.failure() != null) {
          // AWS itself refused these credentials: Google STS would refuse them the same way
          report.fail("subject token", caller.failure(), caller.fix());
          return false;
        }
        String who = caller.arn();
        report.ok(
            "subject token",
            "AWS credentials "
                + Redaction.fingerprint(m.accessKeyId())
                + " in "
                + m.region()
                + m.expiresAt().map(t -> ", expiring " + t).orElse("")
                + (who == null ? "" : " for " + who)
                + "; Google receives a signed sts:GetCallerIdentity"
                + (caller.note() == null ? "" : " (" + caller.note() + ")"));
        if (who != null) {
          report.claims = Map.of("arn", who);
          report.members = DoctorExplanations.members(audience, null, who);
        }
      } else {
        report.skip("subject token", "custom source " + source.getClass().getSimpleName());
      }
      return true;
    } catch (Exception e) {
      report.failFrom("subject token", e);
      return false;
    }
  }

  private static FederationSettings withoutImpersonation(FederationSettings s) {
    FederationSettings.Builder b =
        FederationSettings.builder()
            .audience(s.audience())
            .scopes(s.scopes())
            .universeDomain(s.universeDomain())
            .tokenUrl(s.tokenUrl().toString());
    s.quotaProjectId().ifPresent(b::quotaProjectId);
    return b.build();
  }

  private static String expiry(FederatedCredentials c) {
    if (c.getAccessToken() == null || c.getAccessToken().getExpirationTime() == null) {
      return "";
    }
    long minutes =
        (c.getAccessToken().getExpirationTime().getTime() - System.currentTimeMillis()) / 60000;
    return " (valid " + minutes + " min)";
  }

  /** The doctor's findings. */
  static final class Report {
    final List<Map<String, Object>> steps = new ArrayList<>();
    WorkloadIdentityAudience audience;
    String serviceAccount;
    String project;
    Map<String, Object> claims;
    List<Explanations.Member> members = List.of();
    // whether a grant command fixes the failing step (IAM or the API said 403); when another step
    // failed (attribute condition, missing provider, ...) a grant would be an unrelated fix
    boolean grantApplies;

    void ok(String step, String detail) {
      add(step, "ok", detail, null);
    }

    void warn(String step, String detail, String fix) {
      add(step, "warning", detail, fix);
    }

    void skip(String step, String detail) {
      add(step, "skipped", detail, null);
    }

    void fail(String step, String message, String fix) {
      add(step, "failed", message, fix);
    }

    void failFrom(String step, Exception e) {
      Throwable t = e;
      while (!(t instanceof FederationException)
          && !(t instanceof ConfigurationException)
          && t.getCause() != null) {
        t = t.getCause();
      }
      String message = Redaction.scrub(String.valueOf(t.getMessage()));
      String fix = null;
      if (t instanceof FederationException) {
        fix = ((FederationException) t).fix().orElse(null);
        int at = message.indexOf("\nFix: ");
        if (at >= 0) {
          message = message.substring(0, at);
        }
      }
      fail(step, message, fix);
    }

    private void add(String step, String status, String detail, String fix) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("step", step);
      m.put("status", status);
      m.put("detail", detail);
      if (fix != null) {
        m.put("fix", fix);
      }
      steps.add(m);
    }

    private boolean failed() {
      return steps.stream().anyMatch(st -> "failed".equals(st.get("status")));
    }

    /** The grant commands, narrowest member first; none after a failure a grant cannot fix. */
    List<String> commands() {
      List<String> out = new ArrayList<>();
      if (audience == null || members.isEmpty() || (failed() && !grantApplies)) {
        return out;
      }
      for (Explanations.Member m : members) {
        if (serviceAccount != null) {
          out.add(
              "gcloud iam service-accounts add-iam-policy-binding "
                  + serviceAccount
                  + " --role=roles/iam.workloadIdentityUser --member='"
                  + m.member()
                  + "'");
        } else {
          out.add(
              Explanations.vertexGrant(
                  Optional.ofNullable(project).orElse("PROJECT_ID"), m.member()));
        }
      }
      return out;
    }

    Map<String, Object> toJson(boolean ok) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ok", ok);
      m.put("steps", steps);
      if (audience != null) {
        m.put("audience", audience.toString());
      }
      if (claims != null) {
        m.put("claims", claims);
      }
      if (!members.isEmpty()) {
        m.put("principal", members.get(0).member());
        List<Map<String, String>> list = new ArrayList<>();
        for (Explanations.Member mem : members) {
          list.add(Map.of("member", mem.member(), "matches", mem.matches()));
        }
        m.put("members", list);
      }
      m.put("commands", commands());
      return m;
    }

    void print(Console console, boolean ok) {
      console.out("wif4j doctor\n");
      for (Map<String, Object> s : steps) {
        String status = String.valueOf(s.get("status"));
        String mark =
            status.equals("ok")
                ? "ok  "
                : status.equals("skipped") ? "--  " : status.equals("warning") ? "WARN" : "FAIL";
        console.out(
            "  "
                + mark
                + " "
                + s.get("step")
                + ": "
                + String.valueOf(s.get("detail")).replace("\n", "\n         "));
        if (s.get("fix") != null) {
          console.out(
              "       fix: " + String.valueOf(s.get("fix")).replace("\n", "\n            "));
        }
      }
      if (!members.isEmpty()) {
        console.out("\nThis workload as a Google principal, narrowest first:");
        for (Explanations.Member m : members) {
          console.out("  " + m.member() + "\n      matches " + m.matches());
        }
        if (members.size() > 1 && audience != null) {
          console.out(
              "  The provider's mapping decides which: " + Explanations.mappingCommand(audience));
        }
      }
      List<String> commands = commands();
      if (!commands.isEmpty()) {
        console.out("\nGrant it access (one of, narrowest first):");
        commands.forEach(c -> console.out("  " + c));
      }
      console.out(ok ? "\nAll steps passed." : "\nStopped at the first failing step.");
    }
  }
}

package io.github.wif4j.cli.commands;

import com.google.genai.Client;
import com.google.genai.types.GenerateContentResponse;
import io.github.wif4j.aws.AwsSource;
import io.github.wif4j.aws.StsClients;
import io.github.wif4j.azure.AzureSource;
import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.Console;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.spi.Redaction;
import io.github.wif4j.core.spi.Source;
import io.github.wif4j.gcp2aws.GoogleToAwsCredentialsProvider;
import io.github.wif4j.gcp2aws.IdTokenSource;
import io.github.wif4j.testing.FakeAwsSts;
import io.github.wif4j.testing.FakeAzureAppService;
import io.github.wif4j.testing.FakeAzureIdentity;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeEc2Metadata;
import io.github.wif4j.testing.FakeServer;
import io.github.wif4j.testing.TestTls;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * {@code wif4j demo}: runs the federations end to end on an embedded fake cloud (loopback only, no
 * account, no network), printing each step with its timing and the requests each endpoint saw.
 */
public final class DemoCommand implements Command {
  static final String PROJECT = "my-project";
  static final String SA = "vertex-caller@my-project.iam.gserviceaccount.com";
  static final String MODEL = "gemini-2.5-flash";
  static final String AZURE_RESOURCE = "api://google-federation";

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String summary() {
    return "run EC2, Azure and Cloud Run federations end to end on an embedded fake cloud";
  }

  @Override
  public String help() {
    return "Usage: wif4j demo [--scenario ec2|azure|cloud-run|all] [--prompt TEXT]\n\n"
        + "Starts fake AWS, Azure and Google endpoints on 127.0.0.1 and runs, with the real\n"
        + "libraries (google-auth, AWS SDK, google-genai) and wif4j:\n"
        + "  ec2        EC2 instance profile -> Google STS -> service account impersonation -> Gemini\n"
        + "  azure      Azure App Service managed identity -> Google STS (direct access) -> Gemini\n"
        + "  cloud-run  Cloud Run metadata ID token -> AWS STS AssumeRoleWithWebIdentity ->\n"
        + "             sts:GetCallerIdentity with the assumed role\n"
        + "No cloud account and no network beyond loopback are used.";
  }

  @Override
  public Set<String> options() {
    return Set.of("scenario", "prompt");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    String scenario = args.option("scenario").orElse("all").toLowerCase(Locale.ROOT);
    if (!Set.of("ec2", "azure", "cloud-run", "all").contains(scenario)) {
      throw new Args.UsageException("--scenario must be ec2, azure, cloud-run or all");
    }
    String prompt = args.option("prompt").orElse("Say hello to a workload that has no keys.");
    Console console = context.console();
    console.out(
        "wif4j demo: federation without long-lived keys, on an embedded fake cloud"
            + " (127.0.0.1 only)\n");
    long start = System.nanoTime();
    boolean ok = true;
    int n = 1;
    try (FakeCloud cloud = FakeCloud.start()) {
      TransportPolicy policy =
          context.transportPolicy().toBuilder().sslContext(TestTls.clientContext()).build();
      if (scenario.equals("all") || scenario.equals("ec2")) {
        ok &= ec2(n++, cloud, policy, prompt, console);
      }
      cloud.sts().clearRecorded();
      cloud.iam().clearRecorded();
      cloud.vertex().clearRecorded();
      if (scenario.equals("all") || scenario.equals("azure")) {
        ok &= azure(n++, cloud, policy, prompt, console);
      }
      if (scenario.equals("all") || scenario.equals("cloud-run")) {
        ok &= cloudRun(n, cloud, policy, console);
      }
    }
    console.out(
        String.format(
            Locale.ROOT,
            "%s in %.0f ms. Next: 'wif4j doctor' on a real host, docs/README.md for your platform.",
            ok ? "Done" : "Finished with failures",
            (System.nanoTime() - start) / 1e6));
    return ok ? ExitCodes.OK : ExitCodes.FAILED;
  }

  private static boolean ec2(
      int n, FakeCloud cloud, TransportPolicy policy, String prompt, Console console) {
    console.out(n + ". EC2 -> Google STS -> service account impersonation -> Vertex AI Gemini");
    try (FakeEc2Metadata imds = new FakeEc2Metadata(FakeEc2Metadata.Mode.V2_REQUIRED).start()) {
      imds.trustedBy(cloud.sts());
      cloud.iam().allowImpersonation(SA);
      Map<String, String> vars = new LinkedHashMap<>();
      vars.put("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.baseUri().toString());
      try (AwsSource aws =
              AwsSource.builder()
                  .environment(Environment.of(vars))
                  .transportPolicy(policy)
                  .build();
          FederatedCredentials google =
              credentials(cloud, aws, cloud.audience("aws-pool", "aws-provider"), SA, policy)) {
        Step s = Step.start();
        aws.fetch(null);
        s.ok(
            console,
            "AWS credentials from the instance metadata service",
            "role " + imds.roleArn() + ", region " + aws.region());
        s = Step.start();
        google.refresh();
        s.ok(
            console,
            "Google STS verified the signed GetCallerIdentity, IAM impersonated the account",
            "principal " + cloud.sts().exchanges().get(0).principal());
        gemini(console, cloud, google, prompt);
        requests(
            console,
            List.of("IMDS", "Google STS", "IAM Credentials", "Vertex AI"),
            List.of(imds, cloud.sts(), cloud.iam(), cloud.vertex()));
        return true;
      }
    } catch (Exception e) {
      return failed(console, e);
    }
  }

  private static boolean azure(
      int n, FakeCloud cloud, TransportPolicy policy, String prompt, Console console) {
    console.out(
        n + ". Azure App Service -> Google STS (direct resource access) -> Vertex AI Gemini");
    FakeAzureIdentity tenant = new FakeAzureIdentity();
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      cloud.sts().trustIssuer(tenant.issuer(), AZURE_RESOURCE);
      Environment env =
          Environment.of(
              Map.of(
                  "IDENTITY_ENDPOINT", app.identityEndpoint(),
                  "IDENTITY_HEADER", app.identityHeader(),
                  "WIF4J_AZURE_RESOURCE", AZURE_RESOURCE));
      int before = cloud.sts().exchanges().size();
      try (AzureSource azure =
              AzureSource.builder().environment(env).transportPolicy(policy).build();
          FederatedCredentials google =
              credentials(cloud, azure, cloud.audience("azure-pool", "entra"), null, policy)) {
        Step s = Step.start();
        azure.fetch(null);
        s.ok(
            console,
            "Entra token from the managed identity endpoint (IDENTITY_HEADER read per fetch)",
            "resource " + AZURE_RESOURCE + ", object id " + tenant.systemAssigned().objectId());
        s = Step.start();
        google.refresh();
        s.ok(
            console,
            "Google STS exchanged the Entra token (no service account: direct access)",
            "principal " + cloud.sts().exchanges().get(before).principal());
        gemini(console, cloud, google, prompt);
        requests(
            console,
            List.of("App Service identity", "Google STS", "IAM Credentials", "Vertex AI"),
            List.of(app, cloud.sts(), cloud.iam(), cloud.vertex()));
        return true;
      }
    } catch (Exception e) {
      return failed(console, e);
    }
  }

  static FederatedCredentials credentials(
      FakeCloud cloud,
      Source source,
      String audience,
      String serviceAccount,
      TransportPolicy policy) {
    FederationSettings.Builder settings =
        FederationSettings.builder().audience(audience).tokenUrl(cloud.stsTokenUrl());
    if (serviceAccount != null) {
      settings.serviceAccountImpersonationUrl(cloud.impersonationUrl(serviceAccount));
    }
    return FederatedCredentials.builder()
        .settings(settings.build())
        .source(source)
        .transportPolicy(policy)
        .allowEndpointHost(cloud.sts().baseUri().getHost()) // the fake cloud is on loopback
        .build();
  }

  static void gemini(Console console, FakeCloud cloud, FederatedCredentials google, String prompt) {
    Step s = Step.start();
    Client client =
        Client.builder()
            .vertexAI(true)
            .project(PROJECT)
            .location("global")
            .credentials(google)
            .httpOptions(
                com.google.genai.types.HttpOptions.builder()
                    .baseUrl(cloud.vertex().baseUri().toString())
                    .build())
            .build();
    GenerateContentResponse answer = client.models.generateContent(MODEL, prompt, null);
    s.ok(console, "Gemini (" + MODEL + ") answered", "\"" + answer.text() + "\"");
  }

  private static boolean cloudRun(int n, FakeCloud cloud, TransportPolicy policy, Console console) {
    console.out(n + ". Cloud Run -> AWS STS AssumeRoleWithWebIdentity -> an AWS API call");
    String role = "arn:aws:iam::123456789012:role/from-cloud-run";
    try (FakeAwsSts awsSts = new FakeAwsSts().start()) {
      awsSts
          .trustIssuer(cloud.gceMetadata().googleIssuer())
          .allowRole(
              role,
              Map.of("accounts.google.com:sub", cloud.gceMetadata().serviceAccountUniqueId()));
      Environment env =
          Environment.of(Map.of("GCE_METADATA_HOST", cloud.gceMetadata().hostAndPort()));
      try (GoogleToAwsCredentialsProvider aws =
              GoogleToAwsCredentialsProvider.builder()
                  .roleArn(role)
                  .idTokenSource(IdTokenSource.metadataServer(env, policy))
                  .stsEndpoint(awsSts.endpoint())
                  .stsRegion("us-east-1")
                  .environment(env)
                  .transportPolicy(policy)
                  .build();
          StsClient sts = StsClients.create("us-east-1", aws, awsSts.endpoint(), policy)) {
        Step s = Step.start();
        aws.resolveCredentials();
        s.ok(
            console,
            "metadata server ID token exchanged at AWS STS",
            "assumed " + role + " as " + cloud.gceMetadata().serviceAccountEmail());
        s = Step.start();
        GetCallerIdentityResponse who = sts.getCallerIdentity();
        s.ok(console, "sts:GetCallerIdentity signed with the assumed role", who.arn());
        requests(console, List.of("GCE metadata", "AWS STS"), List.of(cloud.gceMetadata(), awsSts));
        return true;
      }
    } catch (Exception e) {
      return failed(console, e);
    }
  }

  static void requests(Console console, List<String> names, List<FakeServer> servers) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      parts.add(names.get(i) + " " + servers.get(i).requestCount());
    }
    console.out("   requests: " + String.join(", ", parts) + "\n");
  }

  static boolean failed(Console console, Exception e) {
    console.out("   FAILED: " + Redaction.scrub(String.valueOf(e.getMessage())) + "\n");
    return false;
  }

  /** A timed step. */
  static final class Step {
    private final long start = System.nanoTime();

    static Step start() {
      return new Step();
    }

    void ok(Console console, String what, String detail) {
      console.out(
          String.format(
              Locale.ROOT,
              "   ok %7.1f ms  %s%n                  %s",
              (System.nanoTime() - start) / 1e6,
              what,
              detail));
    }
  }
}

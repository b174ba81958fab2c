package io.github.wif4j.cli.commands;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.genai.VertexAiErrors;
import io.github.wif4j.genai.VertexGemini;
import java.util.Optional;
import java.util.Set;

/** {@code wif4j gemini "prompt"}: one prompt to Vertex AI Gemini through the adapter. */
public final class GeminiCommand implements Command {
  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public String summary() {
    return "send one prompt to Vertex AI Gemini with this workload's federated identity";
  }

  @Override
  public String help() {
    return "Usage: wif4j gemini [--model MODEL] [--project P] [--location L] [--base-url URL]"
        + " \"PROMPT\"\n\n"
        + "Federates like the library, then calls Vertex AI. Project from --project or\n"
        + "GOOGLE_CLOUD_PROJECT, location from --location or GOOGLE_CLOUD_LOCATION (default global),\n"
        + "model default gemini-2.5-flash, --base-url for a private or regional endpoint.\n"
        + "Prints the answer's text; a 403 is explained with the roles/aiplatform.user grant.";
  }

  @Override
  public Set<String> options() {
    return Set.of("model", "project", "location", "base-url");
  }

  @Override
  public int run(Args args, CliContext context) throws Exception {
    if (args.positional().isEmpty()) {
      throw new Args.UsageException("give the prompt as an argument");
    }
    String prompt = String.join(" ", args.positional());
    try (FederatedCredentials credentials = Federation.credentials(context).build()) {
      VertexGemini.Builder b =
          VertexGemini.builder().credentials(credentials).environment(context.environment());
      args.option("project").ifPresent(b::project);
      args.option("location").ifPresent(b::location);
      args.option("base-url")
          .ifPresent(u -> b.httpOptions(HttpOptions.builder().baseUrl(u).build()));
      for (DoctorExplanations.RecipeVariable v :
          DoctorExplanations.recipeVariables(context.environment())) {
        if (v.name().equals("GCP_LOCATION") || v.name().equals("GCP_PROJECT_ID")) {
          context.console().err("wif4j gemini: note: " + v.name() + " is set: " + v.advice());
        }
      }
      Client client = b.build();
      String project =
          args.option("project")
              .or(() -> context.environment().get(VertexGemini.ENV_PROJECT))
              .orElse(null);
      String answer;
      try {
        answer =
            client
                .models
                .generateContent(args.option("model").orElse("gemini-2.5-flash"), prompt, null)
                .text();
      } catch (RuntimeException e) {
        Optional<FederationException> explained = VertexAiErrors.explain(e, credentials, project);
        if (explained.isPresent()) {
          throw explained.get(); // printed with its Fix: line
        }
        throw e;
      }
      context.console().out(answer == null ? "" : answer);
      return ExitCodes.OK;
    }
  }
}

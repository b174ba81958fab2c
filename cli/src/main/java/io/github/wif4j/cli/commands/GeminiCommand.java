package io.github.wif4j.cli.commands;

import com.google.genai.Client;
import io.github.wif4j.cli.Args;
import io.github.wif4j.cli.CliContext;
import io.github.wif4j.cli.Command;
import io.github.wif4j.cli.ExitCodes;
import io.github.wif4j.core.FederatedCredentials;
import io.github.wif4j.genai.VertexGemini;
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
    return "Usage: wif4j gemini [--model MODEL] [--project P] [--location L] \"PROMPT\"\n\n"
        + "Federates like the library, then calls Vertex AI. Project from --project or\n"
        + "GOOGLE_CLOUD_PROJECT, location from --location or GOOGLE_CLOUD_LOCATION (default global),\n"
        + "model default gemini-2.5-flash. Prints the answer's text.";
  }

  @Override
  public Set<String> options() {
    return Set.of("model", "project", "location");
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
      Client client = b.build();
      String answer =
          client
              .models
              .generateContent(args.option("model").orElse("gemini-2.5-flash"), prompt, null)
              .text();
      context.console().out(answer == null ? "" : answer);
      return ExitCodes.OK;
    }
  }
}

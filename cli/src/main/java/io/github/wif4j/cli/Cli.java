package io.github.wif4j.cli;

import io.github.wif4j.cli.commands.AwsCredentialProcessCommand;
import io.github.wif4j.cli.commands.CreateCredConfigCommand;
import io.github.wif4j.cli.commands.DemoCommand;
import io.github.wif4j.cli.commands.DoctorCommand;
import io.github.wif4j.cli.commands.GeminiCommand;
import io.github.wif4j.cli.commands.GoogleExecutableCommand;
import io.github.wif4j.cli.commands.PrintAccessTokenCommand;
import io.github.wif4j.cli.commands.PrintIdTokenCommand;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationException;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.core.internal.Redaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code wif4j} command: parses global options, dispatches to a {@link Command} and turns
 * failures into a message a person can act on and an {@link ExitCodes exit code}.
 *
 * <pre>{@code
 * int code = Cli.builder().build().run("doctor", "--json");
 * }</pre>
 *
 * <p>Global options, before the command: {@code --set NAME=VALUE} (repeatable) overrides an
 * environment variable for this run; {@code --help}; {@code --version}.
 */
public final class Cli {
  /** The version printed by {@code --version}. */
  public static final String VERSION = "0.1.0-SNAPSHOT";

  private final Environment environment;
  private final Console console;
  private final TransportPolicy transportPolicy;
  // Suppliers, so a credential helper call loads only its own command (start time is its cost).
  private final Map<String, Supplier<Command>> commands = new LinkedHashMap<>();

  private Cli(Builder b) {
    this.environment = b.environment;
    this.console = b.console;
    this.transportPolicy = b.transportPolicy;
    commands.put("demo", DemoCommand::new);
    commands.put("doctor", DoctorCommand::new);
    commands.put("print-access-token", PrintAccessTokenCommand::new);
    commands.put("print-id-token", PrintIdTokenCommand::new);
    commands.put("create-cred-config", CreateCredConfigCommand::new);
    commands.put("aws-credential-process", AwsCredentialProcessCommand::new);
    commands.put("google-executable", GoogleExecutableCommand::new);
    commands.put("gemini", GeminiCommand::new);
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Runs {@code args}; returns the exit code. Never throws. */
  public int run(String... args) {
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    Map<String, String> overrides = new LinkedHashMap<>();
    while (!rest.isEmpty() && rest.get(0).startsWith("-")) {
      String opt = rest.remove(0);
      if (opt.equals("--set") || opt.startsWith("--set=")) {
        String assignment =
            opt.equals("--set") ? (rest.isEmpty() ? "" : rest.remove(0)) : opt.substring(6);
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
          console.err("wif4j: --set needs NAME=VALUE, got '" + assignment + "'");
          return ExitCodes.USAGE;
        }
        overrides.put(assignment.substring(0, eq), assignment.substring(eq + 1));
      } else if (opt.equals("--version")) {
        console.out("wif4j " + VERSION);
        return ExitCodes.OK;
      } else if (opt.equals("--help") || opt.equals("-h")) {
        console.out(usage());
        return ExitCodes.OK;
      } else {
        console.err("wif4j: unknown option " + opt + "\n\n" + usage());
        return ExitCodes.USAGE;
      }
    }
    if (rest.isEmpty()) {
      console.err(usage());
      return ExitCodes.USAGE;
    }
    String name = rest.remove(0);
    if (name.equals("help")) {
      if (rest.isEmpty()) {
        console.out(usage());
        return ExitCodes.OK;
      }
      if (!commands.containsKey(rest.get(0))) {
        console.err("wif4j help: unknown command '" + rest.get(0) + "'\n\n" + usage());
        return ExitCodes.USAGE;
      }
      console.out(commands.get(rest.get(0)).get().help());
      return ExitCodes.OK;
    }
    if (!commands.containsKey(name)) {
      console.err("wif4j: unknown command '" + name + "'\n\n" + usage());
      return ExitCodes.USAGE;
    }
    Command command = commands.get(name).get();
    Environment env = CliContext.overlay(environment, overrides);
    if (command instanceof CredentialHelper) {
      CliContext context =
          new CliContext(env, console.quiet(env.get(Console.LOG_FILE_ENV)), transportPolicy);
      try {
        Args parsed = Args.parse(rest, withHelp(command.flags()), command.options());
        if (parsed.flag("help")) {
          console.out(command.help());
          return ExitCodes.OK;
        }
        return command.run(parsed, context);
      } catch (Exception e) {
        return ((CredentialHelper) command).failed(e, context);
      }
    }
    CliContext context = new CliContext(env, console, transportPolicy);
    try {
      Args parsed = Args.parse(rest, withHelp(command.flags()), command.options());
      if (parsed.flag("help")) {
        console.out(command.help());
        return ExitCodes.OK;
      }
      return command.run(parsed, context);
    } catch (Args.UsageException e) {
      console.err("wif4j " + name + ": " + e.getMessage() + "\n\n" + command.help());
      return ExitCodes.USAGE;
    } catch (ConfigurationException e) {
      console.err("wif4j " + name + ": configuration error: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    } catch (FederationException e) {
      console.err("wif4j " + name + ": " + e.getMessage());
      return ExitCodes.FAILED;
    } catch (Exception e) {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof FederationException)) {
        cause = cause.getCause();
      }
      if (cause instanceof FederationException) {
        console.err("wif4j " + name + ": " + cause.getMessage());
      } else if (cause instanceof ConfigurationException) {
        console.err("wif4j " + name + ": configuration error: " + cause.getMessage());
        return ExitCodes.CONFIGURATION;
      } else {
        console.err(
            "wif4j "
                + name
                + ": "
                + e.getClass().getSimpleName()
                + ": "
                + Redaction.scrub(String.valueOf(e.getMessage())));
      }
      return ExitCodes.FAILED;
    }
  }

  private static Set<String> withHelp(Set<String> flags) {
    Set<String> s = new java.util.HashSet<>(flags);
    s.add("help");
    return s;
  }

  /** The top-level help. */
  public String usage() {
    StringBuilder sb =
        new StringBuilder(
            "wif4j: Workload Identity Federation for Java, from the command line.\n\n"
                + "Usage: wif4j [--set NAME=VALUE]... COMMAND [OPTIONS]\n\nCommands:\n");
    for (Supplier<Command> s : commands.values()) {
      Command c = s.get();
      sb.append(String.format("  %-24s %s%n", c.name(), c.summary()));
    }
    sb.append(
        "\nRun 'wif4j COMMAND --help' for a command's options. Configuration comes from the same"
            + " environment variables as the library (WIF4J_AUDIENCE or WIF4J_PROJECT_NUMBER/"
            + "WIF4J_POOL_ID/WIF4J_PROVIDER_ID, WIF4J_SERVICE_ACCOUNT, ...) or an external_account"
            + " file in GOOGLE_APPLICATION_CREDENTIALS.\n"
            + "Exit codes: 0 ok, 1 a federation step failed, 2 usage, 3 configuration.");
    return sb.toString();
  }

  /** Builder for {@link Cli}. */
  public static final class Builder {
    private Environment environment = Environment.system();
    private Console console = Console.system();
    private TransportPolicy transportPolicy = TransportPolicy.defaults();

    private Builder() {}

    /** Where variables are read. Default the process environment. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** Output. Default standard output and error. */
    public Builder console(Console console) {
      this.console = Objects.requireNonNull(console, "console");
      return this;
    }

    /** Timeouts, retries and TLS. */
    public Builder transportPolicy(TransportPolicy transportPolicy) {
      this.transportPolicy = Objects.requireNonNull(transportPolicy, "transportPolicy");
      return this;
    }

    /** Builds the command. */
    public Cli build() {
      return new Cli(this);
    }
  }
}

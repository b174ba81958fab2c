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
import io.github.wif4j.core.spi.Redaction;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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

  /** The commands, in the order of the help; see {@link #command}. */
  private static final List<String> NAMES =
      List.of(
          "demo",
          "doctor",
          "print-access-token",
          "print-id-token",
          "create-cred-config",
          "aws-credential-process",
          "google-executable",
          "gemini");

  private Cli(Builder b) {
    this.environment = b.environment;
    this.console = b.console;
    this.transportPolicy = b.transportPolicy;
  }

  /**
   * A new instance of command {@code name}, or null. A switch rather than a registry of instances
   * or constructor references, so a credential helper call loads and links only its own command
   * (its start time is what the AWS CLI waits for on every command).
   */
  private static Command command(String name) {
    return switch (name) {
      case "demo" -> new DemoCommand();
      case "doctor" -> new DoctorCommand();
      case "print-access-token" -> new PrintAccessTokenCommand();
      case "print-id-token" -> new PrintIdTokenCommand();
      case "create-cred-config" -> new CreateCredConfigCommand();
      case "aws-credential-process" -> new AwsCredentialProcessCommand();
      case "google-executable" -> new GoogleExecutableCommand();
      case "gemini" -> new GeminiCommand();
      default -> null;
    };
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
      Command asked = command(rest.get(0));
      if (asked == null) {
        console.err("wif4j help: unknown command '" + rest.get(0) + "'\n\n" + usage());
        return ExitCodes.USAGE;
      }
      console.out(asked.help());
      return ExitCodes.OK;
    }
    Command command = command(name);
    if (command == null) {
      console.err("wif4j: unknown command '" + name + "'\n\n" + usage());
      return ExitCodes.USAGE;
    }
    Environment env = overrides.isEmpty() ? environment : environment.withVariables(overrides);
    boolean helper = command instanceof CredentialHelper;
    CliContext context =
        new CliContext(
            env, helper ? console.quiet(env.get(Console.LOG_FILE_ENV)) : console, transportPolicy);
    try {
      Args parsed = Args.parse(rest, withHelp(command.flags()), command.options());
      if (parsed.flag("help")) {
        console.out(command.help());
        return ExitCodes.OK;
      }
      return command.run(parsed, context);
    } catch (Exception e) {
      return helper ? ((CredentialHelper) command).failed(e, context) : failed(name, command, e);
    }
  }

  private int failed(String name, Command command, Exception e) {
    if (e instanceof Args.UsageException) {
      console.err("wif4j " + name + ": " + e.getMessage() + "\n\n" + command.help());
      return ExitCodes.USAGE;
    }
    if (e instanceof ConfigurationException) {
      console.err("wif4j " + name + ": configuration error: " + e.getMessage());
      return ExitCodes.CONFIGURATION;
    }
    if (e instanceof FederationException) {
      console.err("wif4j " + name + ": " + e.getMessage());
      return ExitCodes.FAILED;
    }
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

  private static Set<String> withHelp(Set<String> flags) {
    Set<String> s = new HashSet<>(flags);
    s.add("help");
    return s;
  }

  /** The top-level help. */
  public String usage() {
    StringBuilder sb =
        new StringBuilder(
            "wif4j: Workload Identity Federation for Java, from the command line.\n\n"
                + "Usage: wif4j [--set NAME=VALUE]... COMMAND [OPTIONS]\n\nCommands:\n");
    for (String name : NAMES) {
      Command c = command(name);
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

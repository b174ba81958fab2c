package io.github.wif4j.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value}, {@code --name=value}, boolean flags and
 * positional arguments. Which options take a value is declared by the command.
 */
public final class Args {
  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  /**
   * Parses {@code args}; names in {@code flags} take no value, names in {@code options} take one,
   * and any other name is a usage error.
   *
   * @throws UsageException on an unknown option or one missing its value
   */
  public static Args parse(List<String> args, Set<String> flags, Set<String> options) {
    Args a = new Args();
    for (int i = 0; i < args.size(); i++) {
      String s = args.get(i);
      if (s.equals("--")) {
        a.positional.addAll(args.subList(i + 1, args.size()));
        break;
      }
      if (s.startsWith("--") && s.length() > 2) {
        String name = s.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (!options.contains(name) && !flags.contains(name)) {
          throw new UsageException("unknown option --" + name);
        }
        if (value != null) {
          // --name=value
        } else if (flags.contains(name)) {
          value = "true";
        } else {
          if (i + 1 >= args.size()) {
            throw new UsageException("--" + name + " needs a value");
          }
          value = args.get(++i);
        }
        a.options.put(name, value); // the last one wins
      } else if (s.equals("-h")) {
        a.options.put("help", "true");
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  /** The last value of {@code --name}. */
  public Optional<String> option(String name) {
    return Optional.ofNullable(options.get(name));
  }

  /** The value of {@code --name}, or a usage error saying it is required. */
  public String required(String name, String what) {
    Optional<String> v = option(name);
    if (v.isEmpty()) {
      throw new UsageException("--" + name + " is required: " + what);
    }
    return v.get();
  }

  /** Whether flag {@code --name} is present. */
  public boolean flag(String name) {
    Optional<String> v = option(name);
    return v.isPresent() && !v.get().equalsIgnoreCase("false");
  }

  /** Positional arguments. */
  public List<String> positional() {
    return positional;
  }

  /** A usage mistake: exit code 2, the command's help is shown. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A usage mistake described by {@code message}. */
    public UsageException(String message) {
      super(message);
    }
  }
}

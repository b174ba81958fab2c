package io.github.wif4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value}, {@code --name=value}, boolean flags and
 * positional arguments. Which options take a value is declared by the command.
 */
public final class Args {
  private final Map<String, List<String>> options = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Args() {}

  /**
   * Parses {@code args}; names in {@code flags} take no value.
   *
   * @throws UsageException on an option missing its value
   */
  public static Args parse(List<String> args, Set<String> flags) {
    return parse(args, flags, null);
  }

  /**
   * Parses {@code args}; names in {@code flags} take no value, names in {@code options} take one,
   * and with {@code options} given any other name is a usage error.
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
        if (options != null && !options.contains(name) && !flags.contains(name)) {
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
        a.add(name, value);
      } else if (s.equals("-h")) {
        a.add("help", "true");
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  // no lambdas on this path: a cached credential answer is timed in milliseconds, and each first
  // lambda costs the JVM a bootstrap
  private void add(String name, String value) {
    List<String> values = options.get(name);
    if (values == null) {
      values = new ArrayList<>();
      options.put(name, values);
    }
    values.add(value);
  }

  /** The last value of {@code --name}. */
  public Optional<String> option(String name) {
    List<String> v = options.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(v.size() - 1));
  }

  /** Every value of a repeatable option. */
  public List<String> options(String name) {
    return options.getOrDefault(name, List.of());
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

  /** The option names given. */
  public Set<String> names() {
    return options.keySet();
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

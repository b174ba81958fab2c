package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries, checked in the build (the cli module sees every module's sources):
 *
 * <ol>
 *   <li>No module imports another module's {@code internal} package. What modules share lives in
 *       exported packages ({@code core.spi}: Redaction, BoundedFiles, Json; {@code core.http}:
 *       AllowedHosts, OperationDeadline; {@code core.diagnostics}: Explanations; {@code aws},
 *       {@code azure}, {@code gcp2aws}, ...).
 *   <li>No package cycles within a module, with one package set aside: the module's root package
 *       ({@code io.github.wif4j.core}, {@code .aws}, {@code .azure}, {@code .gcp2aws}, {@code
 *       .cli}, ...). It is both the module's front door (builders and static factories such as
 *       {@code AwsSource.create()} that assemble the internal implementations) and the home of the
 *       types every package shares ({@code FederationException}, {@code Environment}), so it may
 *       import any package of its module and be imported by all of them. Among all other packages
 *       dependencies go one way: {@code internal} packages build on the API packages ({@code
 *       core.internal} imports {@code core.spi}, {@code core.http}, {@code core.config}); an API
 *       package imports an internal one only where nothing leads back ({@code core.spi.Json} on
 *       {@code core.internal.json}, which imports no wif4j package).
 *   <li>No two classes in different packages import each other (an API type whose static factories
 *       return its own internal implementations excepted).
 * </ol>
 *
 * A dependency is an import or a fully qualified name in code; comments are not read.
 */
class ModuleBoundariesTest {
  /** Module directory and its own package under {@code io.github.wif4j}. */
  private static final Map<String, String> MODULES =
      Map.of(
          "core", "core",
          "aws-source", "aws",
          "azure-source", "azure",
          "gcp-to-aws", "gcp2aws",
          "genai-adapter", "genai",
          "testing", "testing",
          "cli", "cli",
          "spring-boot-starter", "spring",
          "examples/agentcore-agent", "examples",
          "benchmarks", "benchmarks");

  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?io\\.github\\.wif4j\\.([\\w.]+);", Pattern.MULTILINE);

  /** {@code core.internal.config.Checks.X} -> {@code [core.internal.config, Checks]}. */
  private static String[] packageAndClass(String dotted) {
    String[] parts = dotted.split("\\.");
    StringBuilder pkg = new StringBuilder();
    for (String part : parts) {
      if (Character.isUpperCase(part.charAt(0))) {
        return new String[] {pkg.toString(), part};
      }
      pkg.append(pkg.length() == 0 ? "" : ".").append(part);
    }
    return new String[] {pkg.toString(), "*"};
  }

  private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

  private static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    return Files.exists(dir.resolve("core")) ? dir : dir.getParent();
  }

  private static List<Path> mainSources(String module) {
    Path src = root().resolve(module).resolve("src/main/java");
    if (!Files.isDirectory(src)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(src)) {
      return files.filter(p -> p.toString().endsWith(".java")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final Pattern COMMENT =
      Pattern.compile(
          "/\\*.*?\\*/|//[^\\n]*|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])'",
          Pattern.DOTALL);

  /** {@code text} with comments blanked (literals kept: a comment marker may be in one). */
  private static String code(String text) {
    return COMMENT
        .matcher(text)
        .replaceAll(m -> m.group().startsWith("/") ? " " : Matcher.quoteReplacement(m.group()));
  }

  private static final String BASE = "io.github.wif4j.";

  private static final Pattern QUALIFIED =
      Pattern.compile("\\bio\\.github\\.wif4j\\.((?:[a-z0-9_]+\\.)*[a-z0-9_]+)\\.[A-Z]");

  @Test
  void noPackageCyclesWithinAModuleApartFromItsRootPackage() {
    List<String> cycles = new ArrayList<>();
    MODULES.forEach(
        (module, own) -> {
          Map<String, Set<String>> edges = new TreeMap<>(); // package -> packages it uses
          Map<String, String> why = new HashMap<>(); // "a -> b" -> a class making that edge
          for (Path f : mainSources(module)) {
            String code = code(read(f));
            Matcher p = PACKAGE.matcher(code);
            if (!p.find() || !p.group(1).startsWith(BASE)) {
              continue;
            }
            String from = p.group(1).substring(BASE.length());
            Set<String> out = edges.computeIfAbsent(from, k -> new TreeSet<>());
            Matcher q = QUALIFIED.matcher(code.substring(p.end()));
            while (q.find()) {
              String to = q.group(1);
              if (!from.equals(own)
                  && !to.equals(own)
                  && !to.equals(from)
                  && to.startsWith(own + ".")) {
                out.add(to);
                why.putIfAbsent(from + " -> " + to, f.getFileName().toString());
              }
            }
          }
          for (String start : edges.keySet()) {
            List<String> cycle = cycleFrom(start, edges);
            // each cycle once: from its least package
            if (!cycle.isEmpty() && start.equals(Collections.min(cycle))) {
              StringBuilder sb = new StringBuilder(module).append(": ");
              for (int i = 0; i < cycle.size(); i++) {
                String edge = cycle.get(i) + " -> " + cycle.get((i + 1) % cycle.size());
                sb.append(i == 0 ? "" : ", ").append(edge).append(" (").append(why.get(edge));
                sb.append(')');
              }
              cycles.add(sb.toString());
            }
          }
        });
    assertTrue(
        cycles.isEmpty(),
        "Package cycles (move the shared type down into a package both may use, or pass it in): "
            + cycles);
  }

  /** The packages of a shortest cycle through {@code start}, {@code start} first; or empty. */
  private static List<String> cycleFrom(String start, Map<String, Set<String>> edges) {
    Map<String, String> parent = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String at = queue.removeFirst();
      for (String next : edges.getOrDefault(at, Set.of())) {
        if (next.equals(start)) {
          List<String> cycle = new ArrayList<>();
          for (String s = at; s != null; s = parent.get(s)) {
            cycle.add(0, s);
          }
          return cycle;
        }
        if (!parent.containsKey(next)) {
          parent.put(next, at);
          queue.addLast(next);
        }
      }
    }
    return List.of();
  }

  @Test
  void noModuleUsesAnotherModulesInternalPackage() {
    Set<String> violations = new TreeSet<>();
    MODULES.forEach(
        (module, own) -> {
          for (Path f : mainSources(module)) {
            Matcher m = QUALIFIED.matcher(code(read(f))); // imports and qualified names alike
            while (m.find()) {
              String pkg = m.group(1);
              String top = pkg.split("\\.")[0];
              boolean internal = pkg.equals(top + ".internal") || pkg.contains(".internal.");
              if (internal && !top.equals(own)) {
                violations.add(module + " uses " + pkg + " (" + f.getFileName() + ")");
              }
            }
          }
        });
    assertTrue(
        violations.isEmpty(),
        "Move what modules share to an exported package (core.spi, core.http, aws, ...): "
            + violations);
  }

  /**
   * Whether {@code implementation} implements or extends {@code api}: an API type whose static
   * factories return its internal implementations (as {@code HttpClient.newHttpClient()} does) is
   * the one allowed pair.
   */
  private static boolean implementsApi(String implementation, String api) {
    String simple = api.substring(api.lastIndexOf('.') + 1);
    return implementation != null
        && Pattern.compile("(implements|extends)[^{]*\\b" + simple + "\\b")
            .matcher(implementation)
            .find();
  }

  @Test
  void noTwoClassesInDifferentPackagesImportEachOther() {
    Set<String> cycles = new TreeSet<>();
    for (String module : MODULES.keySet()) {
      Map<String, Set<String>> imports = new HashMap<>(); // class -> classes it imports
      Map<String, String> texts = new HashMap<>();
      for (Path f : mainSources(module)) {
        String text = read(f);
        Matcher p = PACKAGE.matcher(text);
        if (!p.find()) {
          continue;
        }
        String cls = p.group(1) + "." + f.getFileName().toString().replace(".java", "");
        Set<String> out = new TreeSet<>();
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          String[] pc = packageAndClass(m.group(1));
          out.add("io.github.wif4j." + pc[0] + "." + pc[1]);
        }
        imports.put(cls, out);
        texts.put(cls, text);
      }
      List<String> classes = new ArrayList<>(imports.keySet());
      for (String a : classes) {
        for (String b : imports.get(a)) {
          if (imports.getOrDefault(b, Set.of()).contains(a)
              && a.compareTo(b) < 0
              && !implementsApi(texts.get(b), a)
              && !implementsApi(texts.get(a), b)) {
            cycles.add(a + " <-> " + b);
          }
        }
      }
    }
    assertTrue(cycles.isEmpty(), "Class cycles across packages: " + cycles);
  }
}

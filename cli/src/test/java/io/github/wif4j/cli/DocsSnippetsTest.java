package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.wif4j.core.Environment;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles every {@code ```java} block of README.md and docs/ against the real modules, so the
 * documentation cannot drift from the API. A block is a method body (statements) unless it declares
 * a class; a block preceded by {@code <!-- not compiled -->} is skipped (sketches of third-party
 * APIs).
 */
class DocsSnippetsTest {
  private static final String IMPORTS =
      String.join(
          "\n",
          "import io.github.wif4j.core.*;",
          "import io.github.wif4j.core.config.*;",
          "import io.github.wif4j.core.http.*;",
          "import io.github.wif4j.core.spi.*;",
          "import io.github.wif4j.core.events.*;",
          "import io.github.wif4j.aws.*;",
          "import io.github.wif4j.azure.*;",
          "import io.github.wif4j.gcp2aws.*;",
          "import io.github.wif4j.genai.*;",
          "import io.github.wif4j.testing.*;",
          "import com.google.auth.oauth2.GoogleCredentials;",
          "import com.google.auth.oauth2.ImpersonatedCredentials;",
          "import com.google.auth.oauth2.IdTokenProvider;",
          "import com.google.genai.Client;",
          "import com.google.genai.ResponseStream;",
          "import com.google.genai.types.GenerateContentResponse;",
          "import com.google.genai.types.HttpOptions;",
          "import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;",
          "import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;",
          "import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;",
          "import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;",
          "import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;",
          "import software.amazon.awssdk.regions.Region;",
          "import software.amazon.awssdk.services.sts.StsClient;",
          "import java.net.URI;",
          "import java.nio.file.*;",
          "import java.time.*;",
          "import java.util.List;",
          "import java.util.Map;",
          "");

  record Snippet(Path file, int line, String code) {}

  @TempDir Path out;

  @Test
  void everyJavaBlockInTheDocsCompiles() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent(); // cli/ -> repository root
    List<Snippet> snippets = new ArrayList<>();
    collect(root.resolve("README.md"), snippets);
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      for (Path p : (Iterable<Path>) docs.filter(f -> f.toString().endsWith(".md"))::iterator) {
        collect(p, snippets);
      }
    }
    try (Stream<Path> examples = Files.walk(root.resolve("examples"))) {
      for (Path p : (Iterable<Path>) examples.filter(f -> f.toString().endsWith(".md"))::iterator) {
        collect(p, snippets);
      }
    }
    assertTrue(snippets.size() >= 5, "found only " + snippets.size() + " snippets");
    List<JavaFileObject> sources = new ArrayList<>();
    for (int i = 0; i < snippets.size(); i++) {
      sources.add(source("Snippet" + i, wrap("Snippet" + i, snippets.get(i).code())));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    Environment jvm = Environment.system();
    String cp =
        jvm.property("surefire.test.class.path").orElse(jvm.property("java.class.path").orElse(""));
    StringWriter errors = new StringWriter();
    boolean ok =
        javac
            .getTask(
                errors,
                null,
                null,
                List.of("-classpath", cp, "-d", out.toString(), "-proc:none", "-Xlint:none"),
                null,
                sources)
            .call();
    if (!ok) {
      StringBuilder where = new StringBuilder();
      for (int i = 0; i < snippets.size(); i++) {
        Snippet s = snippets.get(i);
        where
            .append("Snippet")
            .append(i)
            .append(" = ")
            .append(root.relativize(s.file()))
            .append(':')
            .append(s.line())
            .append('\n');
      }
      fail("documentation snippets do not compile:\n" + errors + "\n" + where);
    }
  }

  private static void collect(Path file, List<Snippet> into) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).trim().equals("```java")) {
        continue;
      }
      boolean skip = i > 0 && lines.get(i - 1).contains("<!-- not compiled -->");
      StringBuilder code = new StringBuilder();
      int start = i + 1;
      for (i = i + 1; i < lines.size() && !lines.get(i).trim().equals("```"); i++) {
        code.append(lines.get(i)).append('\n');
      }
      if (!skip) {
        into.add(new Snippet(file, start, code.toString()));
      }
    }
  }

  private static String wrap(String name, String code) {
    StringBuilder imports = new StringBuilder(IMPORTS);
    StringBuilder body = new StringBuilder();
    for (String l : code.split("\n")) {
      if (l.startsWith("import ")) {
        imports.append(l).append('\n');
      } else {
        body.append(l).append('\n');
      }
    }
    String b = body.toString();
    boolean declaresType =
        b.matches("(?s).*^(public |final )*(class|record|interface|enum) .*")
            || b.contains("\nclass ")
            || b.startsWith("class ")
            || b.contains("public final class ")
            || b.contains("public class ");
    if (declaresType) {
      return imports + "\n@SuppressWarnings(\"all\") class " + name + " {\n" + b + "\n}\n";
    }
    // a block may use what an earlier block on the same page declared, e.g. "credentials"
    return imports
        + "\n@SuppressWarnings(\"all\") class "
        + name
        + " {\n  FederatedCredentials credentials;\n  void snippet() throws Exception {\n"
        + b
        + "\n  }\n}\n";
  }

  private static JavaFileObject source(String name, String code) {
    return new SimpleJavaFileObject(
        URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
  }
}

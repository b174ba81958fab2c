package io.github.wif4j.cli;

import io.github.wif4j.core.Environment;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.TestTls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/** Runs the command in-process against a map environment, or writes a launcher for subprocesses. */
final class CliRunner {
  final Console console = Console.capturing();
  int exit;

  static TransportPolicy testTls() {
    return TransportPolicy.builder().sslContext(TestTls.clientContext()).build();
  }

  CliRunner run(Map<String, String> env, String... args) {
    Map<String, String> withFakes = new java.util.HashMap<>(env);
    // the fakes listen on loopback; a test of the allow-list sets the variable itself
    withFakes.putIfAbsent("WIF4J_ALLOWED_ENDPOINT_HOSTS", "127.0.0.1");
    exit =
        Cli.builder()
            .environment(Environment.of(withFakes))
            .console(console)
            .transportPolicy(testTls())
            .build()
            .run(args);
    return this;
  }

  String out() {
    return console.capturedOut();
  }

  String err() {
    return console.capturedErr();
  }

  /** A shell script that runs {@code wif4j} in a fresh JVM on the test class path. */
  static Path launcher(Path dir) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path script = dir.resolve("wif4j-test");
    Files.writeString(
        script,
        "#!/bin/sh\nexec '" + java + "' -cp '" + cp + "' io.github.wif4j.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }
}

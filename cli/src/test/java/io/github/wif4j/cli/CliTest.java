package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Help, usage errors and exit codes. */
class CliTest {

  @Test
  void help_listsEveryCommand() {
    CliRunner r = new CliRunner().run(Map.of(), "--help");
    assertEquals(ExitCodes.OK, r.exit);
    for (String c :
        List.of(
            "demo",
            "doctor",
            "print-access-token",
            "print-id-token",
            "create-cred-config",
            "aws-credential-process",
            "google-executable",
            "gemini")) {
      assertTrue(r.out().contains(c), c);
      CliRunner h = new CliRunner().run(Map.of(), c, "--help");
      assertEquals(ExitCodes.OK, h.exit, c);
      assertTrue(h.out().startsWith("Usage: wif4j " + c), h.out());
    }
  }

  @Test
  void unknownCommand_exit2WithUsage() {
    CliRunner r = new CliRunner().run(Map.of(), "frobnicate");
    assertEquals(ExitCodes.USAGE, r.exit);
    assertTrue(r.err().contains("unknown command 'frobnicate'"), r.err());
  }

  @Test
  void helpForAnUnknownCommand_exit2() {
    CliRunner r = new CliRunner().run(Map.of(), "help", "nosuch");
    assertEquals(ExitCodes.USAGE, r.exit);
    assertTrue(r.err().contains("unknown command 'nosuch'"), r.err());
    assertEquals(ExitCodes.OK, new CliRunner().run(Map.of(), "help", "doctor").exit);
  }

  @Test
  void missingRequiredOption_exit2NamesIt() {
    CliRunner r = new CliRunner().run(Map.of(), "aws-credential-process");
    assertEquals(ExitCodes.USAGE, r.exit);
    assertTrue(r.err().contains("--role-arn is required"), r.err());
  }

  @Test
  void badConfiguration_exit3NamesTheVariable() {
    CliRunner r =
        new CliRunner()
            .run(Map.of("WIF4J_AUDIENCE", "projects/my-project/pools/x"), "print-access-token");
    assertEquals(ExitCodes.CONFIGURATION, r.exit);
    assertTrue(r.err().contains("WIF4J_AUDIENCE"), r.err());
  }

  @Test
  void setOverridesAnEnvironmentVariable() {
    CliRunner r =
        new CliRunner()
            .run(
                Map.of(), "--set", "WIF4J_AUDIENCE=nonsense", "create-cred-config", "--executable");
    assertEquals(ExitCodes.CONFIGURATION, r.exit);
    assertTrue(r.err().contains("WIF4J_AUDIENCE"), r.err());
  }

  @Test
  void version() {
    CliRunner r = new CliRunner().run(Map.of(), "--version");
    assertEquals(ExitCodes.OK, r.exit);
    assertTrue(r.out().startsWith("wif4j "));
  }

  @Test
  void unknownOption_exit2NamesIt() {
    CliRunner r = new CliRunner().run(Map.of(), "doctor", "--jsn");
    assertEquals(ExitCodes.USAGE, r.exit);
    assertTrue(r.err().contains("unknown option --jsn"), r.err());
  }

  @Test
  void doctorOnBadConfiguration_exit3() {
    CliRunner r = new CliRunner().run(Map.of("WIF4J_AUDIENCE", "nonsense"), "doctor");
    assertEquals(ExitCodes.CONFIGURATION, r.exit);
    assertTrue(r.out().contains("FAIL configuration"), r.out());
  }
}

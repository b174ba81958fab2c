package io.github.wif4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's first command works offline. */
class DemoCommandTest {

  @Test
  void demo_allScenariosSucceedOnTheEmbeddedFakeCloud() {
    CliRunner r = new CliRunner().run(Map.of(), "demo");
    assertEquals(ExitCodes.OK, r.exit, r.out() + r.err());
    assertTrue(r.out().contains("fake-gemini: Say hello"), r.out());
    assertTrue(
        r.out().contains("requests: IMDS 5, Google STS 1, IAM Credentials 1, Vertex AI 1"),
        r.out());
    assertTrue(r.out().contains("assumed-role/from-cloud-run/"), r.out());
    assertTrue(
        r.out().contains("requests: App Service identity 1, Google STS 1, IAM Credentials 0"),
        r.out());
    assertTrue(!r.out().contains("FAILED"), r.out());
    assertTrue(r.out().contains("Done in"), r.out());
  }
}

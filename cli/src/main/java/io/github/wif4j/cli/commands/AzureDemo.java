package io.github.wif4j.cli.commands;

import io.github.wif4j.cli.Console;
import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeCloud;

/** The demo's Azure App Service scenario. */
final class AzureDemo {
  private AzureDemo() {}

  static boolean run(
      int n, FakeCloud cloud, TransportPolicy policy, String prompt, Console console) {
    console.out(n + ". Azure App Service -> Google STS (direct access) -> Vertex AI Gemini");
    console.out("   skipped: the Azure source is not built yet\n");
    return true;
  }
}

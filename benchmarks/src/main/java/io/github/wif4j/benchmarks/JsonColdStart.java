package io.github.wif4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.api.client.json.gson.GsonFactory;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Cost of the JSON library in a fresh JVM: each child parses an {@code external_account}
 * configuration and a Google STS response, first with google-auth's own parser (which every
 * federated refresh runs anyway), then with Gson's tree API or Jackson's {@code readTree}. The
 * parent reports the whole-process time and the classes loaded, per library. Run: {@code java -cp
 * benchmarks/target/benchmarks.jar io.github.wif4j.benchmarks.JsonColdStart [runs]}.
 */
public final class JsonColdStart {
  static final String CONFIG =
      "{\"type\":\"external_account\",\"audience\":\"//iam.googleapis.com/projects/123456/"
          + "locations/global/workloadIdentityPools/pool/providers/aws\",\"subject_token_type\":"
          + "\"urn:ietf:params:aws:token-type:aws4_request\",\"token_url\":"
          + "\"https://sts.googleapis.com/v1/token\",\"credential_source\":{\"environment_id\":"
          + "\"aws1\",\"region_url\":\"http://169.254.169.254/latest/meta-data/placement/"
          + "availability-zone\",\"url\":\"http://169.254.169.254/latest/meta-data/iam/"
          + "security-credentials\",\"regional_cred_verification_url\":\"https://sts.{region}."
          + "amazonaws.com?Action=GetCallerIdentity&Version=2011-06-15\","
          + "\"imdsv2_session_token_url\":\"http://169.254.169.254/latest/api/token\"},"
          + "\"service_account_impersonation\":{\"token_lifetime_seconds\":3600}}";
  static final String STS =
      "{\"access_token\":\"ya29.d.c0ASRK0Ga\",\"issued_token_type\":"
          + "\"urn:ietf:params:oauth:token-type:access_token\",\"token_type\":\"Bearer\","
          + "\"expires_in\":3599}";

  private JsonColdStart() {}

  /** Parent: {@code [runs]}; child: {@code child none|gson|jackson}. */
  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[0].equals("child")) {
      child(args[1]);
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    List<String> libs = List.of("none", "gson", "jackson");
    Map<String, List<Long>> ms = new LinkedHashMap<>();
    Map<String, String> classes = new LinkedHashMap<>();
    for (int i = 0; i < runs; i++) {
      for (String lib : libs) { // interleaved, so drift in machine load hits all alike
        long t0 = System.nanoTime();
        String out = run(lib);
        ms.computeIfAbsent(lib, k -> new ArrayList<>()).add((System.nanoTime() - t0) / 1_000_000);
        classes.put(lib, out.strip());
      }
    }
    System.out.println(
        "\n### JSON library in a fresh JVM (config + STS response), " + runs + " runs");
    System.out.println("\n| Parser (after google-auth's) | median | min - max | classes loaded |");
    System.out.println("|---|---:|---|---:|");
    for (String lib : libs) {
      List<Long> t = ms.get(lib);
      Collections.sort(t);
      System.out.println(
          String.format(
              Locale.ROOT,
              "| %s | %d ms | %d - %d ms | %s |",
              lib,
              t.get(t.size() / 2),
              t.get(0),
              t.get(t.size() - 1),
              classes.get(lib)));
    }
    System.exit(0);
  }

  private static String run(String lib) throws Exception {
    io.github.wif4j.core.Environment jvm = io.github.wif4j.core.Environment.system();
    String java = Path.of(jvm.property("java.home").orElseThrow(), "bin", "java").toString();
    ProcessBuilder pb =
        new ProcessBuilder(
            java,
            "-cp",
            jvm.property("java.class.path").orElseThrow(),
            JsonColdStart.class.getName(),
            "child",
            lib);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(lib + " failed: " + out);
    }
    return out;
  }

  private static void child(String lib) throws Exception {
    // google-auth parses every STS response with google-http-client's Gson factory
    GsonFactory.getDefaultInstance().createJsonParser(STS).parse(java.util.Map.class);
    String aud;
    String token;
    switch (lib) {
      case "gson":
        JsonObject c = JsonParser.parseString(CONFIG).getAsJsonObject();
        aud = c.get("audience").getAsString();
        token = JsonParser.parseString(STS).getAsJsonObject().get("access_token").getAsString();
        break;
      case "jackson":
        ObjectMapper m = new ObjectMapper();
        JsonNode n = m.readTree(CONFIG);
        aud = n.get("audience").asText();
        token = m.readTree(STS).get("access_token").asText();
        break;
      default:
        aud = "x";
        token = "y";
    }
    if (aud.isEmpty() || token.isEmpty()) {
      throw new IllegalStateException();
    }
    System.out.println(ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
    System.exit(0);
  }
}

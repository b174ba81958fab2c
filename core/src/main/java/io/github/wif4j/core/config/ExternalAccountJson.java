package io.github.wif4j.core.config;

import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederationSettings;
import io.github.wif4j.core.WorkloadIdentityAudience;
import io.github.wif4j.core.internal.config.Checks;
import io.github.wif4j.core.internal.json.JsonTree;
import io.github.wif4j.core.spi.BoundedFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes the {@code external_account} JSON with explicit type checks on every field.
 * Package-private: use {@link ExternalAccountConfig}.
 */
final class ExternalAccountJson {
  private static final System.Logger LOG = System.getLogger(ExternalAccountJson.class.getName());
  private static final int MAX_BYTES = 1 << 20;
  private static final String CREATE_CRED_CONFIG =
      "a configuration written by: gcloud iam workload-identity-pools create-cred-config";

  /** The file's name of each {@link FederationSettings.Builder} input. */
  private static final Map<String, String> FIELDS =
      Map.of(
          "tokenUrl", "token_url",
          "serviceAccountImpersonationUrl", "service_account_impersonation_url",
          "tokenLifetime", "service_account_impersonation.token_lifetime_seconds",
          "tokenInfoUrl", "token_info_url",
          "quotaProjectId", "quota_project_id",
          "workforcePoolUserProject", "workforce_pool_user_project");

  private ExternalAccountJson() {}

  // ---- entry points ---------------------------------------------------------------------------

  /** Parses {@code json}; {@code origin} (a path, an env var) is added to every message. */
  static ExternalAccountConfig parse(String json, String origin) {
    try {
      return parseTree(tree(json), origin);
    } catch (ConfigurationException e) {
      throw withOrigin(e, origin);
    }
  }

  /** Reads a UTF-8 file, naming {@code envVar} (when given) and the path in every failure. */
  static String readFile(Path path, String envVar) {
    String field = envVar == null ? path.toString() : envVar;
    String subject = envVar == null ? "the file" : "points to '" + path + "', which";
    String expected =
        "a readable external_account JSON file"
            + (envVar == null ? "" : "; fix or unset " + envVar);
    try {
      // a regular file only (a FIFO would hang, /dev/zero claims size 0 and never ends)
      return decode(BoundedFiles.read(path, MAX_BYTES), field, expected);
    } catch (BoundedFiles.NotARegularFile e) {
      throw ConfigurationException.of(field, subject + " is " + e.getMessage(), expected);
    } catch (BoundedFiles.TooLarge e) {
      throw ConfigurationException.of(
          field, subject + " is larger than 1 MiB; it is not a credential configuration", expected);
    } catch (NoSuchFileException e) {
      throw ConfigurationException.of(field, subject + " does not exist", expected);
    } catch (AccessDeniedException e) {
      throw ConfigurationException.of(
          field, subject + " cannot be read (permission denied)", expected);
    } catch (IOException | UncheckedIOException | SecurityException e) {
      throw ConfigurationException.of(
          field, subject + " cannot be read (" + e.getClass().getSimpleName() + ")", expected);
    }
  }

  /** Reads a UTF-8 stream without closing it. */
  static String readStream(InputStream in) {
    String expected = "an external_account JSON document";
    try {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw ConfigurationException.of(
            "input stream", "is larger than 1 MiB; it is not a credential configuration", expected);
      }
      return decode(bytes, "input stream", expected);
    } catch (IOException e) {
      throw ConfigurationException.of(
          "input stream",
          "could not be read (" + e.getClass().getSimpleName() + ")",
          expected,
          null);
    }
  }

  /**
   * A configuration and the text it was parsed from.
   *
   * @param config the validated configuration
   * @param text the original JSON text (may hold a client secret)
   * @param variable the environment variable that named or held it
   */
  record Parsed(ExternalAccountConfig config, String text, String variable) {}

  /** Credential file types other Google libraries read; wif4j leaves them to those libraries. */
  private static final List<String> OTHER_TYPES =
      List.of(
          "service_account",
          "authorized_user",
          "impersonated_service_account",
          "external_account_authorized_user",
          "gdch_service_account");

  /** See {@link ExternalAccountConfig#fromEnvironment(Environment)}. */
  static Optional<Parsed> fromEnvironment(Environment env, String inlineVar, String pathVar) {
    Optional<String> inline = env.get(inlineVar);
    if (inline.isPresent()) {
      String v = inline.get();
      if (!v.startsWith("{")) {
        throw ConfigurationException.of(
            inlineVar,
            "does not hold JSON"
                + (v.length() < 300 && !v.contains("\n") && v.contains("/")
                    ? " (it looks like a file path: '" + v + "')"
                    : ""),
            "the external_account JSON itself; for a file path use " + pathVar);
      }
      return Optional.of(new Parsed(parse(v, inlineVar), v, inlineVar));
    }
    Optional<String> file = env.get(pathVar);
    if (file.isEmpty()) {
      return Optional.empty();
    }
    Path path;
    try {
      path = Path.of(file.get());
    } catch (RuntimeException e) {
      throw ConfigurationException.of(
          pathVar, "'" + file.get() + "' is not a valid path", "the path of a credential file");
    }
    String text = readFile(path, pathVar);
    String origin = path + " (" + pathVar + ")";
    try {
      Object root = tree(text);
      if (root instanceof Map<?, ?> m
          && m.get("type") instanceof String type
          && OTHER_TYPES.contains(type)) {
        LOG.log(
            System.Logger.Level.DEBUG,
            "{0} points to a credential file of type {1}; not an external_account configuration,"
                + " ignored by wif4j",
            pathVar,
            abbreviate(type));
        return Optional.empty();
      }
      return Optional.of(new Parsed(parseTree(root, origin), text, pathVar));
    } catch (ConfigurationException e) {
      throw withOrigin(e, origin);
    }
  }

  // ---- parsing --------------------------------------------------------------------------------

  private static Object tree(String json) {
    if (json == null) {
      throw ConfigurationException.missing("(document)", CREATE_CRED_CONFIG);
    }
    if (json.isBlank()) {
      throw ConfigurationException.of("(document)", "is empty", CREATE_CRED_CONFIG);
    }
    try {
      return JsonTree.parse(json, true);
    } catch (JsonTree.Malformed e) {
      // Never quote the parser's message: it may echo the offending token, a secret.
      String where = e.line == 0 ? "" : " at line " + e.line + ", column " + e.column;
      String what =
          e.kind.equals("truncated")
              ? "ends unexpectedly"
                  + where
                  + ": the JSON is truncated or a closing '}' or '\"'"
                  + " is missing"
              : e.kind.equals("duplicate")
                  ? "has a duplicate field" + where
                  : "is not valid JSON" + where;
      throw ConfigurationException.of("(document)", what, "a JSON object: " + CREATE_CRED_CONFIG);
    }
  }

  @SuppressWarnings("unchecked")
  private static ExternalAccountConfig parseTree(Object root, String origin) {
    if (!(root instanceof Map)) {
      throw ConfigurationException.of(
          "(document)",
          "the top level is " + describe(root) + ", not a JSON object",
          "{\"type\": \"external_account\", \"audience\": ..., ...}");
    }
    Obj top = new Obj((Map<String, Object>) root, "");
    String type = top.requiredString("type", "\"external_account\"");
    if (!"external_account".equals(type)) {
      throw wrongType(type);
    }
    String audienceText =
        top.requiredString(
            "audience",
            "//iam.googleapis.com/projects/PROJECT_NUMBER/locations/global/workloadIdentityPools/"
                + "POOL_ID/providers/PROVIDER_ID");
    WorkloadIdentityAudience audience = WorkloadIdentityAudience.parse(audienceText);
    String universe = audience.universeDomain();
    Optional<String> universeField =
        top.optionalString("universe_domain", "a domain such as googleapis.com");
    if (universeField.isPresent()) {
      Checks.universeDomain("universe_domain", universeField.get());
      if (!universeField.get().equals(universe)) {
        throw ConfigurationException.of(
            "universe_domain",
            "'"
                + universeField.get()
                + "' disagrees with the audience's universe '"
                + universe
                + "'",
            "the domain after //iam. in the audience, or no universe_domain");
      }
    }
    String subjectTokenType =
        top.optionalString("subject_token_type", "e.g. urn:ietf:params:oauth:token-type:jwt")
            .orElse(null);
    // JSON types are checked here; the values by FederationSettings.Builder, renamed to the file's
    // fields (the universe comes from the audience, checked against universe_domain above)
    FederationSettings.Builder sb = FederationSettings.builder().audience(audience);
    top.optionalString("token_url", "https://sts.UNIVERSE/v1/token").ifPresent(sb::tokenUrl);
    Optional<String> impersonation =
        top.optionalString("service_account_impersonation_url", "an https URL");
    impersonation.ifPresent(sb::serviceAccountImpersonationUrl);
    Optional<Obj> options =
        top.optionalObject("service_account_impersonation", "{\"token_lifetime_seconds\": 3600}");
    if (options.isPresent()) {
      Optional<Long> lifetime =
          options.get().optionalInteger("token_lifetime_seconds", "an integer from 600 to 43200");
      if (lifetime.isPresent() && impersonation.isPresent()) {
        sb.tokenLifetime(Duration.ofSeconds(lifetime.get()));
      } else if (lifetime.isPresent()) {
        LOG.log(
            System.Logger.Level.WARNING,
            "service_account_impersonation.token_lifetime_seconds is ignored: there is no"
                + " service_account_impersonation_url{0}",
            origin == null ? "" : " (in " + origin + ")");
      }
    }
    top.optionalString("token_info_url", "an https URL").ifPresent(sb::tokenInfoUrl);
    top.optionalString("quota_project_id", "a project ID").ifPresent(sb::quotaProjectId);
    top.optionalString("workforce_pool_user_project", "a project ID or number")
        .ifPresent(sb::workforcePoolUserProject);
    FederationSettings settings;
    try {
      settings = sb.build();
    } catch (ConfigurationException e) {
      throw Checks.renamed(e, FIELDS);
    }
    Optional<String> clientId = top.optionalString("client_id", "the OAuth client ID");
    Optional<String> clientSecret =
        top.optionalSecretString("client_secret", "the OAuth client secret");

    CredentialSource credentialSource =
        top.optionalObject("credential_source", "an object")
            .map(ExternalAccountJson::parseSource)
            .orElse(null); // ExternalAccountConfig.Builder names what is missing

    return ExternalAccountConfig.builder()
        .settings(settings)
        .subjectTokenType(subjectTokenType)
        .credentialSource(credentialSource)
        .clientId(clientId.orElse(null))
        .clientSecret(clientSecret.orElse(null))
        .build();
  }

  private static ConfigurationException wrongType(String type) {
    String t = abbreviate(type);
    String what =
        switch (type) {
          case "service_account" ->
              "this is a service-account key file (type service_account), not a workload identity"
                  + " federation configuration; federation exists to replace such long-lived keys";
          case "authorized_user" ->
              "this is a user credential file (type authorized_user, from gcloud auth"
                  + " application-default login), not a federation configuration";
          case "impersonated_service_account" ->
              "this is an impersonated_service_account file, not a federation configuration";
          case "external_account_authorized_user" ->
              "this is a workforce identity user login (type external_account_authorized_user,"
                  + " from gcloud auth application-default login --login-config), not a"
                  + " configuration wif4j can run";
          default ->
              "'"
                  + t
                  + "' is not external_account"
                  + (looksLikeExternalAccount(type) ? " (a typo?)" : "")
                  + "; the credential file types are external_account (workload identity"
                  + " federation, the one wif4j reads) and "
                  + String.join(", ", OTHER_TYPES)
                  + " (read by other Google libraries)";
        };
    return ConfigurationException.of(
        "type", what, "\"type\": \"external_account\": " + CREATE_CRED_CONFIG);
  }

  /** Whether {@code type} is within two edits of external_account (ignoring case and _-). */
  private static boolean looksLikeExternalAccount(String type) {
    String a = type.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    String b = "externalaccount";
    if (Math.abs(a.length() - b.length()) > 2) {
      return false;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()] <= 2;
  }

  private static CredentialSource parseSource(Obj src) {
    if (src.has("environment_id")) {
      String env = src.requiredString("environment_id", "\"aws1\"");
      if (!env.toLowerCase(Locale.ROOT).startsWith("aws")) {
        throw ConfigurationException.of(
            "credential_source.environment_id",
            "'" + abbreviate(env) + "' is not a known environment",
            "\"aws1\" for AWS; for other clouds use file, url, executable or certificate");
      }
      String regional =
          src.optionalString(
                  "regional_cred_verification_url",
                  AwsCredentialSource.DEFAULT_REGIONAL_CRED_VERIFICATION_URL)
              .orElseThrow(
                  () ->
                      ConfigurationException.missing(
                          "credential_source.regional_cred_verification_url",
                          AwsCredentialSource.DEFAULT_REGIONAL_CRED_VERIFICATION_URL));
      return AwsCredentialSource.of(
          env,
          src.optionalString("region_url", AwsCredentialSource.DEFAULT_REGION_URL).orElse(null),
          src.optionalString("url", AwsCredentialSource.DEFAULT_URL).orElse(null),
          regional,
          src.optionalString(
                  "imdsv2_session_token_url", AwsCredentialSource.DEFAULT_IMDSV2_SESSION_TOKEN_URL)
              .orElse(null));
    }
    List<String> kinds = new ArrayList<>();
    for (String k : List.of("file", "url", "executable", "certificate")) {
      if (src.has(k)) {
        kinds.add(k);
      }
    }
    String oneOf =
        "exactly one of \"file\", \"url\", \"executable\", \"certificate\", or"
            + " \"environment_id\": \"aws1\" for AWS";
    if (kinds.isEmpty()) {
      throw ConfigurationException.of(
          "credential_source",
          "names no source (keys: " + List.copyOf(src.node().keySet()) + ")",
          oneOf);
    }
    if (kinds.size() > 1) {
      throw ConfigurationException.of(
          "credential_source", "names several sources: " + String.join(", ", kinds), oneOf);
    }
    switch (kinds.get(0)) {
      case "file":
        return FileCredentialSource.of(
            src.requiredString("file", "the path of the token file"), format(src));
      case "url":
        return UrlCredentialSource.of(
            src.requiredString("url", "the URL serving the token"), headers(src), format(src));
      case "executable":
        {
          Obj ex =
              src.optionalObject("executable", "{\"command\": \"...\", \"timeout_millis\": 30000}")
                  .get();
          String command =
              ex.optionalString("command", "the command line printing the token")
                  .orElseThrow(
                      () ->
                          ConfigurationException.missing(
                              "credential_source.executable.command",
                              "the full command line printing the token response"));
          long timeout =
              ex.optionalInteger("timeout_millis", "milliseconds from 5000 to 120000")
                  .orElse((long) ExecutableCredentialSource.DEFAULT_TIMEOUT_MILLIS);
          if (timeout < 5_000 || timeout > 120_000) {
            throw ConfigurationException.of(
                "credential_source.executable.timeout_millis",
                timeout + " is out of range",
                "milliseconds from 5000 to 120000 (default 30000)");
          }
          return ExecutableCredentialSource.of(
              command, (int) timeout, ex.optionalString("output_file", "a file path").orElse(null));
        }
      default:
        {
          Obj c =
              src.optionalObject("certificate", "{\"use_default_certificate_config\": true}").get();
          return CertificateCredentialSource.of(
              c.optionalBoolean("use_default_certificate_config").orElse(false),
              c.optionalString("certificate_config_location", "a file path").orElse(null),
              c.optionalString("trust_chain_path", "a PEM file path").orElse(null));
        }
    }
  }

  private static Format format(Obj src) {
    Optional<Obj> f =
        src.optionalObject(
            "format", "{\"type\": \"json\", \"subject_token_field_name\": \"access_token\"}");
    if (f.isEmpty()) {
      return Format.text();
    }
    String type = f.get().optionalString("type", "\"text\" or \"json\"").orElse("text");
    switch (type.toLowerCase(Locale.ROOT)) {
      case "text":
        return Format.text();
      case "json":
        return Format.json(
            f.get()
                .optionalString("subject_token_field_name", "the JSON field holding the token")
                .orElseThrow(
                    () ->
                        ConfigurationException.missing(
                            "credential_source.format.subject_token_field_name",
                            "the JSON field holding the token, e.g. access_token (required with"
                                + " \"type\": \"json\")")));
      default:
        throw ConfigurationException.of(
            "credential_source.format.type",
            "'" + abbreviate(type) + "' is not a format",
            "\"text\" or \"json\"");
    }
  }

  private static Map<String, String> headers(Obj src) {
    Optional<Obj> h = src.optionalObject("headers", "{\"Metadata\": \"True\"}");
    Map<String, String> out = new LinkedHashMap<>();
    if (h.isPresent()) {
      for (Map.Entry<String, Object> e : h.get().node().entrySet()) {
        out.put(e.getKey(), h.get().requiredSecretString(e.getKey(), "a string header value"));
      }
    }
    return out;
  }

  /** A JSON object at a path, with typed getters that name the path on failure. */
  private record Obj(Map<String, Object> node, String path) {
    String at(String name) {
      return path.isEmpty() ? name : path + "." + name;
    }

    boolean has(String name) {
      return node.get(name) != null;
    }

    String requiredString(String name, String expected) {
      return optionalString(name, expected)
          .orElseThrow(() -> ConfigurationException.missing(at(name), expected));
    }

    String requiredSecretString(String name, String expected) {
      return optionalSecretString(name, expected)
          .orElseThrow(() -> ConfigurationException.missing(at(name), expected));
    }

    Optional<String> optionalString(String name, String expected) {
      return string(name, expected, false);
    }

    Optional<String> optionalSecretString(String name, String expected) {
      return string(name, expected, true);
    }

    private Optional<String> string(String name, String expected, boolean secret) {
      Object v = node.get(name);
      if (v == null) {
        return Optional.empty();
      }
      if (!(v instanceof String)) {
        throw ConfigurationException.of(
            at(name),
            "is " + (secret ? article(v) : describe(v)) + ", not a string",
            "a JSON string: " + expected);
      }
      return Optional.of((String) v);
    }

    @SuppressWarnings("unchecked")
    Optional<Obj> optionalObject(String name, String expected) {
      Object v = node.get(name);
      if (v == null) {
        return Optional.empty();
      }
      if (!(v instanceof Map)) {
        throw ConfigurationException.of(
            at(name), "is " + describe(v) + ", not an object", "a JSON object: " + expected);
      }
      return Optional.of(new Obj((Map<String, Object>) v, at(name)));
    }

    Optional<Long> optionalInteger(String name, String expected) {
      Object v = node.get(name);
      if (v == null) {
        return Optional.empty();
      }
      if (v instanceof Long) {
        return Optional.of((Long) v);
      }
      if (v instanceof Double) {
        double d = (Double) v;
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
          return Optional.of((long) d);
        }
      }
      String hint =
          v instanceof String && ((String) v).strip().matches("-?\\d+")
              ? " (remove the quotes)"
              : "";
      throw ConfigurationException.of(
          at(name), "is " + describe(v) + ", not an integer" + hint, "a JSON integer: " + expected);
    }

    Optional<Boolean> optionalBoolean(String name) {
      Object v = node.get(name);
      if (v == null) {
        return Optional.empty();
      }
      if (!(v instanceof Boolean)) {
        throw ConfigurationException.of(
            at(name), "is " + describe(v) + ", not a boolean", "true or false, without quotes");
      }
      return Optional.of((Boolean) v);
    }
  }

  private static String article(Object v) {
    if (v instanceof Map) {
      return "an object";
    }
    if (v instanceof List) {
      return "an array";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Number) {
      return "a number";
    }
    return v instanceof String ? "a string" : "a null";
  }

  private static String describe(Object v) {
    if (v instanceof Number || v instanceof Boolean) {
      return article(v) + " (" + v + ")";
    }
    if (v instanceof String) {
      return "a string ('" + abbreviate((String) v) + "')";
    }
    return article(v);
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private static String decode(byte[] bytes, String field, String expected) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString()
          .replaceFirst("^\uFEFF", ""); // a UTF-8 BOM, as Windows editors write
    } catch (CharacterCodingException e) {
      throw ConfigurationException.of(field, "is not UTF-8 text", expected);
    }
  }

  private static ConfigurationException withOrigin(ConfigurationException e, String origin) {
    return origin == null
        ? e
        : ConfigurationException.of(
            e.field(), Checks.problem(e) + " (in " + origin + ")", e.expected(), e);
  }

  // ---- writing --------------------------------------------------------------------------------

  /** Pretty JSON with gcloud's field names and order, two-space indent, {@code "k": v}. */
  static String write(ExternalAccountConfig c) {
    FederationSettings s = c.settings();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("type", "external_account");
    root.put("audience", s.audience().toString());
    root.put("subject_token_type", c.subjectTokenType());
    root.put("token_url", s.tokenUrl().toString());
    root.put("credential_source", source(c.credentialSource()));
    s.serviceAccountImpersonationUrl()
        .ifPresent(u -> root.put("service_account_impersonation_url", u.toString()));
    if (s.serviceAccountImpersonationUrl().isPresent()
        && !s.tokenLifetime().equals(Checks.DEFAULT_LIFETIME)) {
      root.put(
          "service_account_impersonation",
          Map.of("token_lifetime_seconds", s.tokenLifetime().getSeconds()));
    }
    s.tokenInfoUrl().ifPresent(u -> root.put("token_info_url", u.toString()));
    s.quotaProjectId().ifPresent(q -> root.put("quota_project_id", q));
    s.workforcePoolUserProject().ifPresent(p -> root.put("workforce_pool_user_project", p));
    c.clientId().ifPresent(v -> root.put("client_id", v));
    c.clientSecret().ifPresent(v -> root.put("client_secret", v));
    if (!Checks.DEFAULT_UNIVERSE.equals(s.universeDomain())) {
      root.put("universe_domain", s.universeDomain());
    }
    return JsonTree.write(root, true) + "\n";
  }

  private static Map<String, Object> source(CredentialSource src) {
    Map<String, Object> o = new LinkedHashMap<>();
    if (src instanceof AwsCredentialSource a) {
      o.put("environment_id", a.environmentId());
      a.regionUrl().ifPresent(v -> o.put("region_url", v));
      a.url().ifPresent(v -> o.put("url", v));
      o.put("regional_cred_verification_url", a.regionalCredVerificationUrl());
      a.imdsv2SessionTokenUrl().ifPresent(v -> o.put("imdsv2_session_token_url", v));
    } else if (src instanceof FileCredentialSource fs) {
      o.put("file", fs.path());
      o.put("format", format(fs.format()));
    } else if (src instanceof UrlCredentialSource u) {
      o.put("url", u.url());
      if (!u.headers().isEmpty()) {
        o.put("headers", new LinkedHashMap<>(u.headers()));
      }
      o.put("format", format(u.format()));
    } else if (src instanceof ExecutableCredentialSource e) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("command", e.command());
      x.put("timeout_millis", e.timeoutMillis());
      e.outputFile().ifPresent(v -> x.put("output_file", v));
      o.put("executable", x);
    } else if (src instanceof CertificateCredentialSource c) {
      Map<String, Object> x = new LinkedHashMap<>();
      if (c.useDefaultCertificateConfig()) {
        x.put("use_default_certificate_config", true);
      }
      c.certificateConfigLocation().ifPresent(v -> x.put("certificate_config_location", v));
      c.trustChainPath().ifPresent(v -> x.put("trust_chain_path", v));
      o.put("certificate", x);
    }
    return o;
  }

  private static Map<String, Object> format(Format fmt) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("type", fmt.type().jsonName());
    fmt.subjectTokenFieldName().ifPresent(v -> o.put("subject_token_field_name", v));
    return o;
  }
}

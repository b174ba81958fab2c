package io.github.wif4j.genai;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import io.github.wif4j.core.ConfigurationException;
import io.github.wif4j.core.Environment;
import io.github.wif4j.core.FederatedCredentials;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A google-genai {@link Client} in Vertex AI mode, authenticated with federated credentials: the
 * one line from "I run on EC2 / AgentCore / Lambda / App Service" to Gemini.
 *
 * <pre>{@code
 * Client gemini = VertexGemini.client();   // everything from the environment
 *
 * Client gemini = VertexGemini.builder()
 *     .credentials(FederatedCredentials.fromEnvironment())
 *     .project("my-project")
 *     .location("europe-west4")
 *     .build();
 * String answer = gemini.models.generateContent("gemini-2.5-flash", "Hello", null).text();
 * }</pre>
 *
 * <p>Defaults:
 *
 * <ul>
 *   <li>credentials: {@link FederatedCredentials#fromEnvironment(Environment)} ({@code
 *       WIF4J_AUDIENCE}, {@code WIF4J_SERVICE_ACCOUNT}, ... or an {@code external_account} file in
 *       {@code GOOGLE_APPLICATION_CREDENTIALS}) with a detected source;
 *   <li>project: the builder, else {@code GOOGLE_CLOUD_PROJECT}, else the credentials' quota
 *       project; an id ({@code my-project}) or a number both work;
 *   <li>location: the builder, else {@code GOOGLE_CLOUD_LOCATION}, else {@code global}. A blog
 *       recipe's {@code GCP_LOCATION} is not read; when it is set and the location falls back to
 *       {@code global}, a WARNING is logged (and {@code wif4j doctor} reports it).
 * </ul>
 *
 * <p>A Vertex AI 403 ({@code aiplatform.endpoints.predict} denied) is explained, with the principal
 * and the {@code roles/aiplatform.user} grant, by wrapping calls in {@link
 * VertexAiErrors#explaining}.
 *
 * <p>The cloud-platform scope is added when the credentials need scopes. The credentials' quota
 * project is sent as {@code x-goog-user-project}, and the given {@link HttpOptions} (base URL for
 * private or regional endpoints, timeout, headers, retries) pass through unchanged.
 *
 * <p>The client is thread-safe: build one per application and share it. At shutdown close the
 * client and then the credentials ({@link FederatedCredentials#close()} stops the background token
 * refresh). Building does no network I/O; federation errors surface on the first model call as a
 * google-genai exception whose cause is the {@link io.github.wif4j.core.FederationException} naming
 * the failed step and the fix.
 *
 * @throws ConfigurationException from {@link Builder#build()} and {@link #client()} when no project
 *     can be found (naming the variables looked at), a project or location is malformed, or the
 *     default credentials are not configured
 */
public final class VertexGemini {
  /** The scope Vertex AI needs. */
  public static final String CLOUD_PLATFORM = "https://www.googleapis.com/auth/cloud-platform";

  /** Project variable. */
  public static final String ENV_PROJECT = "GOOGLE_CLOUD_PROJECT";

  /** Location variable. */
  public static final String ENV_LOCATION = "GOOGLE_CLOUD_LOCATION";

  /** The default location. */
  public static final String DEFAULT_LOCATION = "global";

  // the names the blog recipes use; reported, never read as configuration
  static final String RECIPE_PROJECT = "GCP_PROJECT_ID";
  static final String RECIPE_LOCATION = "GCP_LOCATION";
  private static final System.Logger LOG = System.getLogger(VertexGemini.class.getName());

  // the recipe location seen at the last fallback to global (for tests), or null
  static volatile String lastLocationWarning;

  // A project id (optionally domain-scoped, e.g. example.com:my-project) or a project number;
  // Vertex AI accepts both in resource names.
  private static final Pattern PROJECT =
      Pattern.compile("(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20}");
  private static final Pattern LOCATION = Pattern.compile("[a-z]+(-[a-z]+[0-9]*)*");

  private VertexGemini() {}

  /**
   * A client configured entirely from the environment: {@code VertexGemini.builder().build()}.
   *
   * <pre>{@code
   * try (Client gemini = VertexGemini.client()) {
   *   System.out.println(gemini.models.generateContent("gemini-2.5-flash", "Hi", null).text());
   * }
   * }</pre>
   *
   * @throws ConfigurationException when the credentials' variables or the project are missing
   */
  public static Client client() {
    return builder().build();
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builder for the Vertex AI client; every setting is optional. Not thread-safe; {@link #build()}
   * may be called more than once.
   *
   * <pre>{@code
   * Client gemini = VertexGemini.builder()
   *     .credentials(credentials)
   *     .project("my-project")
   *     .location("us-central1")
   *     .httpOptions(HttpOptions.builder().timeout(30_000).build())
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private GoogleCredentials credentials;
    private String project;
    private String location;
    private HttpOptions httpOptions;
    private Environment environment = Environment.system();

    private Builder() {}

    /**
     * The credentials, typically a {@link FederatedCredentials}. Default: {@link
     * FederatedCredentials#fromEnvironment(Environment)}.
     */
    public Builder credentials(GoogleCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * The Google Cloud project that hosts Vertex AI (id or number). Default {@code
     * GOOGLE_CLOUD_PROJECT}, else the credentials' quota project.
     */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The Vertex AI location. Default {@code GOOGLE_CLOUD_LOCATION}, else {@code global}. */
    public Builder location(String location) {
      this.location = Objects.requireNonNull(location, "location");
      return this;
    }

    /**
     * google-genai HTTP options, passed through: base URL (private or regional endpoint, a test
     * fake), timeout in milliseconds, extra headers, API version, retries. Default google-genai's.
     */
    public Builder httpOptions(HttpOptions httpOptions) {
      this.httpOptions = Objects.requireNonNull(httpOptions, "httpOptions");
      return this;
    }

    /** Where variables are read. Default the process environment. */
    public Builder environment(Environment environment) {
      this.environment = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /**
     * Builds the client; does no network I/O.
     *
     * @throws ConfigurationException naming the field when project or location is missing or
     *     malformed
     */
    public Client build() {
      GoogleCredentials creds =
          credentials != null ? credentials : FederatedCredentials.fromEnvironment(environment);
      if (creds.createScopedRequired()) {
        creds = creds.createScoped(List.of(CLOUD_PLATFORM));
      }
      String p = resolveProject(creds);
      String l = resolveLocation();
      Client.Builder b = Client.builder().vertexAI(true).project(p).location(l).credentials(creds);
      if (httpOptions != null) {
        b.httpOptions(httpOptions);
      }
      return b.build();
    }

    private String resolveProject(GoogleCredentials creds) {
      String field = "VertexGemini.Builder.project";
      String value = project;
      if (value == null) {
        Optional<String> env = environment.get(ENV_PROJECT);
        if (env.isPresent()) {
          field = ENV_PROJECT;
          value = env.get();
        } else if (creds.getQuotaProjectId() != null) {
          field = "quota project of the credentials";
          value = creds.getQuotaProjectId();
        }
      }
      if (value == null && environment.get(RECIPE_PROJECT).isPresent()) {
        throw ConfigurationException.of(
            ENV_PROJECT,
            "is not set, but "
                + RECIPE_PROJECT
                + "="
                + environment.get(RECIPE_PROJECT).get().trim()
                + " is (a blog recipe's name, which wif4j does not read)",
            "GOOGLE_CLOUD_PROJECT=" + environment.get(RECIPE_PROJECT).get().trim());
      }
      if (value == null) {
        throw ConfigurationException.missing(
            ENV_PROJECT,
            "the Google Cloud project that hosts Vertex AI. Looked at: VertexGemini.builder()"
                + ".project(...), the variable "
                + ENV_PROJECT
                + ", and the credentials' quota project (WIF4J_QUOTA_PROJECT,"
                + " GOOGLE_CLOUD_QUOTA_PROJECT or quota_project_id in the credential file)");
      }
      value = value.trim();
      if (!PROJECT.matcher(value).matches()) {
        throw ConfigurationException.of(
            field,
            "'" + value + "' is not a project id or number",
            "the project id, e.g. my-project (gcloud projects list)");
      }
      return value;
    }

    private String resolveLocation() {
      String field = "VertexGemini.Builder.location";
      String value = location;
      if (value == null) {
        Optional<String> env = environment.get(ENV_LOCATION);
        field = ENV_LOCATION;
        value = env.orElse(DEFAULT_LOCATION);
        Optional<String> recipe = environment.get(RECIPE_LOCATION);
        if (env.isEmpty() && recipe.isPresent() && !recipe.get().trim().equals(value)) {
          // blog recipes name it GCP_LOCATION; falling back to global silently moves the calls
          LOG.log(
              System.Logger.Level.WARNING,
              "Vertex AI location is ''{0}'' although {1}={2} is set; wif4j reads {3}. Set {3}={2}"
                  + " or VertexGemini.builder().location(...).",
              value,
              RECIPE_LOCATION,
              recipe.get().trim(),
              ENV_LOCATION);
          lastLocationWarning = recipe.get().trim();
        }
      }
      value = value.trim();
      if (!LOCATION.matcher(value).matches()) {
        throw ConfigurationException.of(
            field,
            "'" + value + "' is not a Vertex AI location",
            "global, us-central1, europe-west4, ...");
      }
      return value;
    }
  }
}

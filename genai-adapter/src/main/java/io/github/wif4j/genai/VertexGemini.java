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
 * <p>Project: the builder, else {@code GOOGLE_CLOUD_PROJECT}, else the credentials' quota project.
 * Location: the builder, else {@code GOOGLE_CLOUD_LOCATION}, else {@code global}. The
 * cloud-platform scope is added when the credentials need scopes; the quota project and the given
 * {@link HttpOptions} (base URL for private or regional endpoints, timeouts, headers) pass through.
 * The client is thread-safe; close it (and the credentials) at shutdown.
 *
 * @throws ConfigurationException from {@link Builder#build()} when no project can be found, naming
 *     the variables it looked at
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

  private static final Pattern PROJECT_ID = Pattern.compile("[a-z][a-z0-9-]{4,28}[a-z0-9]");
  private static final Pattern LOCATION = Pattern.compile("[a-z]+(-[a-z]+[0-9]*)*");

  private VertexGemini() {}

  /** A client configured entirely from the environment (credentials, project, location). */
  public static Client client() {
    return builder().build();
  }

  /** Starts a builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builder for the Vertex AI client. */
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

    /** The Google Cloud project id. Default {@code GOOGLE_CLOUD_PROJECT}. */
    public Builder project(String project) {
      this.project = Objects.requireNonNull(project, "project");
      return this;
    }

    /** The Vertex AI location. Default {@code GOOGLE_CLOUD_LOCATION}, else {@code global}. */
    public Builder location(String location) {
      this.location = Objects.requireNonNull(location, "location");
      return this;
    }

    /** google-genai HTTP options: base URL, timeout, headers, API version. */
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
      if (value == null) {
        throw ConfigurationException.missing(
            ENV_PROJECT,
            "the Google Cloud project that hosts Vertex AI: VertexGemini.builder().project(...),"
                + " the variable "
                + ENV_PROJECT
                + ", or a quota project on the credentials (WIF4J_QUOTA_PROJECT)");
      }
      value = value.trim();
      if (!PROJECT_ID.matcher(value).matches()) {
        throw ConfigurationException.of(
            field,
            "'"
                + value
                + "' is not a project id"
                + (value.matches("\\d+") ? " (it looks like a project number)" : ""),
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

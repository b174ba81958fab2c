package io.github.wif4j.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Compute Engine / Cloud Run / GKE metadata server: access tokens, ID tokens, email, project.
 * Plain http, like the real one; requires {@code Metadata-Flavor: Google}.
 *
 * <pre>{@code
 * FakeGceMetadata gce = new FakeGceMetadata().start();   // GCE_METADATA_HOST=127.0.0.1:PORT
 * FakeJwtIssuer google = gce.googleIssuer();              // trust its ID tokens elsewhere
 * }</pre>
 */
public final class FakeGceMetadata extends FakeServer {
  private static final String PREFIX = "/computeMetadata/v1/";

  private static final String EMAIL = "1071284184436-compute@developer.gserviceaccount.com";
  private static final String UNIQUE_ID = "106757927634474719221";
  private static final String PROJECT_ID = "my-project";
  private static final String PROJECT_NUMBER = "1071284184436";

  private final FakeJwtIssuer google;
  private final AtomicInteger tokens = new AtomicInteger();

  /** A metadata server signing ID tokens with its own {@code https://accounts.google.com} key. */
  public FakeGceMetadata() {
    this(FakeJwtIssuer.create("https://accounts.google.com"));
  }

  /** A metadata server signing ID tokens with {@code google}. */
  public FakeGceMetadata(FakeJwtIssuer google) {
    super(false);
    this.google = google;
  }

  @Override
  public FakeGceMetadata start() {
    super.start();
    return this;
  }

  /** {@code 127.0.0.1:PORT}, the form {@code GCE_METADATA_HOST} takes. */
  public String hostAndPort() {
    return "127.0.0.1:" + port();
  }

  /** The service account's email. */
  public String serviceAccountEmail() {
    return EMAIL;
  }

  /** The service account's unique id ({@code sub} and {@code azp} of its ID tokens). */
  public String serviceAccountUniqueId() {
    return UNIQUE_ID;
  }

  /** The key that signs ID tokens. */
  public FakeJwtIssuer googleIssuer() {
    return google;
  }

  @Override
  protected FakeResponse handle(RecordedRequest request) {
    if (request.header("X-Forwarded-For") != null) {
      return FakeResponse.text(403, "X-Forwarded-For is not allowed");
    }
    if ("/".equals(request.path())) {
      return FakeResponse.text(200, "computeMetadata/\n").withHeader("Metadata-Flavor", "Google");
    }
    if (!"Google".equals(request.header("Metadata-Flavor"))) {
      return FakeResponse.text(403, "Missing Metadata-Flavor:Google header.")
          .withHeader("Metadata-Flavor", "Google");
    }
    String path = request.path();
    String rest = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
    String audience = request.query("audience");
    FakeResponse r =
        switch (rest) {
          case "instance/service-accounts/default/token" -> FakeResponse.json(200, accessToken());
          case "instance/service-accounts/default/identity" ->
              audience == null || audience.isEmpty()
                  ? FakeResponse.text(400, "non-empty audience parameter required")
                  : FakeResponse.text(
                      200, idToken(audience, "full".equals(request.query("format"))));
          case "instance/service-accounts/default/email" -> FakeResponse.text(200, EMAIL);
          case "project/project-id" -> FakeResponse.text(200, PROJECT_ID);
          case "project/numeric-project-id" -> FakeResponse.text(200, PROJECT_NUMBER);
          case "universe/universe-domain" -> FakeResponse.text(200, "googleapis.com");
          default -> FakeResponse.text(404, "Not Found");
        };
    return r.withHeader("Metadata-Flavor", "Google");
  }

  /** Mints an ID token as the metadata server would. */
  public String idToken(String audience, boolean full) {
    Map<String, Object> c = new LinkedHashMap<>();
    long now = now().getEpochSecond();
    c.put("aud", audience);
    c.put("azp", UNIQUE_ID);
    c.put("exp", now + Duration.ofHours(1).getSeconds());
    c.put("iat", now);
    c.put("sub", UNIQUE_ID);
    if (full) {
      c.put("email", EMAIL);
      c.put("email_verified", true);
      Map<String, Object> ce = new LinkedHashMap<>();
      ce.put("instance_creation_timestamp", now - 86400);
      ce.put("instance_id", "4563264389273562894");
      ce.put("instance_name", "demo-instance");
      ce.put("project_id", PROJECT_ID);
      ce.put("project_number", Long.parseLong(PROJECT_NUMBER));
      ce.put("zone", "europe-west1-b");
      c.put("google", Map.of("compute_engine", ce));
    }
    return google.issue(c);
  }

  private Map<String, Object> accessToken() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("access_token", "ya29.fake-gce-" + tokens.incrementAndGet());
    t.put("expires_in", 3599);
    t.put("token_type", "Bearer");
    return t;
  }
}

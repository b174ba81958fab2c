package io.github.wif4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake App Service identity endpoint speaks PROTOCOLS.md section 9. */
class FakeAzureAppServiceTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "api://google-federation";

  private final FakeAzureIdentity tenant = new FakeAzureIdentity();

  static HttpResponse<String> get(String url, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    headers.forEach(b::header);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private String url(FakeAzureAppService app, String version, String extra) {
    return app.identityEndpoint()
        + "?resource="
        + enc(RESOURCE)
        + "&api-version="
        + version
        + extra;
  }

  @Test
  void systemAssigned_expiresOnIsEpochSecondsString_tokenClaimsForGoogle() throws Exception {
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      HttpResponse<String> r =
          get(url(app, "2019-08-01", ""), Map.of("X-IDENTITY-HEADER", app.identityHeader()));

      assertEquals(200, r.statusCode());
      JsonNode body = JSON.readTree(r.body());
      assertTrue(body.get("expires_on").isTextual(), r.body());
      assertTrue(body.get("expires_on").asText().matches("\\d{10}"), r.body());
      assertFalse(body.has("expires_in"), "2019-08-01 has no expires_in: " + r.body());
      assertEquals(RESOURCE, body.get("resource").asText());
      assertEquals("Bearer", body.get("token_type").asText());
      Map<String, Object> claims = tenant.issuer().verify(body.get("access_token").asText());
      assertEquals("https://sts.windows.net/" + tenant.tenantId() + "/", claims.get("iss"));
      assertEquals(RESOURCE, claims.get("aud"));
      assertEquals(tenant.systemAssigned().objectId(), claims.get("sub"));
      assertEquals(tenant.systemAssigned().objectId(), claims.get("oid"));
      assertEquals(tenant.tenantId(), claims.get("tid"));
    }
  }

  @Test
  void userAssigned_selectedByClientIdObjectIdPrincipalIdOrResourceId() throws Exception {
    FakeAzureIdentity.Identity ua = tenant.addUserAssigned("caller");
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      Map<String, String> h = Map.of("X-IDENTITY-HEADER", app.identityHeader());
      for (String selector :
          new String[] {
            "&client_id=" + ua.clientId(),
            "&object_id=" + ua.objectId(),
            "&principal_id=" + ua.objectId(),
            "&mi_res_id=" + enc(ua.resourceId())
          }) {
        HttpResponse<String> r = get(url(app, "2019-08-01", selector), h);
        assertEquals(200, r.statusCode(), selector + ": " + r.body());
        String token = JSON.readTree(r.body()).get("access_token").asText();
        assertEquals(ua.objectId(), tenant.issuer().verify(token).get("oid"), selector);
      }
      HttpResponse<String> two =
          get(url(app, "2019-08-01", "&client_id=" + ua.clientId() + "&object_id=x"), h);
      assertEquals(400, two.statusCode());
      assertTrue(two.body().contains("Unable to load the proper Managed Identity"), two.body());
      HttpResponse<String> unknown = get(url(app, "2019-08-01", "&client_id=nope"), h);
      assertEquals(400, unknown.statusCode());
    }
  }

  @Test
  void rotateIdentityHeader_oldValueRefused_newValueAccepted() throws Exception {
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      String old = app.identityHeader();
      String fresh = app.rotateIdentityHeader();

      assertNotEquals(old, fresh);
      assertEquals(
          401, get(url(app, "2019-08-01", ""), Map.of("X-IDENTITY-HEADER", old)).statusCode());
      assertEquals(401, get(url(app, "2019-08-01", ""), Map.of()).statusCode());
      assertEquals(
          200, get(url(app, "2019-08-01", ""), Map.of("X-IDENTITY-HEADER", fresh)).statusCode());
    }
  }

  @Test
  void legacyMsi_secretHeader_windowsStyleExpiresOn() throws Exception {
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      assertEquals(401, get(url(app, "2017-09-01", ""), Map.of()).statusCode());
      HttpResponse<String> r = get(url(app, "2017-09-01", ""), Map.of("Secret", app.msiSecret()));

      assertEquals(200, r.statusCode(), r.body());
      String expiresOn = JSON.readTree(r.body()).get("expires_on").asText();
      assertTrue(
          expiresOn.matches("\\d{1,2}/\\d{1,2}/\\d{4} \\d{1,2}:\\d{2}:\\d{2} [AP]M \\+00:00"),
          expiresOn);
      Instant parsed =
          ZonedDateTime.parse(
                  expiresOn, DateTimeFormatter.ofPattern("M/d/yyyy h:mm:ss a xxx", Locale.ROOT))
              .toInstant();
      assertTrue(parsed.isAfter(Instant.now()), expiresOn);
    }
  }

  @Test
  void unsupportedApiVersionOrMissingResource_400() throws Exception {
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      Map<String, String> h = Map.of("X-IDENTITY-HEADER", app.identityHeader());
      assertEquals(400, get(url(app, "2020-01-01", ""), h).statusCode());
      assertEquals(400, get(app.identityEndpoint() + "?api-version=2019-08-01", h).statusCode());
    }
  }

  @Test
  void rejectedResource_generic500LikeAppService() throws Exception {
    tenant.rejectResource(RESOURCE);
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      HttpResponse<String> r =
          get(url(app, "2019-08-01", ""), Map.of("X-IDENTITY-HEADER", app.identityHeader()));
      assertEquals(500, r.statusCode());
      assertTrue(
          r.body().contains("An unexpected error occured while fetching the AAD Token"), r.body());
    }
  }

  @Test
  void enqueuedFault_servedBeforeTheToken() throws Exception {
    try (FakeAzureAppService app = new FakeAzureAppService(tenant).start()) {
      app.enqueueFault(Fault.status(503).times(1));
      Map<String, String> h = Map.of("X-IDENTITY-HEADER", app.identityHeader());
      assertEquals(503, get(url(app, "2019-08-01", ""), h).statusCode());
      assertEquals(200, get(url(app, "2019-08-01", ""), h).statusCode());
    }
  }
}

package io.github.wif4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fake Azure VM IMDS speaks PROTOCOLS.md section 10. */
class FakeAzureImdsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RESOURCE = "https://management.azure.com/";

  private final FakeAzureIdentity tenant = new FakeAzureIdentity();

  private static String url(FakeAzureImds imds, String extra) {
    return imds.baseUri()
        + "/metadata/identity/oauth2/token?api-version=2018-02-01&resource="
        + URLEncoder.encode(RESOURCE, StandardCharsets.UTF_8)
        + extra;
  }

  @Test
  void token_allNumbersAreStrings() throws Exception {
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      HttpResponse<String> r =
          FakeAzureAppServiceTest.get(url(imds, ""), Map.of("Metadata", "true"));

      assertEquals(200, r.statusCode(), r.body());
      JsonNode body = JSON.readTree(r.body());
      for (String field : new String[] {"expires_in", "expires_on", "not_before"}) {
        assertTrue(body.get(field).isTextual(), field + " in " + r.body());
        assertTrue(body.get(field).asText().matches("\\d+"), field + " in " + r.body());
      }
      assertEquals("", body.get("refresh_token").asText());
      Map<String, Object> claims = tenant.issuer().verify(body.get("access_token").asText());
      assertEquals(RESOURCE, claims.get("aud"));
      assertEquals(tenant.tenantId(), claims.get("tid"));
    }
  }

  @Test
  void metadataHeader_requiredAndCaseInsensitive() throws Exception {
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      HttpResponse<String> missing = FakeAzureAppServiceTest.get(url(imds, ""), Map.of());
      assertEquals(400, missing.statusCode());
      assertTrue(missing.body().contains("bad_request_102"), missing.body());
      assertEquals(
          200, FakeAzureAppServiceTest.get(url(imds, ""), Map.of("Metadata", "True")).statusCode());
    }
  }

  @Test
  void userAssigned_byClientIdObjectIdMsiResIdOrMiResId_unknownIsIdentityNotFound()
      throws Exception {
    FakeAzureIdentity.Identity ua = tenant.addUserAssigned("vm-caller");
    String rid = URLEncoder.encode(ua.resourceId(), StandardCharsets.UTF_8);
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      for (String selector :
          new String[] {
            "&client_id=" + ua.clientId(),
            "&object_id=" + ua.objectId(),
            "&msi_res_id=" + rid,
            "&mi_res_id=" + rid
          }) {
        HttpResponse<String> r =
            FakeAzureAppServiceTest.get(url(imds, selector), Map.of("Metadata", "true"));
        assertEquals(200, r.statusCode(), selector);
        String token = JSON.readTree(r.body()).get("access_token").asText();
        assertEquals(ua.objectId(), tenant.issuer().verify(token).get("oid"));
      }
      HttpResponse<String> unknown =
          FakeAzureAppServiceTest.get(url(imds, "&client_id=nope"), Map.of("Metadata", "true"));
      assertEquals(400, unknown.statusCode());
      assertTrue(unknown.body().contains("Identity not found"), unknown.body());
    }
  }

  @Test
  void retryableStatuses_fromFaultQueue_thenToken() throws Exception {
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      int[] statuses = {404, 410, 429, 500};
      for (int s : statuses) {
        imds.enqueueFault(Fault.status(s).times(1));
      }
      for (int s : statuses) {
        assertEquals(
            s, FakeAzureAppServiceTest.get(url(imds, ""), Map.of("Metadata", "true")).statusCode());
      }
      assertEquals(
          200, FakeAzureAppServiceTest.get(url(imds, ""), Map.of("Metadata", "true")).statusCode());
    }
  }

  @Test
  void unknownResource_invalidResourceAADSTS500011() throws Exception {
    tenant.rejectResource(RESOURCE);
    try (FakeAzureImds imds = new FakeAzureImds(tenant).start()) {
      HttpResponse<String> r =
          FakeAzureAppServiceTest.get(url(imds, ""), Map.of("Metadata", "true"));
      assertEquals(400, r.statusCode());
      JsonNode body = JSON.readTree(r.body());
      assertEquals("invalid_resource", body.get("error").asText());
      assertTrue(body.get("error_description").asText().startsWith("AADSTS500011"), r.body());
    }
  }
}

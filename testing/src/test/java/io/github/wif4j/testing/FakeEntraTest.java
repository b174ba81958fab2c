package io.github.wif4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fake Entra v2 token endpoint speaks PROTOCOLS.md section 11. */
class FakeEntraTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CLIENT_ID = "0a1b2c3d-1111-2222-3333-444455556666";
  private static final String SUBJECT = "system:serviceaccount:apps:vertex";

  private final FakeAzureIdentity tenant = new FakeAzureIdentity();
  private final FakeJwtIssuer cluster =
      FakeJwtIssuer.create("https://oidc.prod-aks.azure.com/tenant/cluster/");

  private HttpResponse<String> post(FakeEntra entra, String tenantId, Map<String, String> form)
      throws Exception {
    String body =
        form.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&"));
    HttpClient client = HttpClient.newBuilder().sslContext(TestTls.clientContext()).build();
    return client.send(
        HttpRequest.newBuilder(URI.create(entra.authorityHost() + tenantId + "/oauth2/v2.0/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private Map<String, String> form(String assertion) {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("client_id", CLIENT_ID);
    f.put("scope", "api://google-federation/.default");
    f.put("grant_type", "client_credentials");
    f.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    f.put("client_assertion", assertion);
    return f;
  }

  private String saToken(String subject) {
    return cluster.issue(subject, FakeEntra.TOKEN_EXCHANGE_AUDIENCE, Duration.ofHours(1), Map.of());
  }

  @Test
  void clientCredentialsWithFederatedAssertion_intNumerics_tokenForTheScopeResource()
      throws Exception {
    try (FakeEntra entra = new FakeEntra(tenant).start()) {
      entra.addFederatedCredential(CLIENT_ID, cluster, SUBJECT);
      HttpResponse<String> r = post(entra, tenant.tenantId(), form(saToken(SUBJECT)));

      assertEquals(200, r.statusCode(), r.body());
      JsonNode body = JSON.readTree(r.body());
      assertTrue(body.get("expires_in").isInt(), r.body());
      assertTrue(body.get("ext_expires_in").isInt(), r.body());
      Map<String, Object> claims = entra.issuer().verify(body.get("access_token").asText());
      assertEquals("api://google-federation", claims.get("aud"));
      assertEquals(tenant.tenantId(), claims.get("tid"));
      assertEquals(claims.get("oid"), claims.get("sub"));
      assertTrue(entra.baseUri().toString().startsWith("https://"));
    }
  }

  @Test
  void noMatchingFederatedCredential_AADSTS70021Envelope() throws Exception {
    try (FakeEntra entra = new FakeEntra(tenant).start()) {
      entra.addFederatedCredential(CLIENT_ID, cluster, "system:serviceaccount:apps:other");
      HttpResponse<String> r = post(entra, tenant.tenantId(), form(saToken(SUBJECT)));

      assertEquals(400, r.statusCode());
      JsonNode body = JSON.readTree(r.body());
      assertEquals("invalid_request", body.get("error").asText());
      assertEquals(70021, body.get("error_codes").get(0).asInt());
      String description = body.get("error_description").asText();
      assertTrue(description.startsWith("AADSTS70021: No matching federated identity record"));
      assertTrue(description.contains("Assertion Subject: '" + SUBJECT + "'"), description);
      assertTrue(description.contains("Assertion Issuer: '" + cluster.issuer() + "'"), description);
      assertTrue(description.contains("\r\nTrace ID: "), description);
      for (String f : new String[] {"timestamp", "trace_id", "correlation_id", "error_uri"}) {
        assertTrue(body.has(f), f);
      }
    }
  }

  @Test
  void wrongTenantScopeOrGrant_rejectedWithAadstsCodes() throws Exception {
    try (FakeEntra entra = new FakeEntra(tenant).start()) {
      entra.addFederatedCredential(CLIENT_ID, cluster, SUBJECT);
      String token = saToken(SUBJECT);
      assertTrue(post(entra, "other-tenant", form(token)).body().contains("AADSTS900023"));
      Map<String, String> noDefault = form(token);
      noDefault.put("scope", "api://google-federation");
      assertTrue(post(entra, tenant.tenantId(), noDefault).body().contains("AADSTS1002012"));
      Map<String, String> grant = form(token);
      grant.put("grant_type", "password");
      assertTrue(post(entra, tenant.tenantId(), grant).body().contains("AADSTS70003"));
    }
  }

  @Test
  void forgedAssertionFromAnotherKey_signatureRejected() throws Exception {
    FakeJwtIssuer forger = FakeJwtIssuer.create(cluster.issuer());
    try (FakeEntra entra = new FakeEntra(tenant).start()) {
      entra.addFederatedCredential(CLIENT_ID, cluster, SUBJECT);
      String forged =
          forger.issue(SUBJECT, FakeEntra.TOKEN_EXCHANGE_AUDIENCE, Duration.ofHours(1), Map.of());
      HttpResponse<String> r = post(entra, tenant.tenantId(), form(forged));
      assertEquals(400, r.statusCode());
      assertTrue(r.body().contains("AADSTS700027"), r.body());
    }
  }
}

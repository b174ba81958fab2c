package io.github.wif4j.azure;

import io.github.wif4j.testing.FakeCloud;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Calls the fake Vertex AI generateContent with a bearer token. */
final class AzureSourceIntegrationTestSupport {
  private AzureSourceIntegrationTestSupport() {}

  static int generateContent(FakeCloud cloud, String bearer) throws Exception {
    URI url =
        URI.create(
            cloud.vertex().baseUri()
                + "/v1/projects/my-project/locations/global/publishers/google/models/"
                + "gemini-2.5-flash:generateContent");
    HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Authorization", "Bearer " + bearer);
    c.setRequestProperty("Content-Type", "application/json");
    try (OutputStream out = c.getOutputStream()) {
      out.write(
          "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"
              .getBytes(StandardCharsets.UTF_8));
    }
    int status = c.getResponseCode();
    c.disconnect();
    return status;
  }
}

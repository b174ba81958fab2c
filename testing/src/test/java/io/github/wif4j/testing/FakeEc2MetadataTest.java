package io.github.wif4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.HttpURLConnection;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;

/** The fake IMDS and MMDS speak the protocol the real AWS SDK expects. */
class FakeEc2MetadataTest {

  private static int status(URI uri, String method, Map<String, String> headers) throws Exception {
    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
    c.setRequestMethod(method);
    headers.forEach(c::setRequestProperty);
    if (method.equals("PUT")) {
      c.setDoOutput(true);
      c.getOutputStream().close();
    }
    int s = c.getResponseCode();
    c.disconnect();
    return s;
  }

  @Test
  void realSdkInstanceProfileProvider_imdsV2Required() {
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start();
        InstanceProfileCredentialsProvider sdk =
            InstanceProfileCredentialsProvider.builder()
                .endpoint(imds.baseUri().toString())
                .build()) {
      AwsCredentials c = sdk.resolveCredentials();
      assertEquals(imds.currentCredentials().accessKeyId(), c.accessKeyId());
      assertEquals(
          imds.currentCredentials().sessionToken(), ((AwsSessionCredentials) c).sessionToken());
      assertEquals(1, imds.tokenRequestCount());
    }
  }

  @Test
  void realSdkInstanceProfileProvider_agentCoreMmdsFallsBackToV1() {
    try (FakeEc2Metadata mmds = new FakeEc2Metadata(FakeEc2Metadata.Mode.AGENTCORE_MMDS).start();
        InstanceProfileCredentialsProvider sdk =
            InstanceProfileCredentialsProvider.builder()
                .endpoint(mmds.baseUri().toString())
                .build()) {
      assertEquals(mmds.currentCredentials().accessKeyId(), sdk.resolveCredentials().accessKeyId());
    }
  }

  @Test
  void tokenRules_ttlRequired_tokenlessGetRefusedWhenRequired_mmdsRefusesPut() throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata().start();
        FakeEc2Metadata mmds = new FakeEc2Metadata(FakeEc2Metadata.Mode.AGENTCORE_MMDS).start()) {
      URI token = URI.create(imds.baseUri() + "/latest/api/token");
      URI role = URI.create(imds.baseUri() + "/latest/meta-data/iam/security-credentials/");
      assertEquals(400, status(token, "PUT", Map.of()));
      assertEquals(
          400,
          status(
              token,
              "PUT",
              Map.of("X-aws-ec2-metadata-token-ttl-seconds", "60", "X-Forwarded-For", "1.2.3.4")));
      assertEquals(401, status(role, "GET", Map.of()));
      assertEquals(401, status(role, "GET", Map.of("X-aws-ec2-metadata-token", "not-a-token")));
      assertEquals(
          405,
          status(
              URI.create(mmds.baseUri() + "/latest/api/token"),
              "PUT",
              Map.of("X-aws-ec2-metadata-token-ttl-seconds", "60")));
      assertEquals(
          200,
          status(
              URI.create(mmds.baseUri() + "/latest/meta-data/iam/security-credentials/"),
              "GET",
              Map.of()));
    }
  }

  @Test
  void noRoleAttached_roleListIs404() throws Exception {
    try (FakeEc2Metadata imds = new FakeEc2Metadata(FakeEc2Metadata.Mode.V1_ONLY).start()) {
      imds.setRole(null);
      assertEquals(
          404,
          status(
              URI.create(imds.baseUri() + "/latest/meta-data/iam/security-credentials/"),
              "GET",
              Map.of()));
      assertTrue(imds.requestCount() > 0);
    }
  }
}

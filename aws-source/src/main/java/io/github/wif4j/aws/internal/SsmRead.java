package io.github.wif4j.aws.internal;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.SsmClientBuilder;

/** The one class naming the optional ssm module: loaded only when Parameter Store is used. */
final class SsmRead {
  private SsmRead() {}

  static String read(
      String name,
      Region region,
      URI endpoint,
      AwsCredentialsProvider credentials,
      UrlConnectionHttpClient.Builder http,
      ClientOverrideConfiguration override) {
    SsmClientBuilder b =
        SsmClient.builder()
            .region(region)
            .credentialsProvider(credentials)
            .httpClientBuilder(http)
            .overrideConfiguration(override);
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    try (SsmClient ssm = b.build()) {
      return ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
    }
  }
}

package io.github.wif4j.aws.internal;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/** The one class naming the optional secretsmanager module. */
final class SecretsRead {
  private SecretsRead() {}

  static String read(
      String secretId,
      Region region,
      URI endpoint,
      AwsCredentialsProvider credentials,
      UrlConnectionHttpClient.Builder http,
      ClientOverrideConfiguration override) {
    SecretsManagerClientBuilder b =
        SecretsManagerClient.builder()
            .region(region)
            .credentialsProvider(credentials)
            .httpClientBuilder(http)
            .overrideConfiguration(override);
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    try (SecretsManagerClient sm = b.build()) {
      return sm.getSecretValue(r -> r.secretId(secretId)).secretString();
    }
  }
}

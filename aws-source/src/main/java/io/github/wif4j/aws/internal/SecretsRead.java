package io.github.wif4j.aws.internal;

import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The one class naming the optional secretsmanager module. */
final class SecretsRead {
  private SecretsRead() {}

  static String read(String secretId, ConfigStoreReader.Clients clients) {
    try (SecretsManagerClient sm = clients.build(SecretsManagerClient.builder())) {
      return sm.getSecretValue(r -> r.secretId(secretId)).secretString();
    }
  }
}

package io.github.wif4j.aws.internal;

import software.amazon.awssdk.services.ssm.SsmClient;

/** The one class naming the optional ssm module: loaded only when Parameter Store is used. */
final class SsmRead {
  private SsmRead() {}

  static String read(String name, ConfigStoreReader.Clients clients) {
    try (SsmClient ssm = clients.build(SsmClient.builder())) {
      return ssm.getParameter(r -> r.name(name).withDecryption(true)).parameter().value();
    }
  }
}

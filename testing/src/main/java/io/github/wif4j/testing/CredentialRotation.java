package io.github.wif4j.testing;

import io.github.wif4j.testing.FakeEc2Metadata.IssuedCredentials;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The rotating role credentials of {@link FakeEc2Metadata} and {@link FakeContainerCredentials}:
 * each set is registered with every Google STS that verifies what they sign. Thread-safe.
 */
final class CredentialRotation {
  private final String keyPrefix;
  private final String name;
  private final List<IssuedCredentials> issued = new CopyOnWriteArrayList<>();
  private final List<Consumer<IssuedCredentials>> listeners = new CopyOnWriteArrayList<>();
  private volatile IssuedCredentials current;

  /**
   * Keys {@code keyPrefix + random} (20 characters), secrets and tokens named after {@code name}.
   */
  CredentialRotation(String keyPrefix, String name) {
    this.keyPrefix = keyPrefix;
    this.name = name;
  }

  /** Issues a new set expiring at {@code expiration}, served from now on. */
  synchronized IssuedCredentials rotate(Instant expiration) {
    int n = issued.size() + 1;
    String suffix = UUID.randomUUID().toString().replace("-", "").toUpperCase();
    IssuedCredentials c =
        new IssuedCredentials(
            (keyPrefix + suffix).substring(0, 20),
            name + "-secret-" + n + "-" + suffix,
            "IQoJ" + name + "-session-" + n + "-" + suffix,
            expiration.truncatedTo(ChronoUnit.SECONDS));
    current = c;
    issued.add(c);
    for (Consumer<IssuedCredentials> l : listeners) {
      l.accept(c);
    }
    return c;
  }

  IssuedCredentials current() {
    return current;
  }

  /** Registers the current and all future credentials with {@code sts}, as {@code callerArn}. */
  void trustedBy(FakeGoogleSts sts, Supplier<String> callerArn) {
    Consumer<IssuedCredentials> l =
        c -> sts.registerAwsCredentials(c.accessKeyId(), c.secretAccessKey(), callerArn.get());
    listeners.add(l);
    for (IssuedCredentials c : issued) {
      l.accept(c);
    }
  }
}

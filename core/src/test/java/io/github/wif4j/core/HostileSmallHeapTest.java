package io.github.wif4j.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.wif4j.core.http.TransportPolicy;
import io.github.wif4j.testing.FakeCloud;
import io.github.wif4j.testing.FakeJwtIssuer;
import io.github.wif4j.testing.Fault;
import io.github.wif4j.testing.TestTls;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Run by core's {@code small-heap} surefire execution with {@code -Xmx64m}: a 100 MB or endless
 * answer from STS or IAM ends in a {@link FederationException}, never an OutOfMemoryError.
 */
class HostileSmallHeapTest {
  private FakeCloud cloud;
  private FakeJwtIssuer issuer;

  @BeforeEach
  void start() {
    cloud = FakeCloud.start();
    issuer = FakeJwtIssuer.create("https://oidc.example.test");
    cloud.sts().trustIssuer(issuer, FaultMatrixTest.APP_AUDIENCE);
    cloud.iam().allowImpersonation(FaultMatrixTest.SA);
  }

  @AfterEach
  void stop() {
    cloud.close();
  }

  private FederatedCredentials credentials() {
    return FaultMatrixTest.impersonating(
            cloud, issuer, TransportPolicy.builder().sslContext(TestTls.clientContext()).build())
        .allowEndpointHost("127.0.0.1")
        .build();
  }

  private void assertFailsCleanly(FederatedCredentials c) {
    FederationException e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> assertThrows(FederationException.class, () -> c.getRequestMetadata(null)));
    assertTrue(e.getMessage().contains("256 KiB"), e.getMessage());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(t instanceof OutOfMemoryError);
    }
  }

  @Test
  void sts100MegabyteAnswer_federationException() {
    cloud.sts().enqueueFault(Fault.hugeBody(100L * 1024 * 1024));
    try (FederatedCredentials c = credentials()) {
      assertFailsCleanly(c);
    }
  }

  @Test
  void stsEndlessAnswer_federationException() {
    cloud.sts().enqueueFault(Fault.endlessBody());
    try (FederatedCredentials c = credentials()) {
      assertFailsCleanly(c);
    }
  }

  @Test
  void iamEndlessAnswer_federationException() {
    cloud.iam().enqueueFault(Fault.endlessBody());
    try (FederatedCredentials c = credentials()) {
      assertFailsCleanly(c);
    }
  }

  @Test
  void sts100MegabyteDeclared_federationException() {
    cloud.sts().enqueueFault(Fault.hugeBody(100L * 1024 * 1024).declaringLength());
    try (FederatedCredentials c = credentials()) {
      assertFailsCleanly(c);
    }
  }
}

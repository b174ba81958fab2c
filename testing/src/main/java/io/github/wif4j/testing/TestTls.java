package io.github.wif4j.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the fakes that must be https (google-auth refuses a non-https STS or IAM URL).
 *
 * <p>The server certificate is self-signed for {@code localhost} and {@code 127.0.0.1}, valid for
 * 100 years, committed as {@code fake-cloud.p12}, made with:
 *
 * <pre>
 * keytool -genkeypair -alias fake-cloud -keyalg RSA -keysize 2048 -validity 36500 \
 *   -dname "CN=localhost" -ext "SAN=dns:localhost,ip:127.0.0.1" \
 *   -keystore fake-cloud.p12 -storetype PKCS12 -storepass wif4j-test -keypass wif4j-test
 * </pre>
 *
 * <p>Clients trust exactly that certificate through {@link #clientContext()}; for wif4j pass it to
 * {@code TransportPolicy.builder().sslContext(TestTls.clientContext())}. Never use it outside
 * tests.
 */
public final class TestTls {
  private static final char[] PASSWORD = "wif4j-test".toCharArray();

  private TestTls() {}

  /** A trust store holding only the fake server's certificate. */
  public static KeyStore trustStore() {
    return Holder.TRUST_STORE;
  }

  /** The server side. */
  public static SSLContext serverContext() {
    return Holder.SERVER;
  }

  /** A client context trusting the fake server's certificate only. */
  public static SSLContext clientContext() {
    return Holder.CLIENT;
  }

  private static final class Holder {
    static final KeyStore KEY_STORE = load();
    static final KeyStore TRUST_STORE = trust(KEY_STORE);
    static final SSLContext SERVER = server(KEY_STORE);
    static final SSLContext CLIENT = client(TRUST_STORE);

    private static KeyStore load() {
      try (InputStream in = TestTls.class.getResourceAsStream("fake-cloud.p12")) {
        if (in == null) {
          throw new IllegalStateException("fake-cloud.p12 is missing from wif4j-testing");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(in, PASSWORD);
        return ks;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static KeyStore trust(KeyStore keys) {
      try {
        KeyStore ts = KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        Certificate cert = keys.getCertificate("fake-cloud");
        ts.setCertificateEntry("fake-cloud", cert);
        return ts;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static SSLContext server(KeyStore keys) {
      try {
        KeyManagerFactory kmf =
            KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    private static SSLContext client(KeyStore trust) {
      try {
        TrustManagerFactory tmf =
            TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}

package io.github.wif4j.core;

import io.github.wif4j.core.spi.Source;
import io.github.wif4j.core.spi.SourceProvider;
import io.github.wif4j.core.spi.SubjectToken;
import io.github.wif4j.core.spi.SubjectTokenSource;
import io.github.wif4j.core.spi.SubjectTokenType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source provider for core's tests that, like EC2 or Azure VM detection, probes a metadata
 * endpoint: {@value #PROBE_URL}, a local fake that counts requests. Applies only when that variable
 * is set; its source returns the JWT in {@value #JWT}.
 */
public final class ProbingTestSourceProvider implements SourceProvider {
  static final String PROBE_URL = "WIF4J_TEST_PROBE_URL";
  static final String JWT = "WIF4J_TEST_JWT";

  /** How many sources this provider created were closed. */
  static final AtomicInteger CLOSED = new AtomicInteger();

  @Override
  public String id() {
    return "test-probing";
  }

  @Override
  public int order() {
    return 1000;
  }

  @Override
  public Source detect(Environment environment) throws FederationException {
    String url =
        environment
            .get(PROBE_URL)
            .orElseThrow(() -> new SourceUnavailableException(PROBE_URL + " is not set"));
    try {
      HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
      c.setConnectTimeout(2000);
      c.setReadTimeout(2000);
      int status = c.getResponseCode();
      c.disconnect();
      if (status != 200) {
        throw new SourceUnavailableException("probe answered " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ClosableSource(environment);
  }

  private static final class ClosableSource implements SubjectTokenSource, AutoCloseable {
    private final Environment environment;

    ClosableSource(Environment environment) {
      this.environment = environment;
    }

    @Override
    public void close() {
      CLOSED.incrementAndGet();
    }

    @Override
    public String subjectTokenType() {
      return SubjectTokenType.JWT;
    }

    @Override
    public SubjectToken fetch(io.github.wif4j.core.spi.SourceContext context) {
      return SubjectToken.of(environment.get(JWT).orElseThrow(), SubjectTokenType.JWT);
    }

    @Override
    public String description() {
      return "test source found by probing";
    }
  }
}

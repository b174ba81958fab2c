package io.github.wif4j.gcp2aws.internal;

import io.github.wif4j.core.http.HttpExecutor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;

/**
 * Wraps the SDK's HTTP client so that no STS answer is read past {@link
 * HttpExecutor#MAX_RESPONSE_BYTES}: the SDK parses XML responses into memory whole, so a huge or
 * endless body would otherwise end in an {@code OutOfMemoryError}. Internal.
 */
public final class CappedHttpClient implements SdkHttpClient {
  private final SdkHttpClient delegate;

  /** Caps every response body of {@code delegate}. */
  public CappedHttpClient(SdkHttpClient delegate) {
    this.delegate = delegate;
  }

  /** What a reader sees beyond the cap. */
  public static final class BodyTooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super(
          "AWS STS sent a body of more than "
              + HttpExecutor.MAX_RESPONSE_BYTES / 1024
              + " KiB; reading stopped");
    }
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    ExecutableHttpRequest r = delegate.prepareRequest(request);
    return new ExecutableHttpRequest() {
      @Override
      public HttpExecuteResponse call() throws IOException {
        HttpExecuteResponse response = r.call();
        Optional<AbortableInputStream> body = response.responseBody();
        if (body.isEmpty()) {
          return response;
        }
        AbortableInputStream in = body.get();
        return HttpExecuteResponse.builder()
            .response(response.httpResponse())
            .responseBody(AbortableInputStream.create(new Capped(in), in))
            .build();
      }

      @Override
      public void abort() {
        r.abort();
      }
    };
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }

  private static final class Capped extends FilterInputStream {
    private long left = HttpExecutor.MAX_RESPONSE_BYTES;

    Capped(InputStream in) {
      super(in);
    }

    /** At the cap: the end of the body is fine, one byte more is not. */
    private int atCap() throws IOException {
      if (super.read() < 0) {
        return -1;
      }
      throw new BodyTooLarge();
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return atCap();
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return len == 0 ? 0 : atCap();
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      return super.skip(Math.min(n, Math.max(0, left)));
    }
  }
}

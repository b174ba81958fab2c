package io.github.wif4j.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Base of every fake cloud endpoint: a real HTTP(S) server on 127.0.0.1 with request recording and
 * fault injection. Subclasses implement {@link #handle(RecordedRequest)} for the protocol.
 *
 * <pre>{@code
 * try (FakeGoogleSts sts = new FakeGoogleSts().start()) {
 *   sts.enqueueFault(Fault.status(503));
 *   // ... point the code under test at sts.baseUri() ...
 *   assertEquals(2, sts.requestCount());
 * }
 * }</pre>
 *
 * <p>Binds only to loopback, port 0. Thread-safe. A hung request never blocks other requests;
 * {@link #close()} releases it.
 */
public abstract class FakeServer implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final boolean https;
  private final List<RecordedRequest> recorded = new ArrayList<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final Map<Fault, AtomicInteger> remaining = new java.util.IdentityHashMap<>();
  private final CountDownLatch closed = new CountDownLatch(1);
  private HttpServer server;
  private ExecutorService executor;
  private volatile Clock clock = Clock.systemUTC();

  /** {@code https} serves TLS with {@link TestTls}'s certificate. */
  protected FakeServer(boolean https) {
    this.https = https;
  }

  /**
   * The fake's own "now": the expiries it stamps on what it issues and the expiry and signing-time
   * checks it makes. Give it the {@link FakeClock} the code under test uses, so that advancing that
   * clock by hours moves the fake too (by default the fake runs on the system clock).
   */
  public void useClock(Clock clock) {
    this.clock = java.util.Objects.requireNonNull(clock, "clock");
  }

  /** Now, by {@link #useClock(Clock)}'s clock. */
  protected final Instant now() {
    return clock.instant();
  }

  /**
   * Thrown while handling a request to answer {@code response} at once, from a check deep inside.
   */
  static final class Answer extends RuntimeException {
    private final FakeResponse response;

    Answer(FakeResponse response) {
      super(null, null, false, false);
      this.response = response;
    }
  }

  /** Handles one request that no fault intercepted. */
  protected abstract FakeResponse handle(RecordedRequest request) throws Exception;

  /** Binds 127.0.0.1 on a free port and starts serving. Subclasses narrow the return type. */
  public FakeServer start() {
    try {
      InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
      if (https) {
        HttpsServer s = HttpsServer.create(address, 0);
        s.setHttpsConfigurator(new HttpsConfigurator(TestTls.serverContext()));
        server = s;
      } else {
        server = HttpServer.create(address, 0);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t =
                  new Thread(r, getClass().getSimpleName() + "-" + THREADS.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
    return this;
  }

  /** {@code http://127.0.0.1:PORT} or {@code https://...}, without a trailing slash. */
  public URI baseUri() {
    requireStarted();
    return URI.create((https ? "https" : "http") + "://127.0.0.1:" + port());
  }

  /** The bound port. */
  public int port() {
    requireStarted();
    return server.getAddress().getPort();
  }

  /** Every request received, faulted ones included, in order. */
  public synchronized List<RecordedRequest> requests() {
    return List.copyOf(recorded);
  }

  /** How many requests arrived. */
  public synchronized int requestCount() {
    return recorded.size();
  }

  /** How many requests arrived whose path starts with {@code pathPrefix}. */
  public synchronized int requestCount(String pathPrefix) {
    return (int) recorded.stream().filter(r -> r.path().startsWith(pathPrefix)).count();
  }

  /** Forgets the recorded requests (not the faults). */
  public synchronized void clearRecorded() {
    recorded.clear();
  }

  /** Injects {@code fault} into the next matching request(s), after earlier faults. */
  public synchronized void enqueueFault(Fault fault) {
    faults.addLast(fault);
    remaining.put(fault, new AtomicInteger(fault.count()));
  }

  /** Drops faults not yet applied. */
  public synchronized void clearFaults() {
    faults.clear();
    remaining.clear();
  }

  @Override
  public void close() {
    closed.countDown();
    if (server != null) {
      server.stop(0);
    }
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "{" + (server == null ? "not started" : baseUri()) + "}";
  }

  private void requireStarted() {
    if (server == null) {
      throw new IllegalStateException(getClass().getSimpleName() + " is not started");
    }
  }

  private synchronized Fault takeFault(String path) {
    for (Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (f.matches(path)) {
        if (remaining.get(f).decrementAndGet() <= 0) {
          it.remove();
          remaining.remove(f);
        }
        return f;
      }
    }
    return null;
  }

  private void serve(HttpExchange exchange) throws IOException {
    RecordedRequest request;
    try (InputStream in = exchange.getRequestBody()) {
      URI uri = exchange.getRequestURI();
      request =
          new RecordedRequest(
              exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT),
              uri.getPath(),
              uri.getRawQuery(),
              exchange.getRequestHeaders(),
              in.readAllBytes());
    }
    synchronized (this) {
      recorded.add(request);
    }
    Fault fault = takeFault(request.path());
    try {
      if (fault == null) {
        send(exchange, handleSafely(request));
        return;
      }
      switch (fault.kind()) {
        case STATUS -> {
          fault.extraHeaders().forEach(exchange.getResponseHeaders()::add);
          send(exchange, FakeResponse.of(fault.statusCode(), fault.contentType(), fault.body()));
        }
        case DRIP -> drip(exchange, handleSafely(request), fault.delayDuration());
        case HUGE_BODY -> huge(exchange, fault);
        case HANG -> {
          closed.await(10, TimeUnit.MINUTES);
          exchange.close();
        }
        case RESET -> {
          // Closing the exchange before any response makes the client see a dropped
          // connection ("Unexpected end of file"), like a reset.
          exchange.getResponseBody().close();
          exchange.close();
        }
        case DELAY -> {
          if (closed.await(fault.delayDuration().toMillis(), TimeUnit.MILLISECONDS)) {
            exchange.close();
          } else {
            send(exchange, handleSafely(request));
          }
        }
        case MALFORMED_BODY -> {
          FakeResponse normal = handleSafely(request);
          byte[] body = normal.body();
          byte[] cut = java.util.Arrays.copyOf(body, Math.max(1, body.length / 2));
          String type = normal.headers().getOrDefault("Content-Type", "application/json");
          send(exchange, FakeResponse.of(200, type, new String(cut, "UTF-8")));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.close();
    }
  }

  private void drip(HttpExchange exchange, FakeResponse r, java.time.Duration interval)
      throws IOException, InterruptedException {
    r.headers().forEach(exchange.getResponseHeaders()::add);
    byte[] body = r.body();
    exchange.sendResponseHeaders(r.status(), 0); // chunked: the client cannot know the end
    try (OutputStream out = exchange.getResponseBody()) {
      for (byte b : body) {
        out.write(b);
        out.flush();
        if (closed.await(interval.toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      }
    } catch (IOException clientGone) {
      // the client gave up: what the fault is for
    } finally {
      exchange.close();
    }
  }

  private static void huge(HttpExchange exchange, Fault fault) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", fault.contentType());
    long size = fault.size();
    exchange.sendResponseHeaders(200, fault.declaresLength() && size > 0 ? size : 0);
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) ' ');
    chunk[0] = '{';
    try (OutputStream out = exchange.getResponseBody()) {
      long sent = 0;
      while (size == Fault.ENDLESS || sent < size) {
        int n = size == Fault.ENDLESS ? chunk.length : (int) Math.min(chunk.length, size - sent);
        out.write(chunk, 0, n);
        sent += n;
        chunk[0] = ' ';
      }
    } catch (IOException clientGone) {
      // the client stopped reading: what the fault is for
    } finally {
      exchange.close();
    }
  }

  private FakeResponse handleSafely(RecordedRequest request) {
    try {
      FakeResponse r = handle(request);
      return r == null ? FakeResponse.text(404, "not found") : r;
    } catch (Answer a) {
      return a.response;
    } catch (Exception e) {
      return FakeResponse.oauthError(500, "fake_internal_error", e.getClass().getSimpleName());
    }
  }

  private static void send(HttpExchange exchange, FakeResponse r) throws IOException {
    r.headers().forEach(exchange.getResponseHeaders()::add);
    byte[] body = r.body();
    exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }
}

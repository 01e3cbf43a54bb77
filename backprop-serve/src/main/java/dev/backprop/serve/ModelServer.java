package dev.backprop.serve;

import com.sun.net.httpserver.HttpServer;
import dev.backprop.InvalidSettingException;
import dev.backprop.io.Model;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Serves models over HTTP, on the JDK's own server ({@code com.sun.net.httpserver}): the Open Inference Protocol
 * (KServe V2) REST API and MLflow's {@code POST /invocations}; the endpoints, formats and errors are in
 * docs/CLI.md ({@code backprop serve}).
 *
 * <pre>{@code
 * try (ModelServer server = ModelServer.start(Map.of("iris", ModelFile.load(path)),
 *     ServeConfig.defaults().withPort(0), System.err::println)) {
 *   System.out.println(server.uri());
 *   ...
 * }
 * }</pre>
 *
 * <p>Requests run on {@link ServeConfig#threads()} threads of the server's own, each calling
 * {@link Model#predict}, which is safe for concurrent callers. The timeout, the refusal of oversized bodies and
 * prompt responses rest on the JDK server's settings {@code sun.net.httpserver.maxReqTime}, {@code maxRspTime},
 * {@code drainAmount} and {@code nodelay}, which the JDK reads once per JVM: the first server started in a JVM
 * sets those that are not already set, and later servers share them.
 */
public final class ModelServer implements AutoCloseable {
  private static final int BACKLOG = 128;
  private static final Duration POLL = Duration.ofMillis(10);

  private final HttpServer http;
  private final ExecutorService pool;
  private final Endpoints endpoints;
  private final AtomicInteger inFlight;
  private final Duration grace;
  private boolean stopped;

  private ModelServer(HttpServer http, ExecutorService pool, Endpoints endpoints, AtomicInteger inFlight,
      Duration grace) {
    this.http = http;
    this.pool = pool;
    this.endpoints = endpoints;
    this.inFlight = inFlight;
    this.grace = grace;
  }

  /**
   * Starts serving {@code models} under their names (in the order given).
   *
   * @param accessLog receives one line per request (method, path, status, response bytes, milliseconds) and one
   *     per internal error; called from the request threads
   * @throws InvalidSettingException if there is no model or a name is empty or holds a '/'
   * @throws IOException if the server cannot listen where {@code config} says
   */
  public static ModelServer start(Map<String, Model> models, ServeConfig config, Consumer<String> accessLog)
      throws IOException {
    Objects.requireNonNull(accessLog, "accessLog");
    if (models.isEmpty()) {
      throw new InvalidSettingException("models", "none", "at least one model");
    }
    Map<String, ServedModel> served = new LinkedHashMap<>();
    for (Map.Entry<String, Model> e : models.entrySet()) {
      String name = e.getKey();
      if (name.isEmpty() || name.contains("/")) {
        throw new InvalidSettingException("models", "'" + name + "'", "named by non-empty names without '/'");
      }
      served.put(name, new ServedModel(name, Objects.requireNonNull(e.getValue(), name)));
    }
    configureJdkServer(config.timeout());
    AtomicInteger inFlight = new AtomicInteger();
    Endpoints endpoints = new Endpoints(java.util.Collections.unmodifiableMap(served), config.maxBodyBytes(),
        accessLog, inFlight::incrementAndGet, inFlight::decrementAndGet);
    HttpServer http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), BACKLOG);
    ExecutorService pool = Executors.newFixedThreadPool(config.threads(), threads());
    http.setExecutor(pool);
    http.createContext("/", endpoints);
    http.start();
    return new ModelServer(http, pool, endpoints, inFlight, config.timeout());
  }

  /** Where the server listens; the port is the real one when port 0 was asked for. */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** {@code http://HOST:PORT}, the base of every endpoint. */
  public URI uri() {
    InetSocketAddress a = address();
    String host = a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort());
  }

  /**
   * Stops: new requests get 503, the requests in flight finish (for at most the configured timeout), then the
   * listener and the threads end. Calling it again does nothing.
   */
  public synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    endpoints.refuseNewRequests();
    long deadline = System.nanoTime() + grace.toNanos();
    try {
      while (inFlight.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(POLL.toMillis());
      }
      http.stop(0);
      pool.shutdown();
      pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      http.stop(0);
    }
    pool.shutdownNow();
  }

  @Override
  public void close() {
    stop();
  }

  /**
   * Sets the JDK server's request and response time limits (seconds), makes it close, rather than read to its
   * end, a body that a handler left unread (a refused one), and turns on TCP_NODELAY, unless they are set already.
   */
  private static void configureJdkServer(Duration timeout) {
    String seconds = Long.toString(timeout.toSeconds());
    setIfAbsent("sun.net.httpserver.maxReqTime", seconds);
    setIfAbsent("sun.net.httpserver.maxRspTime", seconds);
    setIfAbsent("sun.net.httpserver.drainAmount", "0");
    // Without TCP_NODELAY a response written in two parts (headers, body) waited for the client's delayed ACK:
    // 21 requests/s at a median of 47 ms on loopback, against about 1 ms with it (docs/PERFORMANCE.md, Serving).
    setIfAbsent("sun.net.httpserver.nodelay", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  private static ThreadFactory threads() {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "backprop-serve-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

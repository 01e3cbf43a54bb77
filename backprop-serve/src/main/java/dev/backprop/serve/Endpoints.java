package dev.backprop.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.backprop.InvalidInputException;
import dev.backprop.Version;
import dev.backprop.internal.io.Json;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Every endpoint of the server: routes a request, answers it with JSON, and logs one line for it.
 *
 * <p>Open Inference Protocol (KServe V2): {@code GET /v2/health/live}, {@code GET /v2/health/ready},
 * {@code GET /v2}, {@code GET /v2/models/{name}}, {@code GET /v2/models/{name}/ready},
 * {@code POST /v2/models/{name}/infer}. MLflow: {@code POST /invocations} ({@code dataframe_split}), with the
 * model chosen by {@code ?model=NAME} or the {@value #MODEL_HEADER} header when more than one is loaded, and
 * {@code GET /ping}. Errors are {@code {"error": "..."}} with 400, 404, 405, 413, 500 or 503; a client never sees
 * a stack trace.
 */
final class Endpoints implements HttpHandler {
  static final String MODEL_HEADER = "Backprop-Model";
  private static final String MODELS = "/v2/models/";
  private static final int LOGGED_PATH_CHARS = 200;

  private final Map<String, ServedModel> models;
  private final int maxBodyBytes;
  private final Consumer<String> log;
  private final Runnable started;
  private final Runnable finished;
  private volatile boolean stopping;

  /**
   * @param started and {@code finished} are called around every request, for the server's count of those in
   *     flight
   */
  Endpoints(Map<String, ServedModel> models, int maxBodyBytes, Consumer<String> log, Runnable started,
      Runnable finished) {
    this.models = models;
    this.maxBodyBytes = maxBodyBytes;
    this.log = log;
    this.started = started;
    this.finished = finished;
  }

  /** From now on every request gets 503 and its connection is closed. */
  void refuseNewRequests() {
    stopping = true;
  }

  /** The exchange whose body this thread's handler has read (attributes of an exchange are shared in JDK 17). */
  private final ThreadLocal<HttpExchange> bodyRead = new ThreadLocal<>();

  @Override
  public void handle(HttpExchange exchange) {
    long start = System.nanoTime();
    started.run();
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getRawPath();
    int status = 0;
    long bytes = 0;
    String failure = "";
    try {
      Response response = respond(exchange, method);
      if (!response.close() && !drainBody(exchange)) {
        response = response.closing();
      }
      status = response.status();
      bytes = send(exchange, response);
    } catch (IOException e) {
      // The client went away or the timeout closed the connection: nothing can be answered.
      failure = " (connection closed: " + e.getMessage() + ")";
    } finally {
      bodyRead.remove();
      exchange.close();
      finished.run();
      double ms = (System.nanoTime() - start) / 1e6;
      log.accept(String.format(Locale.ROOT, "%s %s %d %d bytes %.1f ms%s", method, logged(path), status, bytes, ms,
          failure));
    }
  }

  private Response respond(HttpExchange exchange, String method) throws IOException {
    if (stopping) {
      return Response.error(503, "the server is stopping").closing();
    }
    try {
      return route(exchange, method);
    } catch (HttpError e) {
      // A body refused unread cannot be skipped: after a 413 the connection is closed instead.
      return new Response(e.status(), Json.write(Map.of("error", e.getMessage())), e.allow(), e.status() == 413);
    } catch (InvalidInputException e) {
      return Response.error(400, e.getMessage());
    } catch (RuntimeException | OutOfMemoryError e) {
      log.accept("internal error: " + InvalidInputException.escape(String.valueOf(e)));
      return Response.error(500, "internal error; the server's log has it");
    }
  }

  private Response route(HttpExchange exchange, String method) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (path == null) {
      throw notFound(exchange.getRequestURI().getRawPath());
    }
    switch (path) {
      case "/v2/health/live":
        return get(method, path, Map.of("live", true));
      case "/v2/health/ready":
        return get(method, path, Map.of("ready", true));
      case "/v2":
        return get(method, path, serverMetadata());
      case "/ping":
        return get(method, path, Map.of());
      case "/invocations":
        requireMethod(method, "POST", path);
        ServedModel chosen = chooseForInvocations(exchange);
        Matrix rows = DataframeSplit.parse(body(exchange), chosen.model().info().featureNames());
        return Response.ok(chosen.invocations(rows));
      default:
        break;
    }
    if (path.startsWith(MODELS)) {
      String[] parts = path.substring(MODELS.length()).split("/", -1);
      ServedModel model = model(parts[0]);
      if (parts.length == 1) {
        return get(method, path, model.metadata());
      }
      if (parts.length == 2 && parts[1].equals("ready")) {
        Map<String, Object> ready = new LinkedHashMap<>();
        ready.put("name", model.name());
        ready.put("ready", true);
        return get(method, path, ready);
      }
      if (parts.length == 2 && parts[1].equals("infer")) {
        requireMethod(method, "POST", path);
        InferRequest request = InferRequest.parse(body(exchange), model.featureCount(), model.outputNames());
        return Response.ok(model.infer(request));
      }
    }
    throw notFound(path);
  }

  private static Response get(String method, String path, Map<String, ?> body) {
    requireMethod(method, "GET", path);
    return Response.ok(body);
  }

  private static void requireMethod(String method, String allowed, String path) {
    if (!method.equals(allowed)) {
      throw HttpError.methodNotAllowed(allowed, InvalidInputException.escape(method) + " " + InvalidInputException.escape(
          InferRequest.shorten(path)) + " is not an endpoint; " + path + " takes " + allowed);
    }
  }

  private ServedModel model(String name) {
    ServedModel model = models.get(name);
    if (model == null) {
      throw new HttpError(404, "no model named '" + InvalidInputException.escape(InferRequest.shorten(name))
          + "'; this server has " + String.join(", ", models.keySet()));
    }
    return model;
  }

  /** The model named by {@code ?model=NAME} or the header, or the only one. */
  private ServedModel chooseForInvocations(HttpExchange exchange) {
    String name = query(exchange.getRequestURI().getRawQuery(), "model");
    if (name == null) {
      name = exchange.getRequestHeaders().getFirst(MODEL_HEADER);
    }
    if (name != null) {
      return model(name);
    }
    if (models.size() > 1) {
      throw new HttpError(400, "this server has " + models.size() + " models (" + String.join(", ", models.keySet())
          + "); choose one with ?model=NAME or the " + MODEL_HEADER + " header");
    }
    return models.values().iterator().next();
  }

  private static String query(String rawQuery, String key) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(key)) {
        return java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static HttpError notFound(String path) {
    return new HttpError(404, "no endpoint at " + InvalidInputException.escape(InferRequest.shorten(path))
        + "; the endpoints are /v2/health/live, /v2/health/ready, /v2, /v2/models/{name}, /v2/models/{name}/ready, "
        + "/v2/models/{name}/infer, /invocations and /ping");
  }

  /**
   * The request body as text, refused with 413 above the limit: by its declared length before a byte of it is
   * read, or once a body without a declared length passes the limit.
   */
  private String body(HttpExchange exchange) throws IOException {
    bodyRead.set(exchange);
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      long length;
      try {
        length = Long.parseLong(declared.trim());
      } catch (NumberFormatException e) {
        throw new HttpError(400, "the Content-Length header is not a number");
      }
      if (length > maxBodyBytes) {
        throw tooLarge(length + " bytes");
      }
    }
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(maxBodyBytes + 1 > 0 ? maxBodyBytes + 1 : maxBodyBytes);
      if (bytes.length > maxBodyBytes) {
        throw tooLarge("more than " + maxBodyBytes + " bytes");
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new HttpError(400, "the request body is not valid UTF-8 text");
    }
  }

  /**
   * Reads what an answer before the body (a 404, a 405) left of the request, so that the connection can serve the
   * client's next request; false when more than the body cap is left, and the connection must close. The JDK's
   * server would otherwise close it silently (its drain amount is 0 here, for the 413 that reads nothing), and a
   * client reusing it would find it dead.
   */
  private boolean drainBody(HttpExchange exchange) throws IOException {
    if (bodyRead.get() == exchange) {
      return true;
    }
    InputStream in = exchange.getRequestBody();
    byte[] buffer = new byte[8192];
    long left = maxBodyBytes;
    while (left >= 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left + 1));
      if (n < 0) {
        return true;
      }
      left -= n;
    }
    return false;
  }

  private HttpError tooLarge(String size) {
    return new HttpError(413, "the request body has " + size + ", above this server's limit of " + maxBodyBytes
        + " bytes; send fewer rows per request");
  }

  private static Map<String, Object> serverMetadata() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", "backprop");
    m.put("version", Version.VERSION);
    m.put("extensions", List.of());
    return m;
  }

  private static long send(HttpExchange exchange, Response response) throws IOException {
    byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    if (response.allow() != null) {
      exchange.getResponseHeaders().set("Allow", response.allow());
    }
    if (response.close()) {
      exchange.getResponseHeaders().set("Connection", "close");
    }
    exchange.sendResponseHeaders(response.status(), body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
    return body.length;
  }

  private static String logged(String path) {
    String p = path == null ? "" : path;
    return InvalidInputException.escape(p.length() <= LOGGED_PATH_CHARS ? p : p.substring(0, LOGGED_PATH_CHARS)
        + "...");
  }

  /** What is sent back: status, JSON text, and the headers that some statuses need. */
  private record Response(int status, String body, String allow, boolean close) {
    static Response ok(Map<String, ?> value) {
      return new Response(200, Json.write(value), null, false);
    }

    static Response error(int status, String message) {
      return new Response(status, Json.write(Map.of("error", message)), null, false);
    }

    Response closing() {
      return new Response(status, body, allow, true);
    }
  }
}

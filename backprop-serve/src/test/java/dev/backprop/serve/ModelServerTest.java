package dev.backprop.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.internal.io.Json;
import dev.backprop.io.Model;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every endpoint and every error status of {@link ModelServer}, over loopback with {@link HttpClient}. */
class ModelServerTest {
  /** The timeout of every server in this JVM (the JDK reads it once). */
  static final Duration TIMEOUT = Duration.ofSeconds(2);
  static final int MAX_BODY = 64 * 1024;

  static final Model IRIS = TestModels.classifier();
  static final Model REG = TestModels.regressor();
  static final ConcurrentLinkedQueue<String> LOG = new ConcurrentLinkedQueue<>();
  static ModelServer server;
  static HttpClient client;

  @BeforeAll
  static void start() throws IOException {
    Map<String, Model> models = new LinkedHashMap<>();
    models.put("iris", IRIS);
    models.put("reg", REG);
    server = ModelServer.start(models, config(), LOG::add);
    client = HttpClient.newHttpClient();
  }

  static ServeConfig config() {
    return ServeConfig.defaults().withPort(0).withThreads(4).withMaxBodyBytes(MAX_BODY).withTimeout(TIMEOUT);
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> post(String path, String body) throws Exception {
    return client.send(HttpRequest.newBuilder(server.uri().resolve(path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(HttpResponse<String> r) {
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), r.body());
    return (Map<String, Object>) Json.parse("response", r.body());
  }

  /** The error message of a response with the given status. */
  static String error(int status, HttpResponse<String> r) {
    assertEquals(status, r.statusCode(), r.body());
    Object message = json(r).get("error");
    assertTrue(message instanceof String, r.body());
    assertFalse(((String) message).contains("\tat "), "a stack trace: " + message);
    return (String) message;
  }

  static String infer(double[][] rows) {
    List<Object> data = new ArrayList<>();
    for (double[] row : rows) {
      for (double v : row) {
        data.add(v);
      }
    }
    return "{\"id\": \"r1\", \"inputs\": [{\"name\": \"input\", \"shape\": [" + rows.length + ", " + rows[0].length
        + "], \"datatype\": \"FP32\", \"data\": " + Json.write(data) + "}]}";
  }

  static final double[][] ROWS = {{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}, {5.9, 2.8, 4.3, 1.3}};

  @Test
  void healthAndServerMetadata() throws Exception {
    assertEquals(Map.of("live", true), json(get("/v2/health/live")));
    assertEquals(Map.of("ready", true), json(get("/v2/health/ready")));
    Map<String, Object> meta = json(get("/v2"));
    assertEquals("backprop", meta.get("name"));
    assertTrue(meta.containsKey("version") && meta.containsKey("extensions"));
    assertEquals(200, get("/ping").statusCode());
  }

  @Test
  void modelMetadataNamesTheTensors() throws Exception {
    Map<String, Object> meta = json(get("/v2/models/iris"));
    assertEquals("iris", meta.get("name"));
    assertEquals(List.of(Map.of("name", "input", "datatype", "FP32", "shape", List.of(-1L, 4L))), meta.get("inputs"));
    assertEquals(List.of(Map.of("name", "probabilities", "datatype", "FP32", "shape", List.of(-1L, 3L)),
        Map.of("name", "label", "datatype", "BYTES", "shape", List.of(-1L))), meta.get("outputs"));
    @SuppressWarnings("unchecked")
    Map<String, Object> parameters = (Map<String, Object>) meta.get("parameters");
    assertEquals(TestModels.IRIS_FEATURES, parameters.get("feature_names"));
    assertEquals(TestModels.IRIS_CLASSES, parameters.get("classes"));
    assertEquals(List.of(Map.of("name", "output", "datatype", "FP32", "shape", List.of(-1L, 2L))),
        json(get("/v2/models/reg")).get("outputs"));
    assertEquals(Map.of("name", "iris", "ready", true), json(get("/v2/models/iris/ready")));
  }

  @Test
  void inferEqualsPredict() throws Exception {
    Map<String, Object> r = json(post("/v2/models/iris/infer", infer(ROWS)));
    assertEquals("iris", r.get("model_name"));
    assertEquals("r1", r.get("id"));
    List<?> outputs = (List<?>) r.get("outputs");
    assertEquals(2, outputs.size());
    Map<?, ?> probabilities = (Map<?, ?>) outputs.get(0);
    assertEquals("probabilities", probabilities.get("name"));
    assertEquals("FP32", probabilities.get("datatype"));
    assertEquals(List.of(3L, 3L), probabilities.get("shape"));
    Matrix expected = IRIS.predict(Matrix.of(ROWS));
    assertArrayEquals(floats(expected), floats((List<?>) probabilities.get("data")));
    Map<?, ?> label = (Map<?, ?>) outputs.get(1);
    assertEquals("BYTES", label.get("datatype"));
    assertEquals(List.of(3L), label.get("shape"));
    assertEquals(labels(expected), label.get("data"));
  }

  @Test
  void inferTakesNestedRowsAndChosenOutputs() throws Exception {
    String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": "
        + Json.write(List.of(ROWS[0], ROWS[1])) + "}], \"outputs\": [{\"name\": \"label\"}]}";
    Map<String, Object> r = json(post("/v2/models/iris/infer", body));
    assertFalse(r.containsKey("id"));
    List<?> outputs = (List<?>) r.get("outputs");
    assertEquals(1, outputs.size());
    assertEquals(labels(IRIS.predict(Matrix.of(new double[][] {ROWS[0], ROWS[1]}))),
        ((Map<?, ?>) outputs.get(0)).get("data"));
  }

  @Test
  void inferOfARegression() throws Exception {
    double[][] rows = {{1, 2, 3}, {0.5, -1, 8}};
    Map<String, Object> r = json(post("/v2/models/reg/infer", infer(rows)));
    Map<?, ?> output = (Map<?, ?>) ((List<?>) r.get("outputs")).get(0);
    assertEquals("output", output.get("name"));
    assertEquals(List.of(2L, 2L), output.get("shape"));
    assertArrayEquals(floats(REG.predict(Matrix.of(rows))), floats((List<?>) output.get("data")));
  }

  @Test
  void invocationsMatchColumnsByName() throws Exception {
    // the columns in another order, with one the model does not take
    String body = "{\"dataframe_split\": {\"columns\": [\"petal_width\", \"note\", \"sepal_length\", \"petal_length\","
        + " \"sepal_width\"], \"data\": [[0.2, 9, 5.1, 1.4, 3.5], [2.3, 9, 6.7, 5.2, 3.0]]}}";
    Map<String, Object> r = json(post("/invocations?model=iris", body));
    assertEquals(Map.of("predictions", labels(IRIS.predict(Matrix.of(new double[][] {ROWS[0], ROWS[1]})))), r);

    HttpResponse<String> byHeader = client.send(HttpRequest.newBuilder(server.uri().resolve("/invocations"))
        .header(Endpoints.MODEL_HEADER, "reg")
        .POST(HttpRequest.BodyPublishers.ofString(
            "{\"dataframe_split\": {\"columns\": [\"c\", \"b\", \"a\"], \"data\": [[3, 2, 1]]}}")).build(),
        HttpResponse.BodyHandlers.ofString());
    float[] expected = floats(REG.predict(Matrix.of(new double[][] {{1, 2, 3}})));
    List<?> predictions = (List<?>) json(byHeader).get("predictions");
    assertEquals(1, predictions.size());
    assertEquals(expected.length, ((List<?>) predictions.get(0)).size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], ((Number) ((List<?>) predictions.get(0)).get(i)).floatValue());
    }
  }

  @Test
  void invocationsErrors() throws Exception {
    String missing = "{\"dataframe_split\": {\"columns\": [\"sepal_length\", \"sepal_width\", \"petal_length\"],"
        + " \"data\": [[1, 2, 3]]}}";
    assertTrue(error(400, post("/invocations?model=iris", missing)).contains("'petal_width' is missing"));
    assertTrue(error(400, post("/invocations", missing)).contains("choose one with ?model=NAME"));
    assertTrue(error(404, post("/invocations?model=nope", missing)).contains("no model named 'nope'"));
    assertTrue(error(400, post("/invocations?model=reg", "{\"instances\": [[1, 2, 3]]}"))
        .contains("'instances' is not supported"));
    assertTrue(error(400, post("/invocations?model=reg",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"c\"], \"data\": [[1, \"x\", 3]]}}"))
        .contains("'b' takes numbers, found a string"));
  }

  @Test
  void badRequestsAre400WithTheReason() throws Exception {
    String path = "/v2/models/iris/infer";
    assertTrue(error(400, post(path, "{\"inputs\": [")).contains("JSON offset 12"));
    assertTrue(error(400, post(path, infer(ROWS).replace("[3, 4]", "[3, 5]"))).contains("expected [n, 4]"));
    assertTrue(error(400, post(path, infer(ROWS).replace("[3, 4]", "[4, 4]"))).contains("needs 16 numbers"));
    assertTrue(error(400, post(path, infer(ROWS).replace("FP32", "INT64"))).contains("expected \"FP32\""));
    assertTrue(error(400, post(path, infer(ROWS).replace("5.1", "1e39"))).contains("not a finite FP32"));
    assertTrue(error(400, post(path, infer(ROWS).replace("5.1", "NaN"))).contains("NaN and Infinity"));
    assertTrue(error(400, post(path, infer(ROWS).replace("\"input\"", "\"x\""))).contains("expected \"input\""));
    assertTrue(error(400, post(path, infer(ROWS).replace("}]}", "}], \"outputs\": [{\"name\": \"z\"}]}")))
        .contains("expected one of [probabilities, label]"));
    assertTrue(error(400, post(path, "[" + "[".repeat(70) + "]".repeat(71))).contains("nested deeper than 64"));
    HttpResponse<String> notUtf8 = client.send(HttpRequest.newBuilder(server.uri().resolve(path))
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'"', (byte) 0xff, '"'})).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(error(400, notUtf8).contains("not valid UTF-8"));
  }

  @Test
  void anAnswerBeforeTheBodyLeavesTheConnectionUsable() throws Exception {
    // a 404 or 405 is decided before the body is read; the connection the client keeps must still serve the next
    // request (the server reads the rest of such a body, or says Connection: close)
    for (int i = 0; i < 50; i++) {
      error(404, post("/v2/models/nope/infer", infer(ROWS)));
      assertEquals(200, post("/v2/models/iris/infer", infer(ROWS)).statusCode(), "request " + i);
      error(405, post("/v2/models/iris", infer(ROWS)));
      assertEquals(200, post("/v2/models/iris/infer", infer(ROWS)).statusCode(), "request " + i);
    }
  }

  @Test
  void unknownModelsAndPathsAre404WrongMethods405() throws Exception {
    assertTrue(error(404, post("/v2/models/nope/infer", infer(ROWS))).contains("this server has iris, reg"));
    error(404, get("/v2/models/nope"));
    error(404, get("/v2/models/nope/ready"));
    assertTrue(error(404, get("/v3/anything")).contains("no endpoint at /v3/anything"));
    error(404, get("/v2/models/iris/versions/1/infer"));
    HttpResponse<String> wrong = get("/v2/models/iris/infer");
    assertTrue(error(405, wrong).contains("takes POST"));
    assertEquals("POST", wrong.headers().firstValue("Allow").orElse(""));
    assertEquals("GET", post("/v2/health/live", "{}").headers().firstValue("Allow").orElse(""));
    error(405, post("/v2/models/iris", "{}"));
  }

  @Test
  void aBodyAboveTheCapIs413WithoutReadingTheRest() throws Exception {
    // declares 100 MB and sends 10 bytes of it: the answer comes without the rest
    try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100000000\r\n\r\n{\"inputs\":").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(response.startsWith("HTTP/1.1 413"), response);
      assertTrue(response.contains("above this server's limit of " + MAX_BODY + " bytes"), response);
    }
    // a body of unknown length (chunked) is cut at the cap
    byte[] big = new byte[MAX_BODY + 10];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri().resolve("/v2/models/iris/infer"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(error(413, r).contains("more than " + MAX_BODY + " bytes"));
    // and the server goes on
    assertEquals(200, post("/v2/models/iris/infer", infer(ROWS)).statusCode());
  }

  @Test
  void aClientThatStallsIsCutOffAtTheTimeout() throws Exception {
    long start = System.nanoTime();
    try (Socket socket = new Socket(server.address().getAddress(), server.address().getPort())) {
      socket.setSoTimeout(15_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /v2/models/iris/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      in.readAllBytes();
    } catch (java.net.SocketException closed) {
      // a reset is a cut too
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    assertTrue(seconds >= TIMEOUT.toSeconds() - 0.5 && seconds < TIMEOUT.toSeconds() + 5, seconds + " s");
    assertEquals(200, post("/v2/models/iris/infer", infer(ROWS)).statusCode());
  }

  @Test
  void oneAccessLogLinePerRequest() throws Exception {
    get("/v2/health/live?probe=1");
    get("/nowhere");
    // the line is written once the response is out, so it may come a moment after the client has it
    assertTrue(logged("GET /v2/health/live 200 13 bytes \\d+\\.\\d ms"), String.join("\n", LOG));
    assertTrue(logged("GET /nowhere 404 \\d+ bytes \\d+\\.\\d ms"), String.join("\n", LOG));
  }

  static boolean logged(String pattern) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      if (LOG.stream().anyMatch(l -> l.matches(pattern))) {
        return true;
      }
      Thread.sleep(10);
    }
    return false;
  }

  static float[] floats(Matrix m) {
    float[] f = new float[m.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) m.getFlat(i);
    }
    return f;
  }

  static float[] floats(List<?> values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) values.get(i)).floatValue();
    }
    return f;
  }

  static List<String> labels(Matrix probabilities) {
    List<String> labels = new ArrayList<>();
    for (int r = 0; r < probabilities.rows(); r++) {
      int best = 0;
      for (int c = 1; c < probabilities.cols(); c++) {
        if (probabilities.get(r, c) > probabilities.get(r, best)) {
          best = c;
        }
      }
      labels.add(TestModels.IRIS_CLASSES.get(best));
    }
    return labels;
  }
}

package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.internal.io.Json;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.tensor.Matrix;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code backprop serve} as users run it: a child process, a request, SIGTERM with a request in flight, exit 0. */
class ServeCommandTest {
  @TempDir Path dir;

  private Path irisModel() {
    Path model = dir.resolve("iris.safetensors");
    Cli r = Cli.run("train", "--data", "iris", "--epochs", "5", "--quiet", "--out", model.toString());
    assertEquals(0, r.code, r.toString());
    return model;
  }

  @Test
  void servesUntilSigtermThenFinishesTheRequestInFlightAndExitsZero() throws Exception {
    Path model = irisModel();
    Path log = dir.resolve("stderr.txt");
    // the child runs the kernels this JVM runs (the scalar pass of CI sets them), so its answers have the same bits
    List<String> command = ChildCli.command("serve", "--model", "flowers=" + model, "--port", "0", "--threads", "2",
        "--timeout", "10");
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    try {
      BufferedReader stdout = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = stdout.readLine();
      Matcher m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+) \\(models: flowers\\)").matcher(
          String.valueOf(line));
      assertTrue(m.matches(), line + "\n" + Files.readString(log));
      URI base = URI.create(m.group(1));

      double[][] rows = {{5.1, 3.5, 1.4, 0.2}, {6.7, 3.0, 5.2, 2.3}};
      String body = "{\"inputs\": [{\"name\": \"input\", \"shape\": [2, 4], \"datatype\": \"FP32\", \"data\": "
          + Json.write(List.of(rows[0], rows[1])) + "}]}";
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          base.resolve("/v2/models/flowers/infer")).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      Model loaded = ModelFile.load(model);
      Map<?, ?> probabilities = (Map<?, ?>) ((List<?>) ((Map<?, ?>) Json.parse("response", r.body()))
          .get("outputs")).get(0);
      assertArrayEquals(floats(loaded.predict(Matrix.of(rows))), floats((List<?>) probabilities.get("data")));

      // a request whose body is half sent when SIGTERM comes: it is answered, then the server exits 0
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      try (Socket socket = new Socket(base.getHost(), base.getPort())) {
        socket.setSoTimeout(20_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v2/models/flowers/infer HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes.length
            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes, 0, 10);
        out.flush();
        Thread.sleep(300);
        p.destroy(); // SIGTERM
        Thread.sleep(500);
        assertTrue(p.isAlive(), "exited with a request in flight");
        out.write(bytes, 10, bytes.length - 10);
        out.flush();
        String response = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
        assertEquals("HTTP/1.1 200", response);
      }
      assertTrue(p.waitFor(20, TimeUnit.SECONDS), "still running after SIGTERM");
      String stderr = Files.readString(log);
      assertEquals(0, p.exitValue(), stderr);
      assertTrue(stderr.contains("POST /v2/models/flowers/infer 200 "), stderr);
      assertTrue(stderr.contains("backprop: stopped"), stderr);
      assertTrue(!stderr.contains("Exception"), stderr);
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void badFlagsAndFilesExitWithOneLine() throws Exception {
    Cli missing = Cli.run("serve", "--model", dir.resolve("nope.safetensors").toString(), "--port", "0");
    assertEquals(3, missing.code, missing.toString());
    assertTrue(missing.err.startsWith("backprop: ") && missing.err.strip().lines().count() == 1, missing.err);

    Path model = irisModel();
    Cli port = Cli.run("serve", "--model", model.toString(), "--port", "70000");
    assertEquals(2, port.code, port.toString());
    assertTrue(port.err.contains("--port must be between 0"), port.err);
    Cli twice = Cli.run("serve", "--model", model.toString(), "--model", model.toString(), "--port", "0");
    assertEquals(2, twice.code, twice.toString());
    assertTrue(twice.err.contains("a second model named 'iris'"), twice.err);
    Cli body = Cli.run("serve", "--model", model.toString(), "--max-body", "0");
    assertTrue(body.code == 2 && body.err.contains("--max-body must be at least 1 byte"), body.toString());
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Cli busy = Cli.run("serve", "--model", model.toString(), "--port", Integer.toString(taken.getLocalPort()));
      assertEquals(2, busy.code, busy.toString());
      assertTrue(busy.err.contains("cannot listen on 127.0.0.1 port " + taken.getLocalPort()), busy.err);
      assertTrue(busy.out.isEmpty(), busy.out);
    }
  }

  private static float[] floats(Matrix m) {
    float[] f = new float[m.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) m.getFlat(i);
    }
    return f;
  }

  private static float[] floats(List<?> values) {
    float[] f = new float[values.size()];
    for (int i = 0; i < f.length; i++) {
      f[i] = ((Number) values.get(i)).floatValue();
    }
    return f;
  }
}

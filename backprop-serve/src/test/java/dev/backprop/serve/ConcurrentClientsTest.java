package dev.backprop.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.internal.io.Json;
import dev.backprop.io.Model;
import dev.backprop.tensor.Matrix;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Eight clients at once, hundreds of requests each: every answer equals {@link Model#predict}, none fails. */
class ConcurrentClientsTest {
  static final int CLIENTS = 8;
  static final int REQUESTS = 300;
  static final long SEED = 24;

  @Test
  void eightClientsGetWhatPredictGives() throws Exception {
    System.out.println("seed " + SEED);
    Model iris = TestModels.classifier();
    List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());
    try (ModelServer server = ModelServer.start(Map.of("iris", iris), ModelServerTest.config(), log::add)) {
      ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
      List<Future<Integer>> done = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        long clientSeed = SEED * 100 + c;
        done.add(clients.submit(() -> run(server, iris, clientSeed)));
      }
      int answered = 0;
      for (Future<Integer> f : done) {
        answered += f.get();
      }
      clients.shutdown();
      assertEquals(CLIENTS * REQUESTS, answered);
      // alive and right afterwards
      assertEquals(1, run(server, iris, SEED, 1));
    }
    assertEquals(CLIENTS * REQUESTS + 1, log.stream().filter(l -> l.contains(" 200 ")).count(), "one line each");
  }

  private static int run(ModelServer server, Model model, long seed) throws Exception {
    return run(server, model, seed, REQUESTS);
  }

  /** Sends {@code count} requests of 1 to 64 random rows, checks each answer, returns how many were right. */
  private static int run(ModelServer server, Model model, long seed, int count) throws Exception {
    SeededRandom random = SeededRandom.derive(seed, 1);
    HttpClient client = HttpClient.newHttpClient();
    int ok = 0;
    for (int i = 0; i < count; i++) {
      int n = 1 + random.nextInt(64);
      double[][] rows = new double[n][4];
      for (double[] row : rows) {
        for (int j = 0; j < 4; j++) {
          row[j] = 1 + 7 * random.nextDouble();
        }
      }
      HttpResponse<String> r = client.send(HttpRequest.newBuilder(server.uri().resolve("/v2/models/iris/infer"))
          .POST(HttpRequest.BodyPublishers.ofString(ModelServerTest.infer(rows))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      Map<?, ?> body = (Map<?, ?>) Json.parse("response", r.body());
      Map<?, ?> probabilities = (Map<?, ?>) ((List<?>) body.get("outputs")).get(0);
      Matrix expected = model.predict(Matrix.of(rows));
      assertArrayEquals(ModelServerTest.floats(expected), ModelServerTest.floats((List<?>) probabilities.get("data")));
      assertTrue(r.body().contains("\"model_name\":\"iris\""));
      ok++;
    }
    return ok;
  }
}

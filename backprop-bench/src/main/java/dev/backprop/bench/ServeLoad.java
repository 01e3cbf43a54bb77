package dev.backprop.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A small closed-loop load generator for {@code backprop serve}: CLIENTS threads, each with its own HTTP/1.1
 * connection, send the same infer request of ROWS rows back to back for SECONDS after a warm-up, and it prints
 * one line: requests/s, rows/s, and the median and 99th percentile latency. Any answer but 200 fails the run.
 *
 * <p>usage: {@code ServeLoad BASE_URL MODEL FEATURES ROWS CLIENTS SECONDS [WARMUP_SECONDS]}
 */
public final class ServeLoad {
  private ServeLoad() {}

  public static void main(String[] args) throws Exception {
    URI infer = URI.create(args[0]).resolve("/v2/models/" + args[1] + "/infer");
    int features = Integer.parseInt(args[2]);
    int rows = Integer.parseInt(args[3]);
    int clients = Integer.parseInt(args[4]);
    double seconds = Double.parseDouble(args[5]);
    double warmup = args.length > 6 ? Double.parseDouble(args[6]) : 3;
    String body = body(rows, features);
    run(infer, body, clients, warmup);
    List<long[]> latencies = run(infer, body, clients, seconds);
    int n = latencies.stream().mapToInt(l -> l.length).sum();
    long[] all = new long[n];
    int at = 0;
    for (long[] l : latencies) {
      System.arraycopy(l, 0, all, at, l.length);
      at += l.length;
    }
    Arrays.sort(all);
    double rps = n / seconds;
    System.out.printf(Locale.ROOT, "rows %d clients %d: %.0f requests/s, %.0f rows/s, latency p50 %.2f ms, "
        + "p99 %.2f ms (%d requests)%n", rows, clients, rps, rps * rows, all[n / 2] / 1e6,
        all[(int) Math.min(n - 1, n * 0.99)] / 1e6, n);
  }

  /** Rows of deterministic values in [0, 16), the range of the digits' pixels. */
  private static String body(int rows, int features) {
    StringBuilder data = new StringBuilder();
    for (int i = 0; i < rows * features; i++) {
      data.append(i == 0 ? "" : ",").append((i * 7919 % 17) % 16);
    }
    return "{\"inputs\":[{\"name\":\"input\",\"shape\":[" + rows + "," + features + "],\"datatype\":\"FP32\","
        + "\"data\":[" + data + "]}]}";
  }

  /** Each client's latencies in nanoseconds, for requests sent during {@code seconds}. */
  private static List<long[]> run(URI uri, String body, int clients, double seconds) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + (long) (seconds * 1e9);
    List<Future<long[]>> futures = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      futures.add(pool.submit(() -> {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long[] latencies = new long[1024];
        int n = 0;
        while (System.nanoTime() < end) {
          long start = System.nanoTime();
          HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("status " + r.statusCode() + ": " + r.body());
          }
          if (n == latencies.length) {
            latencies = Arrays.copyOf(latencies, n * 2);
          }
          latencies[n++] = System.nanoTime() - start;
        }
        return Arrays.copyOf(latencies, n);
      }));
    }
    List<long[]> results = new ArrayList<>();
    for (Future<long[]> f : futures) {
      results.add(f.get());
    }
    pool.shutdown();
    return results;
  }
}

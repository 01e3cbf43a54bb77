package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.internal.io.JsonObject;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code backprop bench}: what its JSON promises, and its usage errors. */
class BenchCommandTest {
  @Test
  void kernelsOnlyReportsEveryProductAgainstThePeakMeasuredInTheSameRun() {
    Cli r = Cli.run("bench", "--kernels-only", "--seconds", "0.05", "--threads", "2", "--json");
    assertEquals(0, r.code, r::toString);
    JsonObject j = JsonObject.parse("stdout", r.out);
    assertTrue(j.string("kernels").contains("2 threads") || j.string("kernels").startsWith("scalar"), r::toString);
    assertEquals(List.of(), j.array("training"));

    boolean vectorModule = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    assertEquals(vectorModule, j.members().get("fma_peak_gflops") != null, r::toString);
    double peak = vectorModule ? j.number("fma_peak_gflops") : Double.NaN;
    if (vectorModule) {
      // two threads of FMA chains: more than any single-core machine of the last decades and less than a rack
      assertTrue(peak > 1 && peak < 100_000, "peak " + peak);
    }

    List<JsonObject> products = j.objectList("products");
    assertEquals(12, products.size(), r::toString);
    Set<String> seen = new HashSet<>();
    for (JsonObject p : products) {
      assertTrue(seen.add(p.string("form") + " " + p.string("shape")), "a product measured twice: " + p);
      double gflops = p.number("gflops");
      assertTrue(gflops > 0 && Double.isFinite(gflops), p::toString);
      if (vectorModule) {
        assertEquals(gflops / peak, p.number("share_of_peak"), 1e-12 * gflops / peak, p::toString);
      } else {
        assertNull(p.members().get("share_of_peak"), p::toString);
      }
    }
    for (String form : List.of("X W", "A^T delta", "delta W^T")) {
      for (String shape : List.of("128x784x256", "512x784x1024", "64x784x128", "128x256x10")) {
        assertTrue(seen.contains(form + " " + shape), "missing " + form + " " + shape);
      }
    }
    assertTrue(r.err.contains("FMA peak:"), "progress goes to stderr with --json: " + r);
  }

  @Test
  void badValuesAreUsageErrorsWithoutAStackTrace() {
    // each bad command line, and the flag its message must name
    Map<List<String>, String> cases = Map.of(
        List.of("bench", "--kernels-only", "--seconds", "0"), "--seconds",
        List.of("bench", "--kernels-only", "--seconds", "601"), "--seconds",
        List.of("bench", "--workload", "W9", "--kernels-only"), "--workload",
        List.of("bench", "--epochs", "-1"), "--epochs");
    cases.forEach((args, flag) -> {
      Cli r = Cli.run(args.toArray(String[]::new));
      assertEquals(2, r.code, r::toString);
      assertTrue(r.err.contains(flag), r::toString);
      assertFalse(r.err.contains("\tat "), r::toString);
      assertFalse(r.out.contains("GFLOP/s") || r.err.contains("GFLOP/s"), "nothing was measured: " + r);
    });
  }
}

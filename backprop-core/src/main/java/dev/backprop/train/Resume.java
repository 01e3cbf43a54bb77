package dev.backprop.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The checks a checkpoint's state must pass before a run continues from it. */
final class Resume {
  /** Settings named after checkpoints had been written without them, with the value those runs had. */
  private static final Map<String, String> ADDED_SINCE = Map.of("shards", "1");

  private Resume() {}

  /**
   * Why a checkpoint of signature {@code saved} cannot continue a run of signature {@code current}, naming each
   * setting that differs with both values; null when they match (or when {@code saved} is the {@code legacy} text
   * of this run, as older checkpoints recorded it).
   */
  static String mismatch(String saved, String current, String legacy) {
    if (saved.equals(current) || saved.equals(legacy)) {
      return null;
    }
    Map<String, String> was = pairs(saved);
    Map<String, String> is = pairs(current);
    if (was.isEmpty()) {
      return "it was written for " + saved + ", but this run is " + legacy;
    }
    List<String> differences = new ArrayList<>();
    for (Map.Entry<String, String> e : is.entrySet()) {
      String before = was.getOrDefault(e.getKey(), ADDED_SINCE.get(e.getKey()));
      if (!e.getValue().equals(before)) {
        differences.add(e.getKey() + " " + (before == null ? "(not recorded)" : before) + " there, " + e.getValue()
            + " here");
      }
    }
    if (differences.isEmpty() && is.keySet().containsAll(was.keySet())) {
      return null; // written before a setting was added, with the value that setting has here
    }
    return differences.isEmpty() ? "its settings are recorded as " + saved
        : "it differs from this run in " + String.join("; ", differences);
  }

  private static Map<String, String> pairs(String signature) {
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String part : signature.split("; ")) {
      int eq = part.indexOf('=');
      if (eq <= 0) {
        return Map.of();
      }
      pairs.put(part.substring(0, eq), part.substring(eq + 1));
    }
    return pairs;
  }

  /** Throws IllegalArgumentException saying what is impossible in {@code state} for a run of these settings. */
  static void requireConsistent(TrainingState state, int epochs, boolean earlyStopping, int batchesPerEpoch) {
    if (state.epoch() < 0 || state.epoch() > epochs) {
      throw new IllegalArgumentException("its epoch " + state.epoch() + " is outside 0.." + epochs);
    }
    if (state.history().size() != state.epoch()) {
      throw new IllegalArgumentException("it holds " + state.history().size() + " epochs of history for epoch "
          + state.epoch());
    }
    if (state.bestEpoch() < 0 || state.bestEpoch() > state.epoch() || state.badEpochs() < 0) {
      throw new IllegalArgumentException("its early-stopping state (best epoch " + state.bestEpoch()
          + ", epochs since " + state.badEpochs() + ") is impossible after epoch " + state.epoch());
    }
    if (earlyStopping && state.bestEpoch() > 0 && state.bestParameters() == null) {
      throw new IllegalArgumentException("it has no best weights for early stopping");
    }
    int done = state.partial().batches();
    if (done >= batchesPerEpoch || (done > 0 && (state.epoch() == epochs || state.stopped()))) {
      throw new IllegalArgumentException("it stopped after " + done + " batches of epoch " + (state.epoch() + 1)
          + ", which has " + batchesPerEpoch + " batches in this run");
    }
  }
}

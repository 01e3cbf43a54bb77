package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.CheckpointFile;
import dev.backprop.internal.io.JsonObject;
import dev.backprop.io.SafeTensors;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The train flags of schedules, dropout, clipping, validation, early stopping and checkpoints. */
class TrainingToolboxCliTest {
  @Test
  void theToolboxFlagsTrainAndAreRecordedInTheModel(@TempDir Path dir) {
    Path model = dir.resolve("m.safetensors");
    Cli r = Cli.run("train", "--data", "iris", "--epochs", "12", "--batch-size", "16", "--lr", "0.01",
        "--schedule", "step", "--lr-step", "4", "--lr-gamma", "0.5", "--warmup-epochs", "2", "--dropout", "0.1",
        "--clip-norm", "2", "--validation-split", "0.2", "--early-stopping", "50", "--out", model.toString());
    assertEquals(0, r.code, r.toString());
    assertTrue(r.out.contains("held out for validation"), r.out);
    JsonObject p = provenance(model);
    assertEquals("step", p.string("schedule"));
    assertEquals(4, p.intValue("lr_step"));
    assertEquals(0.5, p.number("lr_gamma"));
    assertEquals(2, p.intValue("warmup_epochs"));
    assertEquals(0.1, p.number("dropout"));
    assertEquals(2.0, p.number("clip_norm"));
    assertEquals(0.2, p.number("validation_split"));
    assertEquals(24, p.intValue("validation_rows"));
    assertEquals(96, p.intValue("train_rows"));
    assertTrue(p.intValue("kept_epoch") >= 1 && p.intValue("kept_epoch") <= 12, p.toString());
    Cli summary = Cli.run("summary", "--model", model.toString());
    assertEquals(0, summary.code, summary.toString());
    for (String shown : List.of("schedule: step", "lr_step: 4", "lr_gamma: 0.5", "warmup_epochs: 2", "dropout: 0.1",
        "clip_norm: 2.0", "validation_split: 0.2", "early_stopping: 50", "kept_epoch: ")) {
      assertTrue(summary.out.contains(shown), "summary lacks '" + shown + "':\n" + summary.out);
    }
  }

  @Test
  void everyOptimizerTrainsFromTheCommandLineAndIsRecorded(@TempDir Path dir) {
    String[][] cases = {{"sgd"}, {"momentum", "--momentum", "0.8"}, {"nesterov", "--weight-decay", "1e-4"},
        {"adam", "--weight-decay", "1e-4"}, {"adamw"}, {"rmsprop", "--lr", "0.001"}};
    for (String[] c : cases) {
      Path model = dir.resolve(c[0] + ".safetensors");
      List<String> args = new ArrayList<>(List.of("train", "--data", "iris", "--epochs", "30", "--quiet", "--out",
          model.toString(), "--optimizer"));
      args.addAll(Arrays.asList(c));
      Cli r = Cli.run(args.toArray(new String[0]));
      assertEquals(0, r.code, Arrays.toString(c) + ": " + r);
      JsonObject p = provenance(model);
      assertEquals(c[0], p.string("optimizer"));
      double accuracy = p.object("metrics").number("test_accuracy");
      assertTrue(accuracy > 0.6, Arrays.toString(c) + " reached only " + accuracy);
      if (c[0].equals("momentum")) {
        assertEquals(0.8, p.number("momentum"));
      }
      if (c[0].equals("adamw")) {
        assertEquals(0.01, p.number("weight_decay"));
      }
      if (c[0].equals("nesterov")) {
        assertEquals(1e-4, p.number("weight_decay"));
      }
    }
  }

  @Test
  void trainWritesItsReportBesideTheModel(@TempDir Path dir) throws Exception {
    Path model = dir.resolve("m.safetensors");
    Path page = dir.resolve("run.html");
    Cli r = Cli.run("train", "--data", "iris", "--epochs", "6", "--validation-split", "0.2", "--schedule", "cosine",
        "--quiet", "--out", model.toString(), "--report", page.toString());
    assertEquals(0, r.code, r.toString());
    String html = Files.readString(page);
    assertTrue(html.contains("Training curves"), "no curves");
    assertTrue(html.toLowerCase(java.util.Locale.ROOT).contains("validation"), "no validation curve");
    assertTrue(html.contains("<svg"), "no drawing");
    assertTrue(html.contains("setosa"), "no confusion matrix of the iris classes");

    Path nowhere = dir.resolve("missing").resolve("run.html");
    Path model2 = dir.resolve("m2.safetensors");
    Cli bad = Cli.run("train", "--data", "iris", "--epochs", "1", "--out", model2.toString(), "--report",
        nowhere.toString());
    assertEquals(2, bad.code, bad.toString());
    assertFalse(Files.exists(model2), "the model must not be trained when its report cannot be written");
  }

  @Test
  void earlyStoppingEndsTheRunAndSaysWhichEpochItKept(@TempDir Path dir) {
    Path model = dir.resolve("m.safetensors");
    Cli r = Cli.run("train", "--data", "digits", "--epochs", "300", "--lr", "0.05", "--batch-size", "16",
        "--validation-split", "0.2", "--early-stopping", "2", "--out", model.toString(), "--json");
    assertEquals(0, r.code, r.toString());
    JsonObject p = provenance(model);
    assertTrue(p.bool("stopped_early"), p.toString());
    int kept = p.intValue("kept_epoch");
    assertTrue(kept >= 1 && kept < 300, "kept " + kept);
  }

  @Test
  void badToolboxValuesAreUsageErrorsBeforeAnyWork(@TempDir Path dir) {
    Path model = dir.resolve("m.safetensors");
    String[][] cases = {
        {"--dropout", "1"}, {"--dropout", "-0.1"}, {"--dropout", "NaN"},
        {"--schedule", "linear"}, {"--warmup-epochs", "-1"}, {"--warmup-epochs", "11"},
        {"--schedule", "step", "--lr-step", "0"}, {"--schedule", "step", "--lr-gamma", "0"},
        {"--schedule", "exponential", "--lr-gamma", "1.5"}, {"--schedule", "cosine", "--lr-step", "3"},
        {"--clip-norm", "0"}, {"--clip-norm", "NaN"}, {"--clip-norm", "Infinity"},
        {"--validation-split", "1"}, {"--validation-split", "-0.5"}, {"--early-stopping", "3"},
        {"--early-stopping", "-1", "--validation-split", "0.1"}, {"--checkpoint-every", "0"},
        {"--resume", dir.resolve("nothing-here").toString()},
        {"--layers", "60000,60000,60000"},
        {"--optimizer", "adagrad"}, {"--optimizer", "momentum", "--momentum", "1"},
        {"--optimizer", "momentum", "--momentum", "-0.1"}, {"--optimizer", "adam", "--momentum", "0.9"},
        {"--weight-decay", "-1"}, {"--weight-decay", "NaN"}, {"--optimizer", "nesterov", "--momentum", "0"},
    };
    for (String[] c : cases) {
      List<String> args = new ArrayList<>(List.of("train", "--out", model.toString()));
      args.addAll(Arrays.asList(c));
      Cli r = Cli.run(args.toArray(new String[0]));
      assertEquals(2, r.code, Arrays.toString(c) + ": " + r);
      assertFalse(r.err.contains("\tat "), "stack trace for " + Arrays.toString(c) + ": " + r.err);
      assertEquals(1, r.err.strip().lines().count(), "one line for " + Arrays.toString(c) + ": " + r.err);
      assertFalse(Files.exists(model), "a model was written for " + Arrays.toString(c));
    }
  }

  @Test
  void aCheckpointOfOtherFlagsIsRefusedAndAnEmptyFolderIsAnInputError(@TempDir Path dir) {
    Path ck = dir.resolve("ck");
    Cli first = Cli.run("train", "--data", "iris", "--epochs", "2", "--checkpoint-dir", ck.toString(), "--out",
        dir.resolve("a.safetensors").toString());
    assertEquals(0, first.code, first.toString());
    Cli other = Cli.run("train", "--data", "iris", "--epochs", "2", "--lr", "0.5", "--resume", ck.toString(),
        "--out", dir.resolve("b.safetensors").toString());
    assertEquals(2, other.code, other.toString());
    assertTrue(other.err.contains("another run"), other.err);
    assertFalse(Files.exists(dir.resolve("b.safetensors")));

    Path empty = dir.resolve("empty");
    empty.toFile().mkdirs();
    Cli none = Cli.run("train", "--data", "iris", "--resume", empty.toString(), "--out",
        dir.resolve("c.safetensors").toString());
    assertEquals(3, none.code, none.toString());
    assertTrue(none.err.contains(CheckpointFile.FILE_NAME), none.err);
  }

  @Test
  void aDivergingRunKeepsItsLastGoodCheckpointAndSaysSo(@TempDir Path dir) throws Exception {
    Path ck = dir.resolve("ck");
    // a warm-up to an absurd rate: the first epochs train, the third one diverges
    Cli r = Cli.run("train", "--data", "digits", "--optimizer", "sgd", "--lr", "50", "--warmup-epochs", "20",
        "--epochs", "20", "--checkpoint-dir", ck.toString(), "--out", dir.resolve("m.safetensors").toString());
    assertEquals(4, r.code, r.toString());
    assertTrue(r.err.contains("training diverged at epoch 3, step "), r.err);
    assertTrue(r.err.contains("lower learning rate"), r.err);
    assertTrue(r.err.contains("the last good checkpoint, after epoch 2, is kept in " + ck), r.err);
    assertEquals(1, r.err.strip().lines().count(), r.err);
    TrainingState kept = CheckpointFile.load(ck);
    assertEquals(2, kept.epoch());
    for (Matrix m : kept.parameters().values()) {
      assertTrue(m.allFinite());
    }
    assertFalse(Files.exists(dir.resolve("m.safetensors")));
  }

  static JsonObject provenance(Path model) {
    String meta = SafeTensors.read(model).metadata().get("backprop");
    return JsonObject.parse("model", meta).object("provenance");
  }
}

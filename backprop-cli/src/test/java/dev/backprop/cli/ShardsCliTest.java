package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --shards: reproducible sharded runs, and a bad K is a one-line usage error before any work. */
class ShardsCliTest {
  @Test
  void shardedTrainingIsReproducibleAndDiffersFromUnsharded(@TempDir Path dir) throws Exception {
    byte[][] models = new byte[3][];
    String[] shards = {"3", "3", "1"};
    for (int i = 0; i < 3; i++) {
      Path model = dir.resolve("m" + i + ".safetensors");
      Cli r = Cli.run("train", "--data", "iris", "--epochs", "3", "--batch-size", "16", "--dropout", "0.2",
          "--shards", shards[i], "--out", model.toString());
      assertEquals(0, r.code, r.toString());
      models[i] = weightsOf(model);
    }
    assertArrayEquals(models[0], models[1]);
    assertFalse(java.util.Arrays.equals(models[0], models[2]), "3 shards train otherwise than 1");
  }

  @Test
  void moreShardsThanTheBatchIsAUsageError(@TempDir Path dir) {
    Path model = dir.resolve("m.safetensors");
    for (String[] c : new String[][] {{"0", "16"}, {"20", "16"}}) {
      Cli r = Cli.run("train", "--data", "iris", "--epochs", "1", "--out", model.toString(), "--shards", c[0],
          "--batch-size", c[1]);
      assertEquals(2, r.code, r.toString());
      assertTrue(r.err.contains("--shards"), r.err);
      assertEquals(1, r.err.strip().lines().count(), r.err);
      assertFalse(Files.exists(model));
    }
  }

  /** The file without its metadata header, whose provenance records the time and arguments. */
  private static byte[] weightsOf(Path model) throws Exception {
    byte[] all = Files.readAllBytes(model);
    long header = java.nio.ByteBuffer.wrap(all, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    return java.util.Arrays.copyOfRange(all, 8 + (int) header, all.length);
  }
}

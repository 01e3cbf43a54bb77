package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.Dataset;
import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelInfo;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scoring a DataFrame on local[2] gives what Model.predict gives for the same rows. */
class SparkScoringTest {
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    SparkJava.assumeSupported();
    spark = SparkSession.builder().master("local[2]").appName("backprop-scoring-test")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  @Test
  void scoresEqualPredictRowByRow(@TempDir Path dir) throws Exception {
    Dataset data = SparkTrainingTest.data(2500, 9);
    Network net = Network.builder(4).dense(8, Activations.tanh()).dense(3, Activations.softmax()).seed(9).build();
    new Trainer(TrainingConfig.builder().epochs(2).batchSize(32).build()).fit(net, new CrossEntropyLoss(), data, null);
    Normalization scaling = Normalization.fit(Normalization.Kind.parse("standard"), data.features());
    Model model = new Model(net, new CrossEntropyLoss(), new ModelInfo(Task.CLASSIFICATION, data.featureNames(),
        "label", data.classes(), scaling, Map.of()));
    Path file = dir.resolve("m.safetensors");
    ModelFile.save(model, file);
    Model loaded = ModelFile.load(file);

    StructType schema = new StructType().add("id", DataTypes.IntegerType).add("d", DataTypes.DoubleType)
        .add("a", DataTypes.DoubleType).add("c", DataTypes.FloatType).add("b", DataTypes.DoubleType);
    List<Row> rows = new ArrayList<>();
    Matrix x = data.features();
    for (int i = 0; i < x.rows(); i++) {
      rows.add(RowFactory.create(i, x.get(i, 3), x.get(i, 0), (float) x.get(i, 2), x.get(i, 1)));
    }
    // 3 partitions of uneven size, scored in chunks of 1024 rows
    List<Row> scored = SparkScoring.score(spark.createDataFrame(rows, schema).repartition(3), file).collectAsList();
    assertEquals(x.rows(), scored.size());
    Matrix expected = loaded.predict(x);
    int classes = 0;
    for (Row r : scored) {
      int i = r.getInt(0);
      int best = 0;
      for (int c = 0; c < 3; c++) {
        assertEquals(expected.get(i, c), r.getDouble(6 + c), "row " + i + " class " + c);
        best = expected.get(i, c) > expected.get(i, best) ? c : best;
      }
      assertEquals(data.classes().get(best), r.getString(5), "row " + i);
      classes |= 1 << best;
    }
    assertEquals(7, classes, "every class is predicted somewhere");
  }

  @Test
  void aMissingFeatureColumnIsNamed(@TempDir Path dir) throws Exception {
    Network net = Network.builder(4).dense(3, Activations.softmax()).seed(1).build();
    Model model = new Model(net, new CrossEntropyLoss(), new ModelInfo(Task.CLASSIFICATION, List.of("a", "b", "c",
        "d"), "label", List.of("x", "y", "z"), Normalization.none(4), Map.of()));
    Path file = dir.resolve("m.safetensors");
    ModelFile.save(model, file);
    StructType schema = new StructType().add("a", DataTypes.DoubleType);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkScoring.score(spark.createDataFrame(List.of(RowFactory.create(1.0)), schema), file));
    assertTrue(e.getMessage().contains("'b'"), e.getMessage());
  }
}

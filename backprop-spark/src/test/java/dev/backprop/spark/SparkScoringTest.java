package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.CsvTable;
import dev.backprop.data.Dataset;
import dev.backprop.data.Normalization;
import dev.backprop.data.SchemaOptions;
import dev.backprop.data.TableSchema;
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
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
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
    spark = SparkJava.session("local[2]", "backprop-scoring-test");
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

  /**
   * A model trained on an array column (SparkTraining.onArray, features named v[0], v[1]...) scores that column, as
   * Model.predict scores the same numbers; an array of the wrong length or with a null is an error naming the column.
   */
  @Test
  void aModelTrainedOnAnArrayColumnScoresThatColumn(@TempDir Path dir) throws Exception {
    StructType schema = new StructType().add("id", DataTypes.IntegerType)
        .add("v", DataTypes.createArrayType(DataTypes.DoubleType)).add("label", DataTypes.StringType);
    Dataset data = SparkTrainingTest.data(600, 4);
    List<Row> rows = new ArrayList<>();
    Matrix x = data.features();
    for (int i = 0; i < x.rows(); i++) {
      List<Double> v = new ArrayList<>();
      for (int j = 0; j < x.cols(); j++) {
        v.add(x.get(i, j));
      }
      rows.add(RowFactory.create(i, v, data.classes().get(data.labels()[i])));
    }
    org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, schema);
    SparkTraining training = SparkTraining.onArray("v");
    Dataset collected = training.collect(df);
    assertEquals(List.of("v[0]", "v[1]", "v[2]", "v[3]"), collected.featureNames());
    Network net = Network.builder(4).dense(8, Activations.tanh()).dense(collected.classes().size(),
        Activations.softmax()).seed(4).build();
    training.fit(df, net, new CrossEntropyLoss(), TrainingConfig.builder().epochs(2).batchSize(32).shards(2).build());
    Model model = new Model(net, new CrossEntropyLoss(), new ModelInfo(Task.CLASSIFICATION, collected.featureNames(),
        "label", collected.classes(), Normalization.none(4), Map.of()));
    Path file = dir.resolve("array.safetensors");
    ModelFile.save(model, file);

    List<Row> scored = SparkScoring.score(df.repartition(2), file).collectAsList();
    assertEquals(x.rows(), scored.size());
    Matrix expected = ModelFile.load(file).predict(collected.features());
    int k = collected.classes().size();
    for (Row r : scored) {
      int i = r.getInt(0);
      for (int c = 0; c < k; c++) {
        assertEquals(expected.get(i, c), r.getDouble(4 + c), "row " + i + " class " + c);
      }
    }

    List<Row> bad = List.of(RowFactory.create(0, List.of(1.0, 2.0, 3.0), "a"));
    Exception shortRow = assertThrows(Exception.class,
        () -> SparkScoring.score(spark.createDataFrame(bad, schema), file).collectAsList());
    assertTrue(messages(shortRow).contains("column 'v' has 3 values in a row; the model reads 4"), messages(shortRow));
    List<Row> holes = new ArrayList<>();
    holes.add(RowFactory.create(0, java.util.Arrays.asList(1.0, null, 3.0, 4.0), "a"));
    Exception hole = assertThrows(Exception.class,
        () -> SparkScoring.score(spark.createDataFrame(holes, schema), file).collectAsList());
    assertTrue(messages(hole).contains("'v[1]'"), messages(hole));
  }

  /** The messages of {@code e} and its causes (Spark wraps a task's exception). */
  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
    }
    return all.toString();
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

  /**
   * A model fitted on a table with categorical columns and gaps scores the table's raw columns: text, numbers (a
   * category coded as a number included), nulls and unseen levels, as predictRows scores the same cells.
   */
  @Test
  void aModelWithATableSchemaScoresRawColumns(@TempDir Path dir) throws Exception {
    String csv = """
        island,bill,sex,deck,species
        Biscoe,46.1,male,1,Gentoo
        Dream,NA,female,2,Chinstrap
        Torgersen,39.1,,1,Adelie
        Biscoe,48.7,female,3,Gentoo
        Dream,49.5,male,2,Chinstrap
        Torgersen,36.7,female,1,Adelie
        Biscoe,50.0,,3,Gentoo
        Dream,46.4,female,2,Chinstrap
        """;
    CsvTable t = CsvTable.parse("t.csv", new StringReader(csv));
    SchemaOptions options = new SchemaOptions(Set.of("deck"), Set.of(), Set.of(), SchemaOptions.DEFAULT_NA_VALUES,
        SchemaOptions.DEFAULT_MAX_LEVELS);
    TableSchema schema = TableSchema.fit(t, "species", IntStream.range(0, t.rowCount()).toArray(), options);
    Matrix encoded = schema.encode(t).features();
    Network net = Network.builder(encoded.cols()).dense(5, Activations.tanh()).dense(3, Activations.softmax()).seed(4)
        .build();
    Model model = new Model(net, new CrossEntropyLoss(), new ModelInfo(Task.CLASSIFICATION, schema.inputNames(),
        "species", List.of("Adelie", "Chinstrap", "Gentoo"), Normalization.fit(Normalization.Kind.STANDARD, encoded),
        Map.of(), schema));
    Path file = dir.resolve("m.safetensors");
    ModelFile.save(model, file);

    StructType types = new StructType().add("id", DataTypes.IntegerType).add("sex", DataTypes.StringType)
        .add("deck", DataTypes.DoubleType).add("bill", DataTypes.FloatType).add("island", DataTypes.StringType);
    List<Row> rows = List.of(RowFactory.create(0, "male", 2.0, 41.5f, "Dream"),
        RowFactory.create(1, null, 1.0, null, "Atlantis"), RowFactory.create(2, "female", 3.0, 47.25f, "Biscoe"),
        RowFactory.create(3, "unknown", null, 38.0f, null));
    List<Row> scored = SparkScoring.score(spark.createDataFrame(rows, types).repartition(2), file).collectAsList();
    List<String[]> cells = List.of(new String[] {"male", "2", "41.5", "Dream"},
        new String[] {"", "1", "", "Atlantis"}, new String[] {"female", "3", "47.25", "Biscoe"},
        new String[] {"unknown", "", "38", ""});
    Matrix expected = ModelFile.load(file).predictRows(List.of("sex", "deck", "bill", "island"), cells);
    assertEquals(rows.size(), scored.size());
    for (Row r : scored) {
      int i = r.getInt(0);
      for (int c = 0; c < 3; c++) {
        assertEquals(expected.get(i, c), r.getDouble(6 + c), "row " + i + " class " + c);
      }
    }
    assertTrue(schema.inputNames().contains("deck=2"), "deck is categorical: " + schema.inputNames());
    StructType without = new StructType().add("island", DataTypes.StringType).add("bill", DataTypes.DoubleType);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SparkScoring.score(
        spark.createDataFrame(List.of(RowFactory.create("Dream", 1.0)), without), file));
    assertTrue(e.getMessage().contains("'sex', 'deck'"), e.getMessage());
  }
}

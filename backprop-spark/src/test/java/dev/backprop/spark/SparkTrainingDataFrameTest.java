package dev.backprop.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.Loss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Training from a DataFrame on local[2] gives the bits of local training with --shards K on the same rows in the
 * same order, for named columns of mixed numeric types and for an array column.
 */
class SparkTrainingDataFrameTest {
  private static final long SEED = 23;
  private static final List<String> SPECIES = List.of("setosa", "versicolor", "virginica");
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    SparkJava.assumeSupported();
    spark = SparkJava.session("local[2]", "backprop-dataframe-test");
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  /** Rows of a double, a float, an int and a long feature, a text label and a numeric target, from the seed. */
  private static List<Row> rows(int n) {
    System.out.println("seed " + SEED);
    SeededRandom random = new SeededRandom(SEED);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int c = random.nextInt(3);
      double a = random.nextGaussian() + c;
      float b = (float) (random.nextGaussian() - c);
      int e = random.nextInt(7) - 3;
      long f = random.nextInt(1000) * (c + 1L);
      double target = 0.5 * a - b + 0.01 * f + random.nextGaussian() * 0.1;
      rows.add(RowFactory.create(i, a, b, e, f, SPECIES.get(c), target, new double[] {a, b, e, f / 1000.0}));
    }
    return rows;
  }

  private static final StructType SCHEMA = new StructType().add("id", DataTypes.IntegerType)
      .add("a", DataTypes.DoubleType).add("b", DataTypes.FloatType).add("e", DataTypes.IntegerType)
      .add("f", DataTypes.LongType).add("species", DataTypes.StringType).add("y", DataTypes.DoubleType)
      .add("v", DataTypes.createArrayType(DataTypes.DoubleType, false));

  /** The same rows as a Backprop dataset, built here without the DataFrame: the peer of the comparison. */
  private static Dataset expected(List<Row> rows, boolean classification) {
    int n = rows.size();
    Matrix x = Matrix.zeros(n, 4);
    int[] labels = new int[n];
    Matrix y = Matrix.zeros(n, 1);
    for (int i = 0; i < n; i++) {
      Row r = rows.get(i);
      if (classification) {
        x.set(i, 0, (float) r.getDouble(1));
        x.set(i, 1, r.getFloat(2));
        x.set(i, 2, r.getInt(3));
        x.set(i, 3, (float) r.getLong(4));
      } else {
        double[] v = (double[]) r.get(7);
        for (int j = 0; j < 4; j++) {
          x.set(i, j, (float) v[j]);
        }
      }
      labels[i] = SPECIES.indexOf(r.getString(5));
      y.set(i, 0, (float) r.getDouble(6));
    }
    return classification
        ? Dataset.classification("rows", List.of("a", "b", "e", "f"), x, SPECIES, labels)
        : Dataset.regression("rows", List.of("v[0]", "v[1]", "v[2]", "v[3]"), x, y);
  }

  private static Network network(int outputs, boolean classification) {
    return Network.builder(4).dense(8, Activations.tanh()).dropout(0.2)
        .dense(outputs, classification ? Activations.softmax() : Activations.identity()).seed(SEED).build();
  }

  @Test
  void namedColumnsEqualLocalShardsBitForBit() {
    List<Row> rows = rows(211);
    // 4 partitions of the input, none of them the shards: the order of the rows is what counts
    org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, SCHEMA).repartition(4).orderBy("id");
    SparkTraining training = SparkTraining.onColumns("a", "b", "e", "f").withLabel("species");
    Dataset collected = training.collect(df);
    Dataset peer = expected(rows, true);
    assertEquals(peer.classes(), collected.classes());
    assertEquals(peer.featureNames(), collected.featureNames());
    assertArrayEquals(peer.labels(), collected.labels());
    assertArrayEquals(peer.features().floats(), collected.features().floats());
    for (int k : new int[] {2, 3}) {
      TrainingConfig config = TrainingConfig.builder().epochs(2).batchSize(20).seed(SEED)
          .optimizer(OptimizerSettings.adam(0.01)).shards(k).build();
      Network onSpark = network(3, true);
      training.fit(df, onSpark, new CrossEntropyLoss(), config);
      Network local = network(3, true);
      new Trainer(config).fit(local, new CrossEntropyLoss(), peer, null);
      assertArrayEquals(NetworkShape.weights(local), NetworkShape.weights(onSpark), "shards " + k);
      Network unsharded = network(3, true);
      new Trainer(config.withShards(1)).fit(unsharded, new CrossEntropyLoss(), peer, null);
      assertTrue(!java.util.Arrays.equals(NetworkShape.weights(local), NetworkShape.weights(unsharded)),
          "K matters, so the comparison could fail");
    }
  }

  @Test
  void anArrayColumnWithANumericTargetEqualsLocalShards() {
    List<Row> rows = rows(150);
    org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows, SCHEMA);
    TrainingConfig config = TrainingConfig.builder().epochs(3).batchSize(16).seed(SEED)
        .optimizer(OptimizerSettings.sgd(0.05)).shards(2).build();
    Loss loss = SquaredErrorLoss.mse();
    Network onSpark = network(1, false);
    SparkTraining training = SparkTraining.onArray("v").withLabel("y");
    assertEquals(Task.REGRESSION, training.collect(df).task());
    training.fit(df, onSpark, loss, config);
    Network local = network(1, false);
    new Trainer(config).fit(local, loss, expected(rows, false), null);
    assertArrayEquals(NetworkShape.weights(local), NetworkShape.weights(onSpark));
  }

  @Test
  void aNumericLabelCanNameClassesSortedByValue() {
    StructType schema = new StructType().add("x", DataTypes.DoubleType).add("label", DataTypes.DoubleType);
    List<Row> rows = List.of(RowFactory.create(1.0, 10.0), RowFactory.create(2.0, 2.0), RowFactory.create(3.0, 10.0),
        RowFactory.create(4.0, 1.5));
    Dataset d = SparkTraining.onColumns("x").withTask(Task.CLASSIFICATION).collect(spark.createDataFrame(rows, schema));
    assertEquals(List.of("1.5", "2", "10"), d.classes());
    assertArrayEquals(new int[] {2, 1, 2, 0}, d.labels());
  }

  @Test
  void badColumnsAreNamed() {
    org.apache.spark.sql.Dataset<Row> df = spark.createDataFrame(rows(5), SCHEMA);
    assertMessage("no feature column 'z'", () -> SparkTraining.onColumns("a", "z").withLabel("species").collect(df));
    assertMessage("no label column 'label'", () -> SparkTraining.onColumns("a").collect(df));
    assertMessage("'species' is string, not a number",
        () -> SparkTraining.onColumns("a", "species").withLabel("y").collect(df));
    assertMessage("'a' is double, not array<float> or array<double>",
        () -> SparkTraining.onArray("a").withLabel("y").collect(df));
    assertMessage("'species' is string, not a number",
        () -> SparkTraining.onColumns("a").withLabel("species").withTask(Task.REGRESSION).collect(df));
    StructType schema = new StructType().add("x", DataTypes.DoubleType).add("label", DataTypes.StringType)
        .add("w", DataTypes.createArrayType(DataTypes.FloatType));
    org.apache.spark.sql.Dataset<Row> holes = spark.createDataFrame(List.of(
        RowFactory.create(1.0, "p", new float[] {1, 2}), RowFactory.create(null, "q", new float[] {1, 2}),
        RowFactory.create(3.0, "q", new float[] {1})), schema);
    assertMessage("'x' is null in row 1", () -> SparkTraining.onColumns("x").collect(holes));
    assertMessage("'w' has 1 elements in row 2, 2 in row 0", () -> SparkTraining.onArray("w").collect(holes));
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}

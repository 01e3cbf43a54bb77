package dev.backprop.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.backprop.SeededRandom;
import dev.backprop.data.CsvTable;
import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.data.Normalization;
import dev.backprop.data.SchemaOptions;
import dev.backprop.data.Splits;
import dev.backprop.data.TableSchema;
import dev.backprop.data.Task;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelInfo;
import dev.backprop.loss.Loss;
import dev.backprop.loss.Losses;
import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Activations;
import dev.backprop.nn.activation.LeakyRelu;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Evaluation;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every export is loaded by ONNX Runtime and must compute what {@link Model#predict} computes: the same values
 * within 1e-5 (relative to values above 1, since float32 keeps about seven digits) and the same class for every
 * row. Models are built with seeded weights for every hidden activation, output activation and loss that
 * pair, every normalisation and both tasks, and two are trained briefly on the bundled data.
 */
class OnnxExportRuntimeTest {
  private static final double TOLERANCE = 1e-5;
  private static final int ROWS = 37;

  /** An output activation, the loss it is trained with, and the task. */
  private record Head(String activation, String loss, Task task) {
    @Override
    public String toString() {
      return task.id() + " " + activation + "+" + loss;
    }
  }

  private static final List<Head> HEADS = List.of(
      new Head("softmax", "cross-entropy", Task.CLASSIFICATION),
      new Head("sigmoid", "binary-cross-entropy", Task.CLASSIFICATION),
      new Head("softmax", "sse", Task.CLASSIFICATION),
      new Head("sigmoid", "mse", Task.CLASSIFICATION),
      new Head("identity", "mse", Task.REGRESSION),
      new Head("identity", "sse", Task.REGRESSION),
      new Head("tanh", "mse", Task.REGRESSION),
      new Head("leaky-relu", "mse", Task.REGRESSION));

  private static final List<String> HIDDEN = List.of("sigmoid", "tanh", "relu", "leaky-relu", "leaky-relu:0.2",
      "identity");

  static Stream<Arguments> cases() {
    List<Arguments> all = new ArrayList<>();
    long seed = 1;
    for (String hidden : HIDDEN) {
      for (Head head : HEADS) {
        for (Normalization.Kind kind : Normalization.Kind.values()) {
          all.add(Arguments.of(hidden, head, kind, seed++));
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} hidden, {1}, normalization {2}, seed {3}")
  @MethodSource("cases")
  void runtimeMatchesPredict(String hidden, Head head, Normalization.Kind kind, long seed) throws OrtException {
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    int features = 5;
    int outputs = head.task() == Task.CLASSIFICATION ? 4 : 2;
    Matrix x = features(random, 200, features);
    Network net = randomNetwork(random, features, List.of(7, 6), activation(hidden), activation(head.activation()),
        outputs);
    Model model = new Model(net, Losses.byName(head.loss()), info(head.task(), features, outputs,
        Normalization.fit(kind, x)));
    Matrix rows = features(random, ROWS, features);
    assertSameAsPredict(model, rows);
  }

  @Test
  void aSingleLayerAndASingleRow() throws OrtException {
    SeededRandom random = new SeededRandom(99);
    Matrix x = features(random, 50, 3);
    Network net = randomNetwork(random, 3, List.of(), Activations.relu(), Activations.softmax(), 3);
    Model model = new Model(net, Losses.byName("cross-entropy"), info(Task.CLASSIFICATION, 3, 3,
        Normalization.fit(Normalization.Kind.STANDARD, x)));
    assertSameAsPredict(model, features(random, 1, 3));
  }

  @Test
  void dropoutIsLeftOutAsInPrediction() throws OrtException {
    SeededRandom random = new SeededRandom(7);
    Network built = randomNetwork(random, 4, List.of(8, 8), Activations.relu(), Activations.identity(), 1);
    Model model = new Model(built.withHiddenDropout(0.5), Losses.byName("mse"), info(Task.REGRESSION, 4, 1,
        Normalization.none(4)));
    assertSameAsPredict(model, features(random, ROWS, 4));
  }

  @Test
  void irisTrainedBriefly() throws OrtException {
    Dataset data = DataSources.open("iris").table().toDataset(null, null);
    Model model = trained(data, Activations.tanh(), Activations.softmax(), "cross-entropy", 40);
    assertSameAsPredict(model, data.features());
  }

  @Test
  void diabetesTrainedBriefly() throws OrtException {
    Dataset data = DataSources.open("diabetes").table().toDataset(null, null);
    Model model = trained(data, Activations.relu(), Activations.identity(), "mse", 40);
    float[][] ort = assertSameAsPredict(model, data.features());
    // outputs in the target's own units: the mean prediction is of the order of the targets' (about 150)
    double mean = 0;
    for (float[] row : ort) {
      mean += row[0];
    }
    mean /= ort.length;
    assertTrue(mean > 20, "mean prediction " + mean + " is not in the target's units");
  }

  /**
   * A model whose table has categorical columns and gaps takes its encoded feature vector (the documented contract):
   * ONNX Runtime given the stored schema's encoding of raw rows, unseen levels and gaps included, computes what
   * {@link Model#predictRows} computes from the same raw rows, after the model has been through its file.
   */
  @Test
  void aModelWithCategoricalColumnsAndGapsTakesTheEncodedRows(@TempDir Path dir) throws Exception {
    StringBuilder csv = new StringBuilder("island,bill,sex,depth,species\n");
    SeededRandom random = new SeededRandom(5);
    String[] islands = {"Biscoe", "Dream", "Torgersen"};
    String[] species = {"Adelie", "Gentoo", "Chinstrap"};
    for (int i = 0; i < 60; i++) {
      int k = i % 3;
      String bill = random.nextDouble() < 0.1 ? "NA" : String.valueOf(35 + 5 * k + 4 * random.nextDouble());
      String sex = random.nextDouble() < 0.15 ? "" : random.nextDouble() < 0.5 ? "male" : "female";
      csv.append(islands[(k + i / 7) % 3]).append(',').append(bill).append(',').append(sex).append(',')
          .append(15 + 3 * random.nextDouble()).append(',').append(species[k]).append('\n');
    }
    CsvTable table = CsvTable.parse("penguins.csv", new StringReader(csv.toString()));
    int[] all = java.util.stream.IntStream.range(0, table.rowCount()).toArray();
    TableSchema schema = TableSchema.fit(table, "species", all, SchemaOptions.defaults());
    Matrix encoded = schema.encode(table).features();
    assertTrue(schema.inputNames().contains("bill (missing)") && schema.inputNames().contains("sex=(missing)"),
        "the table must have gaps in a numeric and a categorical column: " + schema.inputNames());
    Network net = randomNetwork(random, encoded.cols(), List.of(6), Activations.tanh(), Activations.softmax(), 3);
    ModelInfo info = new ModelInfo(Task.CLASSIFICATION, schema.inputNames(), "species", List.of(species),
        Normalization.fit(Normalization.Kind.STANDARD, encoded), Map.of(), schema);
    Path file = dir.resolve("penguins.safetensors");
    ModelFile.save(new Model(net, Losses.byName("cross-entropy"), info), file);
    Model model = ModelFile.load(file);

    List<String> header = List.of("depth", "sex", "island", "bill");
    List<String[]> rows = List.of(new String[] {"16.5", "male", "Dream", "41.2"},
        new String[] {"17", "", "Atlantis", "NA"}, new String[] {"15.1", "female", "Biscoe", "?"},
        new String[] {"18.9", "unknown", "Torgersen", "50.5"});
    Matrix fromRaw = model.predictRows(header, rows);
    Matrix input = model.info().encoder().encode(header, rows).features();
    float[][] ort;
    try (OrtRunner runner = new OrtRunner(OnnxExport.toBytes(model))) {
      ort = runner.run(input);
    }
    assertEquals(rows.size(), ort.length);
    for (int r = 0; r < rows.size(); r++) {
      for (int c = 0; c < 3; c++) {
        double e = fromRaw.get(r, c);
        if (!(Math.abs(ort[r][c] - e) <= TOLERANCE)) {
          fail("row " + r + ", class " + c + ": ONNX Runtime gives " + ort[r][c] + ", predictRows " + e);
        }
      }
    }
    assertSameAsPredict(model, encoded);
  }

  @Test
  void aWeightThatDiffersIsCaught() throws OrtException {
    SeededRandom random = new SeededRandom(11);
    Network net = randomNetwork(random, 3, List.of(4), Activations.tanh(), Activations.identity(), 1);
    Model model = new Model(net, Losses.byName("mse"), info(Task.REGRESSION, 3, 1, Normalization.none(3)));
    byte[] before = OnnxExport.toBytes(model);
    Matrix w = net.blocks().get(0).dense().weight().value();
    w.setFlat(0, w.getFlat(0) + 1e-3);
    Matrix rows = features(random, ROWS, 3);
    assertThrows(AssertionError.class, () -> assertSameAsPredict(before, model, rows));
    assertSameAsPredict(model, rows);
  }

  @Test
  void theRuntimeSeesTheDeclaredInputOutputsAndMetadata() throws OrtException {
    SeededRandom random = new SeededRandom(3);
    Network net = randomNetwork(random, 3, List.of(4), Activations.relu(), Activations.softmax(), 2);
    Model model = new Model(net, Losses.byName("cross-entropy"), new ModelInfo(Task.CLASSIFICATION,
        List.of("a", "b", "c"), "label", List.of("no \"way\"", "yes\\no"), Normalization.none(3), Map.of()));
    try (OrtRunner ort = new OrtRunner(OnnxExport.toBytes(model))) {
      NodeInfo input = ort.session.getInputInfo().get(OnnxExport.INPUT);
      NodeInfo output = ort.session.getOutputInfo().get(OnnxExport.PROBABILITIES);
      assertEquals(List.of(OnnxExport.INPUT), List.copyOf(ort.session.getInputNames()));
      assertEquals(List.of(OnnxExport.PROBABILITIES), List.copyOf(ort.session.getOutputNames()));
      assertEquals("[-1, 3]", java.util.Arrays.toString(((TensorInfo) input.getInfo()).getShape()));
      assertEquals("[-1, 2]", java.util.Arrays.toString(((TensorInfo) output.getInfo()).getShape()));
      var meta = ort.session.getMetadata();
      assertEquals("backprop", meta.getProducerName());
      Map<String, String> props = meta.getCustomMetadata();
      assertEquals(ModelFile.metadataJson(model), props.get("backprop"));
      assertEquals("[\"no \\\"way\\\"\",\"yes\\\\no\"]", props.get("classes"));
      assertEquals("[\"a\",\"b\",\"c\"]", props.get("features"));
      assertEquals("classification", props.get("task"));
    }
  }

  /** Runs the export in ONNX Runtime and compares it with predict, value by value and class by class. */
  static float[][] assertSameAsPredict(Model model, Matrix rows) throws OrtException {
    return assertSameAsPredict(OnnxExport.toBytes(model), model, rows);
  }

  private static float[][] assertSameAsPredict(byte[] onnx, Model model, Matrix rows) throws OrtException {
    Matrix expected = model.predict(rows);
    float[][] actual;
    try (OrtRunner ort = new OrtRunner(onnx)) {
      actual = ort.run(rows);
    }
    assertEquals(rows.rows(), actual.length, "rows");
    double worst = 0;
    for (int r = 0; r < rows.rows(); r++) {
      assertEquals(expected.cols(), actual[r].length, "outputs of row " + r);
      for (int c = 0; c < expected.cols(); c++) {
        double e = expected.get(r, c);
        double error = Math.abs(actual[r][c] - e) / Math.max(1, Math.abs(e));
        worst = Math.max(worst, error);
        if (!(error <= TOLERANCE)) {
          fail("row " + r + ", output " + c + ": ONNX Runtime gives " + actual[r][c] + ", predict " + e);
        }
      }
      if (model.info().task() == Task.CLASSIFICATION) {
        int want = Evaluation.argmax(expected, r);
        int got = argmax(actual[r]);
        // only a near-tie may be broken differently, and then both values are within the tolerance above
        if (want != got && Math.abs(expected.get(r, want) - expected.get(r, got)) > TOLERANCE) {
          fail("row " + r + ": ONNX Runtime's class " + got + ", predict's " + want);
        }
      }
    }
    System.out.println(model.describe() + ": largest difference " + worst);
    return actual;
  }

  private static Model trained(Dataset data, Activation hidden, Activation output, String lossName, int epochs) {
    Splits.Split parts = Splits.split(data, 0.2, 42);
    Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, parts.train().features());
    Network net = Network.builder(data.featureCount()).dense(16, hidden).dense(data.outputCount(), output).seed(42)
        .build();
    Loss loss = Losses.byName(lossName);
    TrainingConfig config = TrainingConfig.builder().epochs(epochs).optimizer(OptimizerSettings.adam(1e-2)).build();
    new Trainer(config).fit(net, loss, norm.apply(parts.train()), norm.apply(parts.heldOut()));
    ModelInfo info = new ModelInfo(data.task(), data.featureNames(), "label", data.classes(), norm, Map.of());
    return new Model(net, loss, info);
  }

  private static ModelInfo info(Task task, int features, int outputs, Normalization norm) {
    List<String> names = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      names.add("x" + j);
    }
    List<String> classes = new ArrayList<>();
    if (task == Task.CLASSIFICATION) {
      for (int k = 0; k < outputs; k++) {
        classes.add("class " + k);
      }
    }
    return new ModelInfo(task, names, "y", classes, norm, Map.of("seeded", true));
  }

  /** Features whose columns have means in [-3, 3] and spreads in [0.5, 3], so that scaling matters. */
  private static Matrix features(SeededRandom random, int rows, int cols) {
    SeededRandom columns = new SeededRandom(cols * 31L);
    double[] mean = new double[cols];
    double[] spread = new double[cols];
    for (int j = 0; j < cols; j++) {
      mean[j] = columns.nextDouble(-3, 3);
      spread[j] = columns.nextDouble(0.5, 3);
    }
    Matrix x = Matrix.zeros(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        x.set(i, j, mean[j] + spread[j] * random.nextGaussian());
      }
    }
    return x;
  }

  /** Dense layers with weights and biases drawn from N(0, 1 / fan-in) and N(0, 0.25). */
  private static Network randomNetwork(SeededRandom random, int inputs, List<Integer> hiddenWidths, Activation hidden,
      Activation output, int outputs) {
    List<Network.Block> blocks = new ArrayList<>();
    int in = inputs;
    List<Integer> widths = new ArrayList<>(hiddenWidths);
    widths.add(outputs);
    for (int i = 0; i < widths.size(); i++) {
      int out = widths.get(i);
      Matrix w = Matrix.zeros(in, out);
      Matrix b = Matrix.zeros(1, out);
      for (int k = 0; k < w.size(); k++) {
        w.setFlat(k, random.nextGaussian() / Math.sqrt(in));
      }
      for (int k = 0; k < out; k++) {
        b.setFlat(k, 0.5 * random.nextGaussian());
      }
      blocks.add(new Network.Block(new Dense(i, w, b), i == widths.size() - 1 ? output : hidden, 0));
      in = out;
    }
    return Network.of(blocks);
  }

  private static Activation activation(String spec) {
    return spec.startsWith("leaky-relu:") ? new LeakyRelu(Double.parseDouble(spec.substring(11)))
        : Activations.byName(spec);
  }

  private static int argmax(float[] row) {
    int best = 0;
    for (int j = 1; j < row.length; j++) {
      if (row[j] > row[best]) {
        best = j;
      }
    }
    return best;
  }
}

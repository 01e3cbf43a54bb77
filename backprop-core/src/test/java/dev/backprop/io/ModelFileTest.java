package dev.backprop.io;

import dev.backprop.internal.io.Json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import dev.backprop.SeededRandom;
import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.SquaredErrorLoss;
import dev.backprop.nn.Dense;
import dev.backprop.nn.Network;
import dev.backprop.nn.Parameter;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model file: a bit-exact round trip, PyTorch's weight layout, and rejection of malformed files. */
class ModelFileTest {
  private static final long SEED = 3141;

  @TempDir
  Path dir;

  // ---------------------------------------------------------------- round trip

  @Test
  void classifierRoundTripsBitExactly() throws IOException {
    Model model = classifierModel();
    Path file = dir.resolve("classifier.safetensors");
    ModelFile.save(model, file);
    Model loaded = ModelFile.load(file);

    assertSameParameters(model.network(), loaded.network());
    assertEquals(model.network().describe(), loaded.network().describe());
    assertSameInfo(model.info(), loaded.info());
  }

  @Test
  void regressionModelRoundTrips() throws IOException {
    Network net = Network.builder(3)
        .dense(2, Activations.leakyRelu())
        .dense(2, Activations.identity())
        .seed(SEED)
        .build();
    randomizeBiases(net, new SeededRandom(SEED));
    ModelInfo info = new ModelInfo(Task.REGRESSION, List.of("u", "v", "w"), "price", List.of(),
        Normalization.none(3), Map.of());
    Path file = dir.resolve("regression.safetensors");
    ModelFile.save(new Model(net, SquaredErrorLoss.mse(), info), file);
    Model loaded = ModelFile.load(file);
    assertSameParameters(net, loaded.network());
    assertSameInfo(info, loaded.info());
    assertEquals("mse", loaded.loss().name());
  }

  @Test
  void loadedNetworkPredictsExactlyTheSame() throws IOException {
    Model model = classifierModel();
    Path file = dir.resolve("predict.safetensors");
    ModelFile.save(model, file);
    Network loaded = ModelFile.load(file).network();
    System.out.println("seed " + (SEED + 1));
    SeededRandom random = new SeededRandom(SEED + 1);
    Matrix x = Matrix.zeros(9, 4);
    for (int i = 0; i < x.size(); i++) {
      x.setFlat(i, random.nextDouble(0.1, 3) * (random.nextDouble() < 0.5 ? -1 : 1));
    }
    assertEquals(model.network().predict(x), loaded.predict(x));
  }

  @Test
  void tensorsArePyTorchLinearTransposes() throws IOException {
    Model model = classifierModel();
    Path file = dir.resolve("layout.safetensors");
    ModelFile.save(model, file);
    SafeTensors.Contents contents = SafeTensors.read(file);
    assertEquals(4, contents.tensors().size());
    for (int n = 0; n < 2; n++) {
      Dense layer = model.network().blocks().get(n).dense();
      Matrix w = layer.weight().value();
      SafeTensors.Tensor weight = contents.tensor("layers." + n + ".weight");
      // shape [out, in], while Dense.weight() is in x out
      assertArrayEquals(new int[] {layer.outputSize(), layer.inputSize()}, weight.shape());
      for (int r = 0; r < layer.outputSize(); r++) {
        for (int c = 0; c < layer.inputSize(); c++) {
          // element [r][c] of the file is W(c, r)
          assertEquals((float) w.get(c, r), weight.data()[r * layer.inputSize() + c], "layers." + n + " [" + r
              + "][" + c + "]");
        }
      }
      SafeTensors.Tensor bias = contents.tensor("layers." + n + ".bias");
      assertArrayEquals(new int[] {layer.outputSize()}, bias.shape());
      assertEquals((float) layer.bias().value().get(0, 1), bias.data()[1]);
    }
    // a hand check of one element: the 5x4 first layer's file element [2][1] is W(1, 2)
    Matrix w0 = model.network().blocks().get(0).dense().weight().value();
    assertEquals((float) w0.get(1, 2), contents.tensor("layers.0.weight").data()[2 * 4 + 1]);
  }

  @Test
  void metadataDescribesTheArchitecture() throws IOException {
    Path file = dir.resolve("meta.safetensors");
    ModelFile.save(classifierModel(), file);
    Map<String, Object> meta = metadata(file);
    assertEquals("backprop-model", meta.get("format"));
    assertEquals(1L, meta.get("format_version"));
    assertEquals("cross-entropy", meta.get("loss"));
    List<?> layers = (List<?>) meta.get("layers");
    assertEquals(Map.of("type", "dense", "in", 4L, "out", 5L, "activation", "relu"), layers.get(0));
    assertEquals(Map.of("type", "dense", "in", 5L, "out", 3L, "activation", "softmax"), layers.get(1));
  }

  // ---------------------------------------------------------------- malformed files

  @Test
  void missingMetadataKeyIsRejected() throws IOException {
    SafeTensors.Contents good = goodContents();
    Path bad = dir.resolve("no-metadata.safetensors");
    SafeTensors.write(bad, Map.of("other", "x"), good.tensors());
    assertRejected(bad);
  }

  @Test
  void metadataThatIsNotJsonIsRejected() throws IOException {
    SafeTensors.Contents good = goodContents();
    Path bad = dir.resolve("not-json.safetensors");
    SafeTensors.write(bad, Map.of(ModelFile.METADATA_KEY, "{\"format\": \"backprop-model\","), good.tensors());
    assertRejected(bad);
  }

  @Test
  void wrongFormatNameIsRejected() throws IOException {
    assertRejected(mutated("wrong-format.safetensors", meta -> meta.put("format", "keras-model"), t -> t),
        "format");
  }

  @Test
  void unsupportedFormatVersionIsRejected() throws IOException {
    assertRejected(mutated("version-2.safetensors", meta -> meta.put("format_version", 2), t -> t),
        "format_version");
  }

  @Test
  void unknownActivationIsRejected() throws IOException {
    assertRejected(mutated("swish.safetensors", meta -> layer(meta, 0).put("activation", "swish"), t -> t),
        "swish");
  }

  @Test
  void layerChainMismatchIsRejected() throws IOException {
    // layer 1 claims 6 inputs after a layer of 5 outputs; its tensor is reshaped to match the claim
    Path bad = mutated("chain.safetensors", meta -> layer(meta, 1).put("in", 6), tensors -> {
      List<SafeTensors.Tensor> out = new ArrayList<>(tensors);
      out.replaceAll(t -> t.name().equals("layers.1.weight")
          ? new SafeTensors.Tensor(t.name(), new int[] {3, 6}, new float[18]) : t);
      return out;
    });
    assertRejected(bad, "layers[1].in");
  }

  @Test
  void tensorShapeDisagreeingWithMetadataIsRejected() throws IOException {
    // the same 20 values, but shaped [in, out] instead of [out, in]
    Path bad = mutated("shape.safetensors", meta -> {}, tensors -> {
      List<SafeTensors.Tensor> out = new ArrayList<>(tensors);
      out.replaceAll(t -> t.name().equals("layers.0.weight")
          ? new SafeTensors.Tensor(t.name(), new int[] {4, 5}, t.data()) : t);
      return out;
    });
    assertRejected(bad, "layers.0.weight");
  }

  @Test
  void extraTensorIsRejected() throws IOException {
    Path bad = mutated("extra.safetensors", meta -> {}, tensors -> {
      List<SafeTensors.Tensor> out = new ArrayList<>(tensors);
      out.add(new SafeTensors.Tensor("layers.2.weight", new int[] {1, 3}, new float[] {1, 2, 3}));
      return out;
    });
    assertRejected(bad, "layers.2.weight");
  }

  @Test
  void missingTensorIsRejected() throws IOException {
    Path bad = mutated("missing.safetensors", meta -> {}, tensors -> {
      List<SafeTensors.Tensor> out = new ArrayList<>(tensors);
      assertTrue(out.removeIf(t -> t.name().equals("layers.1.bias")));
      return out;
    });
    assertRejected(bad, "layers.1.bias");
  }

  @Test
  void featureNameCountMismatchIsRejected() throws IOException {
    // three names, and three-element normalization arrays so that only the count of names is wrong
    Path bad = mutated("features.safetensors", meta -> {
      meta.put("features", List.of("a", "b", "c"));
      normalization(meta).put("offset", List.of(0.0, 0.0, 0.0));
      normalization(meta).put("scale", List.of(1.0, 1.0, 1.0));
    }, t -> t);
    assertRejected(bad, "features");
  }

  @Test
  void classCountMismatchIsRejected() throws IOException {
    assertRejected(mutated("classes.safetensors", meta -> meta.put("classes", List.of("setosa", "virginica")),
        t -> t), "classes");
  }

  @Test
  void normalizationArraysOfTheWrongLengthAreRejected() throws IOException {
    assertRejected(mutated("offset.safetensors",
        meta -> normalization(meta).put("offset", List.of(1.0, 2.0, 3.0)), t -> t), "normalization");
    assertRejected(mutated("scale.safetensors",
        meta -> normalization(meta).put("scale", List.of(1.0, 2.0, 3.0, 4.0, 5.0)), t -> t), "normalization");
  }

  @Test
  void aCustomLeakyReluSlopeSurvivesTheFile() throws IOException {
    Network net = Network.of(List.of(
        new Network.Block(new Dense(0, Matrix.of(new double[][] {{0.5, -1.0, 0.25}, {1.5, 0.75, -0.5}}),
            Matrix.of(new double[][] {{0.1, -0.2, 0.3}})), new dev.backprop.nn.activation.LeakyRelu(0.2), 0),
        new Network.Block(new Dense(1, Matrix.of(new double[][] {{1.0}, {-2.0}, {0.5}}), Matrix.of(new double[][] {{0.05}})),
            Activations.identity(), 0)));
    ModelInfo info = new ModelInfo(Task.REGRESSION, List.of("x1", "x2"), "y", List.of(), Normalization.none(2), Map.of());
    Path file = dir.resolve("leaky.safetensors");
    ModelFile.save(new Model(net, SquaredErrorLoss.mse(), info), file);
    Model loaded = ModelFile.load(file);
    assertEquals(0.2, ((dev.backprop.nn.activation.LeakyRelu) loaded.network().blocks().get(0).activation()).slope(),
        1e-12);
    Matrix x = Matrix.of(new double[][] {{-1.5, -0.7}});
    assertEquals(net.predict(x), loaded.network().predict(x));
  }

  @Test
  void regressionModelWithClassesIsRejected() throws IOException {
    Network net = Network.builder(3).dense(1, Activations.identity()).seed(SEED).build();
    ModelInfo info = new ModelInfo(Task.REGRESSION, List.of("u", "v", "w"), "y", List.of(), Normalization.none(3),
        Map.of());
    Path good = dir.resolve("reg.safetensors");
    ModelFile.save(new Model(net, SquaredErrorLoss.mse(), info), good);
    Map<String, Object> meta = metadata(good);
    meta.put("classes", List.of("p", "q", "r"));
    Path bad = dir.resolve("reg-classes.safetensors");
    SafeTensors.write(bad, Map.of(ModelFile.METADATA_KEY, Json.write(meta)), SafeTensors.read(good).tensors());
    assertRejected(bad, "classes");
  }

  @Test
  void aClassifierWithoutClassNamesCannotBeMade() {
    Network net = classifierModel().network();
    ModelInfo info = new ModelInfo(Task.CLASSIFICATION, List.of("a", "b", "c", "d"), "y", List.of(),
        Normalization.none(4), Map.of());
    assertThrows(IllegalArgumentException.class, () -> new Model(net, new CrossEntropyLoss(), info));
  }

  @Test
  void theUnmodifiedPartsLoad() throws IOException {
    // the rewriting used by the tests above does not by itself break a file
    Path same = mutated("unchanged.safetensors", meta -> {}, t -> t);
    assertSameParameters(classifierModel().network(), ModelFile.load(same).network());
  }

  // ---------------------------------------------------------------- helpers

  /** 4 -> 5 relu -> 3 softmax with seeded weights and biases, and complete information. */
  private static Model classifierModel() {
    System.out.println("seed " + SEED);
    Network net = Network.builder(4)
        .dense(5, Activations.relu())
        .dense(3, Activations.softmax())
        .seed(SEED)
        .build();
    randomizeBiases(net, new SeededRandom(SEED));
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("data", "iris");
    provenance.put("data_sha256", "ab12");
    provenance.put("seed", 42L);
    provenance.put("learning_rate", 0.05);
    provenance.put("shuffle", true);
    provenance.put("arguments", List.of("--epochs", "3"));
    provenance.put("metrics", Map.of("accuracy", 0.875));
    ModelInfo info = new ModelInfo(Task.CLASSIFICATION, List.of("sepal length", "sepal width", "petal length",
        "petal width"), "species", List.of("setosa", "versicolor", "virginica"),
        new Normalization(Normalization.Kind.STANDARD, new double[] {5.8, 3.05, 3.76, 1.2},
            new double[] {0.825, 0.432, 1.76, 0.761}), provenance);
    return new Model(net, new CrossEntropyLoss(), info);
  }

  private static void randomizeBiases(Network net, SeededRandom random) {
    for (Network.Block block : net.blocks()) {
      Matrix b = block.dense().bias().value();
      for (int i = 0; i < b.size(); i++) {
        b.setFlat(i, random.nextDouble(0.1, 1) * (random.nextDouble() < 0.5 ? -1 : 1));
      }
    }
  }

  private SafeTensors.Contents goodContents() throws IOException {
    Path good = dir.resolve("good.safetensors");
    ModelFile.save(classifierModel(), good);
    return SafeTensors.read(good);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Path file) {
    SafeTensors.Contents contents = SafeTensors.read(file);
    return (Map<String, Object>) Json.parse(file.toString(), contents.metadata().get(ModelFile.METADATA_KEY));
  }

  /** A copy of a good file with its metadata and tensors changed. */
  private Path mutated(String name, Consumer<Map<String, Object>> changeMeta,
      UnaryOperator<List<SafeTensors.Tensor>> changeTensors) throws IOException {
    SafeTensors.Contents good = goodContents();
    Map<String, Object> meta = metadata(dir.resolve("good.safetensors"));
    changeMeta.accept(meta);
    Path bad = dir.resolve(name);
    SafeTensors.write(bad, Map.of(ModelFile.METADATA_KEY, Json.write(meta)), changeTensors.apply(good.tensors()));
    return bad;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> layer(Map<String, Object> meta, int index) {
    return (Map<String, Object>) ((List<Object>) meta.get("layers")).get(index);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> normalization(Map<String, Object> meta) {
    return (Map<String, Object>) meta.get("normalization");
  }

  private static void assertRejected(Path file, String... mentions) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> ModelFile.load(file));
    String message = e.getMessage();
    assertTrue(message.contains(file.getFileName().toString()), () -> "message lacks the file name: " + message);
    for (String m : mentions) {
      assertTrue(message.contains(m), () -> "message lacks '" + m + "': " + message);
    }
  }

  private static void assertSameParameters(Network expected, Network actual) {
    List<Parameter> e = expected.parameters();
    List<Parameter> a = actual.parameters();
    assertEquals(e.size(), a.size());
    for (int i = 0; i < e.size(); i++) {
      assertEquals(e.get(i).name(), a.get(i).name());
      assertEquals(e.get(i).value(), a.get(i).value(), e.get(i).name());
    }
  }

  private static void assertSameInfo(ModelInfo expected, ModelInfo actual) {
    assertEquals(expected.task(), actual.task());
    assertEquals(expected.featureNames(), actual.featureNames());
    assertEquals(expected.labelName(), actual.labelName());
    assertEquals(expected.classes(), actual.classes());
    assertEquals(expected.normalization().kind(), actual.normalization().kind());
    assertArrayEquals(expected.normalization().offset(), actual.normalization().offset());
    assertArrayEquals(expected.normalization().scale(), actual.normalization().scale());
    assertEquals(expected.provenance(), actual.provenance());
  }
}

package dev.backprop.serve;

import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.io.Model;
import dev.backprop.io.ModelInfo;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.Losses;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import java.util.List;
import java.util.Map;

/** Small untrained models with scaling, so that a wrong column order or a skipped scaling changes the outputs. */
final class TestModels {
  static final List<String> IRIS_FEATURES = List.of("sepal_length", "sepal_width", "petal_length", "petal_width");
  static final List<String> IRIS_CLASSES = List.of("setosa", "versicolor", "virginica");

  private TestModels() {}

  /** 4 features, 3 classes, softmax and cross-entropy, standard scaling. */
  static Model classifier() {
    Network net = Network.builder(4).dense(8, Activations.relu()).dense(3, Activations.softmax()).seed(7).build();
    Normalization norm = new Normalization(Normalization.Kind.STANDARD, new double[] {5.8, 3.0, 3.7, 1.2},
        new double[] {0.8, 0.4, 1.7, 0.7});
    return new Model(net, new CrossEntropyLoss(),
        new ModelInfo(Task.CLASSIFICATION, IRIS_FEATURES, "species", IRIS_CLASSES, norm, Map.of()));
  }

  /** 3 features, 2 targets, identity output and mean squared error, min-max scaling. */
  static Model regressor() {
    Network net = Network.builder(3).dense(5, Activations.tanh()).dense(2, Activations.identity()).seed(3).build();
    Normalization norm = new Normalization(Normalization.Kind.MINMAX, new double[] {1, 2, 3}, new double[] {4, 5, 6});
    return new Model(net, Losses.byName("mse"),
        new ModelInfo(Task.REGRESSION, List.of("a", "b", "c"), "y", List.of(), norm, Map.of()));
  }
}

package dev.backprop.examples;

import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.data.Normalization;
import dev.backprop.data.Splits;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.io.ModelInfo;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.train.Evaluation;
import dev.backprop.train.History;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Trains a classifier on the bundled digits with the library alone, saves it, loads it back and checks that the
 * loaded model predicts what the trained one does. Exits 1 when the accuracy or the round trip is off, so that a
 * build running it notices.
 */
public final class TrainDigits {
  private TrainDigits() {}

  public static void main(String[] args) throws Exception {
    Dataset data = DataSources.open("digits").table().toDataset(null, null);
    Splits.Split parts = Splits.split(data, 0.2, 42);
    Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, parts.train().features());
    Dataset train = norm.apply(parts.train());
    Dataset test = norm.apply(parts.heldOut());

    Network net = Network.builder(data.featureCount())
        .dense(128, Activations.relu())
        .dense(data.outputCount(), Activations.softmax())
        .seed(42)
        .build();
    Loss loss = new CrossEntropyLoss();
    TrainingConfig config = TrainingConfig.builder().epochs(10).optimizer(OptimizerSettings.adam(1e-3)).build();
    History history = new Trainer(config).fit(net, loss, train, test);
    Evaluation evaluation = Evaluation.of(net, loss, test);
    System.out.printf("%s: test accuracy %.4f after %d epochs%n", net.describe(), evaluation.accuracy(),
        history.epochs().size());

    Path file = Files.createTempFile("digits", ".safetensors");
    try {
      ModelInfo info = new ModelInfo(data.task(), data.featureNames(), "digit", data.classes(), norm,
          Map.of("example", "TrainDigits"));
      ModelFile.save(new Model(net, loss, info), file);
      Model loaded = ModelFile.load(file);
      boolean same = loaded.network().predict(test.features()).equals(net.predict(test.features()));
      System.out.println("saved, loaded and predicted the same: " + same);
      if (evaluation.accuracy() < 0.9 || !same || !loaded.info().classes().equals(List.copyOf(data.classes()))) {
        System.exit(1);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }
}

package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.DataSources;
import dev.backprop.data.Dataset;
import dev.backprop.data.Normalization;
import dev.backprop.data.Splits;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.loss.Loss;
import dev.backprop.train.Evaluation;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.optim.OptimizerSettings;
import dev.backprop.train.Trainer;
import dev.backprop.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** The ten-line example of the README, as written there, trains digits to a useful accuracy. */
class ReadmeExampleTest {
  @Test
  void readmeExampleRuns() {
    Dataset data = DataSources.open("digits").table().toDataset(null, null);
    Splits.Split parts = Splits.split(data, 0.2, 42);
    Normalization norm = Normalization.fit(Normalization.Kind.STANDARD, parts.train().features());
    Network net = Network.builder(data.featureCount())
        .dense(128, Activations.relu())
        .dense(data.outputCount(), Activations.softmax())
        .seed(42).build();
    Loss loss = new CrossEntropyLoss();
    TrainingConfig config = TrainingConfig.builder().optimizer(OptimizerSettings.adam(1e-3)).build();
    new Trainer(config).fit(net, loss, norm.apply(parts.train()), norm.apply(parts.heldOut()));
    double accuracy = Evaluation.of(net, loss, norm.apply(parts.heldOut())).accuracy();
    System.out.println("README example accuracy " + accuracy);
    assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
  }
}

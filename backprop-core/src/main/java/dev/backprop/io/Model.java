package dev.backprop.io;

import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.train.Objective;
import java.util.Objects;

/**
 * What a model file holds: a trained network, the loss it was trained with, and its {@link ModelInfo} (what was
 * fitted on the data, such as the feature scaling and the class names, and how the model was made).
 */
public record Model(Network network, Loss loss, ModelInfo info) {
  public Model {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(loss, "loss");
    Objects.requireNonNull(info, "info");
    Objective.of(loss, network);
    if (info.featureNames().size() != network.inputSize()) {
      throw new IllegalArgumentException(info.featureNames().size() + " feature names for a network of "
          + network.inputSize() + " inputs");
    }
    boolean classification = info.task() == Task.CLASSIFICATION;
    if (classification && info.classes().size() != network.outputSize()) {
      throw new IllegalArgumentException(info.classes().size() + " classes for a network of "
          + network.outputSize() + " outputs; a classifier names one class per output");
    }
    if (!classification && !info.classes().isEmpty()) {
      throw new IllegalArgumentException("a regression model has no classes, got " + info.classes());
    }
  }

  /** e.g. {@code 64 -> 32 relu -> 10 softmax, cross-entropy}. */
  public String describe() {
    return network.describe() + ", " + loss.name();
  }
}

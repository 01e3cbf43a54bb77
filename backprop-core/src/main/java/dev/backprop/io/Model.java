package dev.backprop.io;

import dev.backprop.nn.Network;
import java.util.Objects;

/** A trained network together with its {@link ModelInfo}: what a model file holds. */
public record Model(Network network, ModelInfo info) {
  public Model {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(info, "info");
    if (info.featureNames().size() != network.inputSize()) {
      throw new IllegalArgumentException(info.featureNames().size() + " feature names for a network of "
          + network.inputSize() + " inputs");
    }
    boolean classification = info.task() == dev.backprop.data.Task.CLASSIFICATION;
    if (classification && info.classes().size() != network.outputSize()) {
      throw new IllegalArgumentException(info.classes().size() + " classes for a network of "
          + network.outputSize() + " outputs; a classifier names one class per output");
    }
    if (!classification && !info.classes().isEmpty()) {
      throw new IllegalArgumentException("a regression model has no classes, got " + info.classes());
    }
  }
}

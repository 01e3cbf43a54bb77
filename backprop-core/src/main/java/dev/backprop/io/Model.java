package dev.backprop.io;

import dev.backprop.data.Task;
import dev.backprop.loss.Loss;
import dev.backprop.nn.Network;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.train.Evaluation;
import dev.backprop.train.Objective;
import java.util.List;
import java.util.Objects;

/**
 * What a model file holds: a trained network, the loss it was trained with, and its {@link ModelInfo} (what was
 * fitted on the data, such as the feature scaling and the class names, and how the model was made).
 *
 * <p>{@link #predict} is safe for concurrent callers: the first call packs the weights once for the prediction
 * kernels, and each thread then runs them through workspaces of its own. It reads the weights as they are at that
 * first call: to predict with a network trained further, make a new Model of it.
 */
public final class Model {
  private final Network network;
  private final Loss loss;
  private final ModelInfo info;
  private final ThreadLocal<Network> views;
  private volatile Inference inference;

  public Model(Network network, Loss loss, ModelInfo info) {
    this.network = Objects.requireNonNull(network, "network");
    this.loss = Objects.requireNonNull(loss, "loss");
    this.info = Objects.requireNonNull(info, "info");
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
    this.views = ThreadLocal.withInitial(network::view);
  }

  public Network network() {
    return network;
  }

  public Loss loss() {
    return loss;
  }

  public ModelInfo info() {
    return info;
  }

  /**
   * The outputs for rows of features as the model's data had them (columns in {@link ModelInfo#featureNames()}
   * order, before scaling: numbers, one-hot columns and missing indicators as {@link ModelInfo#encoder()} gives
   * them): one row per input row, the class probabilities of a classifier or the targets of a regression, in the
   * target's own units. Safe for concurrent callers.
   */
  public Matrix predict(Matrix features) {
    if (features.cols() != network.inputSize()) {
      throw new IllegalArgumentException("the rows have " + features.cols() + " features, the model takes "
          + network.inputSize());
    }
    if (network.dtype() != DType.FLOAT32) {
      return Evaluation.predict(views.get(), info.normalization().apply(features));
    }
    return inference().predict(features);
  }

  /** The prediction path, its weights packed at the first prediction. */
  private Inference inference() {
    Inference i = inference;
    if (i == null) {
      synchronized (this) {
        if (inference == null) {
          inference = new Inference(network, info.normalization());
        }
        i = inference;
      }
    }
    return i;
  }

  /**
   * The outputs for rows of raw text cells, as a CSV file has them: {@code header} names the cells of each row in
   * any order (the label and other extra columns are not read). The model's {@link ModelInfo#encoder()} fills
   * gaps and one-hot encodes categories exactly as in training, then {@link #predict(Matrix)} runs; a category
   * never seen in training is encoded as unknown, never an error. Regression outputs are in the target's units.
   * Safe for concurrent callers.
   *
   * @throws dev.backprop.InvalidInputException naming a column the model needs and the rows lack, or a cell of a
   *     numeric column that is not a number
   */
  public Matrix predictRows(List<String> header, List<String[]> rows) {
    return predict(info.encoder().encode(header, rows).features());
  }

  /** e.g. {@code 64 -> 32 relu -> 10 softmax, cross-entropy}. */
  public String describe() {
    return network.describe() + ", " + loss.name();
  }

  @Override
  public String toString() {
    return "Model(" + describe() + ")";
  }
}

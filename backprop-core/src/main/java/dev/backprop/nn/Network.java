package dev.backprop.nn;

import dev.backprop.SeededRandom;
import dev.backprop.loss.Loss;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.init.Initializer;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A stack of dense layers and the loss that trains them.
 *
 * <p>{@link #computeGradients} is one forward and one backward pass: it leaves dC/dW and dC/db in every
 * parameter's gradient, ready for an optimizer. Build one with {@link #builder(int)}:
 * <pre>{@code
 * Network net = Network.builder(64)
 *     .dense(32, Activations.relu())
 *     .dense(10, Activations.softmax())
 *     .loss(new CrossEntropyLoss())
 *     .seed(42)
 *     .build();
 * }</pre>
 */
public final class Network {
  /** Stream id for weight initialisation under the network's seed. */
  public static final long INIT_STREAM = 1;

  private final List<Dense> layers;
  private final Loss loss;
  private long dropoutSeed;
  private long dropoutStep;

  private Network(List<Dense> layers, Loss loss) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one dense layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      Dense prev = layers.get(i - 1);
      Dense next = layers.get(i);
      if (prev.outputSize() != next.inputSize()) {
        throw new IllegalArgumentException("dense layer " + i + " takes " + next.inputSize()
            + " inputs but layer " + (i - 1) + " gives " + prev.outputSize());
      }
      if (next.dtype() != prev.dtype()) {
        throw new IllegalArgumentException("dense layers " + (i - 1) + " and " + i + " differ in element type");
      }
    }
    if (layers.get(layers.size() - 1).dropout() > 0) {
      throw new IllegalArgumentException("dropout is for hidden layers; the output layer must keep all its outputs");
    }
    for (int i = 0; i < layers.size() - 1; i++) {
      if (!layers.get(i).activation().elementwise()) {
        throw new IllegalArgumentException("softmax is only allowed on the output layer, found it on hidden layer "
            + i + "; use relu, tanh, sigmoid or leaky-relu there");
      }
    }
    loss.checkOutput(layers.get(layers.size() - 1).activation());
    this.layers = List.copyOf(layers);
    this.loss = loss;
  }

  /** A network from explicit layers (as loaded from a file); their parameters are used, not copied. */
  public static Network of(List<Dense> layers, Loss loss) {
    return new Network(layers, Objects.requireNonNull(loss, "loss"));
  }

  /** Starts a network that takes {@code inputs} features. */
  public static Builder builder(int inputs) {
    return new Builder(inputs);
  }

  public List<Dense> layers() {
    return layers;
  }

  public Loss loss() {
    return loss;
  }

  public int inputSize() {
    return layers.get(0).inputSize();
  }

  public int outputSize() {
    return layers.get(layers.size() - 1).outputSize();
  }

  public DType dtype() {
    return layers.get(0).dtype();
  }

  /** Every trainable parameter: layer by layer, weight then bias. */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (Dense d : layers) {
      all.addAll(d.parameters());
    }
    return Collections.unmodifiableList(all);
  }

  /** Number of trainable scalars. */
  public long parameterCount() {
    long n = 0;
    for (Parameter p : parameters()) {
      n += p.value().size();
    }
    return n;
  }

  /**
   * The output activations for {@code x} (batch x inputSize). The returned matrix is the output layer's
   * workspace: valid until the next call, copy it to keep it.
   */
  public Matrix forward(Matrix x, boolean training) {
    Matrix a = x;
    for (Dense layer : layers) {
      a = layer.forward(a, training, dropoutSeed, dropoutStep);
    }
    return a;
  }

  /**
   * Sets the key of the dropout masks that training passes draw until the next call: the trainer gives
   * (training seed, step number), so each step has its own masks and a resumed run draws the same ones.
   * Without dropout it changes nothing.
   */
  public void dropoutKey(long seed, long step) {
    this.dropoutSeed = seed;
    this.dropoutStep = step;
  }

  /** Whether any layer drops outputs in training. */
  public boolean hasDropout() {
    for (Dense d : layers) {
      if (d.dropout() > 0) {
        return true;
      }
    }
    return false;
  }

  /** A new matrix with the outputs for {@code x}, computed in evaluation mode. */
  public Matrix predict(Matrix x) {
    return forward(x, false).copy();
  }

  /** The loss on (x, y) in evaluation mode, without gradients. */
  public double loss(Matrix x, Matrix y) {
    return loss(x, y, false);
  }

  /**
   * The loss on (x, y) without gradients, in training mode (dropout masks from the current key) or in
   * evaluation mode. In training mode it is the loss that {@link #computeGradients} differentiates.
   */
  public double loss(Matrix x, Matrix y, boolean training) {
    forward(x, training);
    Dense out = layers.get(layers.size() - 1);
    return loss.value(out.z(), out.a(), y);
  }

  /**
   * One forward and one backward pass on the batch (x, y): fills every parameter's gradient and returns
   * the loss C of the batch, computed before any update.
   */
  public double computeGradients(Matrix x, Matrix y) {
    forward(x, true);
    Dense out = layers.get(layers.size() - 1);
    double value = loss.value(out.z(), out.a(), y);
    Matrix delta = out.deltaBuffer();
    loss.outputDelta(out.activation(), out.z(), out.a(), y, delta);
    Matrix grad = out.backwardFromDelta(delta, layers.size() > 1);
    for (int i = layers.size() - 2; i >= 0; i--) {
      grad = layers.get(i).backward(grad, i > 0);
    }
    return value;
  }

  /** A deep copy with the given element type (float64 for gradient checks, float32 for training). */
  public Network copy(DType dtype) {
    List<Dense> copies = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Dense d = layers.get(i);
      copies.add(new Dense(i, d.weight().value().to(dtype), d.bias().value().to(dtype), d.activation(),
          d.dropout()));
    }
    Network copy = new Network(copies, loss);
    copy.dropoutKey(dropoutSeed, dropoutStep);
    return copy;
  }

  /**
   * A network over the same parameter values (not copies) whose hidden layers drop outputs with
   * probability {@code rate} in training; used to train a loaded model with dropout.
   */
  public Network withHiddenDropout(double rate) {
    List<Dense> views = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Dense d = layers.get(i);
      views.add(new Dense(i, d.weight().value(), d.bias().value(), d.activation(),
          i < layers.size() - 1 ? rate : 0));
    }
    return new Network(views, loss);
  }

  /** Copies every parameter value of {@code source} (same architecture) into this network. */
  public void copyParametersFrom(Network source) {
    List<Parameter> mine = parameters();
    List<Parameter> theirs = source.parameters();
    if (mine.size() != theirs.size()) {
      throw new IllegalArgumentException("architectures differ: " + this + " vs " + source);
    }
    for (int i = 0; i < mine.size(); i++) {
      mine.get(i).value().copyFrom(theirs.get(i).value());
    }
  }

  /** e.g. {@code 64 -> 32 relu -> 10 softmax, cross-entropy}. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(inputSize());
    for (Dense d : layers) {
      sb.append(" -> ").append(d.outputSize()).append(' ').append(d.activation().name());
      if (d.dropout() > 0) {
        sb.append(" (dropout ").append(d.dropout()).append(')');
      }
    }
    return sb.append(", ").append(loss.name()).toString();
  }

  @Override
  public String toString() {
    return "Network(" + describe() + ")";
  }

  /** Collects the layers of a new network; each layer's weights are drawn when {@link #build()} runs. */
  public static final class Builder {
    private final int inputs;
    private final List<Integer> widths = new ArrayList<>();
    private final List<Activation> activations = new ArrayList<>();
    private final List<Initializer> initializers = new ArrayList<>();
    private final List<Double> dropouts = new ArrayList<>();
    private Loss loss;
    private long seed = 42;
    private DType dtype = DType.FLOAT32;

    private Builder(int inputs) {
      if (inputs <= 0) {
        throw new IllegalArgumentException("a network needs at least one input, got " + inputs);
      }
      this.inputs = inputs;
    }

    /** Adds a dense layer of {@code units} outputs with the activation's default initialiser. */
    public Builder dense(int units, Activation activation) {
      return dense(units, activation, Initializer.defaultFor(activation));
    }

    /** Adds a dense layer of {@code units} outputs. */
    public Builder dense(int units, Activation activation, Initializer initializer) {
      if (units <= 0) {
        throw new IllegalArgumentException("a dense layer needs at least one unit, got " + units);
      }
      widths.add(units);
      activations.add(Objects.requireNonNull(activation, "activation"));
      initializers.add(Objects.requireNonNull(initializer, "initializer"));
      dropouts.add(0.0);
      return this;
    }

    /**
     * Drops the outputs of the layer added last with probability {@code rate} in training (inverted dropout,
     * as Keras' {@code Dropout} layer after a {@code Dense}); only hidden layers may have it.
     */
    public Builder dropout(double rate) {
      if (widths.isEmpty()) {
        throw new IllegalStateException("dropout(...) follows the dense layer whose outputs it drops");
      }
      if (!(rate >= 0 && rate < 1)) {
        throw new IllegalArgumentException("dropout rate must be in [0, 1), got " + rate);
      }
      dropouts.set(dropouts.size() - 1, rate);
      return this;
    }

    public Builder loss(Loss value) {
      this.loss = Objects.requireNonNull(value, "loss");
      return this;
    }

    /** The seed of the initial weights (default 42). */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** The element type (default float32; float64 for gradient checks). */
    public Builder dtype(DType value) {
      this.dtype = Objects.requireNonNull(value, "dtype");
      return this;
    }

    public Network build() {
      if (loss == null) {
        throw new IllegalStateException("no loss set: call loss(...) before build()");
      }
      SeededRandom random = SeededRandom.derive(seed, INIT_STREAM);
      List<Dense> layers = new ArrayList<>();
      int in = inputs;
      for (int i = 0; i < widths.size(); i++) {
        Matrix w = Matrix.zeros(dtype, in, widths.get(i));
        initializers.get(i).fill(w, random);
        layers.add(new Dense(i, w, Matrix.zeros(dtype, 1, widths.get(i)), activations.get(i), dropouts.get(i)));
        in = widths.get(i);
      }
      return new Network(layers, loss);
    }
  }
}

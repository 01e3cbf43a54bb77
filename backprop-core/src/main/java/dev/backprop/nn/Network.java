package dev.backprop.nn;

import dev.backprop.SeededRandom;
import dev.backprop.nn.activation.Activation;
import dev.backprop.nn.activation.Softmax;
import dev.backprop.nn.init.Initializer;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A stack of layers: blocks of a {@link Dense} layer, its activation and, in hidden blocks, optional
 * {@link Dropout}. It knows nothing of losses: {@link #forward} maps inputs to outputs, and {@link #backward} takes
 * delta = dC/dz of the output block (which the training objective computes from its loss) down to every
 * parameter's gradient.
 *
 * <p>Build one with {@link #builder(int)}:
 * <pre>{@code
 * Network net = Network.builder(64)
 *     .dense(32, Activations.relu())
 *     .dense(10, Activations.softmax())
 *     .seed(42)
 *     .build();
 * }</pre>
 */
public final class Network {
  /** Stream id for weight initialisation under the network's seed. */
  public static final long INIT_STREAM = 1;

  private final List<Block> blocks;
  private final List<Layer> layers;

  /**
   * A dense layer, the activation that follows it and the dropout rate after that (0 for none): the unit in
   * which architectures are described and stored.
   */
  public record Block(Dense dense, Activation activation, double dropout) {
    public Block {
      Objects.requireNonNull(dense, "dense");
      Objects.requireNonNull(activation, "activation");
      if (!(dropout >= 0 && dropout < 1)) {
        throw new IllegalArgumentException("dropout after dense layer " + dense.index() + " must be in [0, 1), got "
            + dropout);
      }
    }
  }

  private Network(List<Block> blocks) {
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one dense layer");
    }
    for (int i = 1; i < blocks.size(); i++) {
      Dense prev = blocks.get(i - 1).dense();
      Dense next = blocks.get(i).dense();
      if (prev.outputSize() != next.inputSize()) {
        throw new IllegalArgumentException("dense layer " + i + " takes " + next.inputSize()
            + " inputs but layer " + (i - 1) + " gives " + prev.outputSize());
      }
      if (next.dtype() != prev.dtype()) {
        throw new IllegalArgumentException("dense layers " + (i - 1) + " and " + i + " differ in element type");
      }
    }
    if (blocks.get(blocks.size() - 1).dropout() > 0) {
      throw new IllegalArgumentException("dropout is for hidden layers; the output layer must keep all its outputs");
    }
    for (int i = 0; i < blocks.size() - 1; i++) {
      if (blocks.get(i).activation() instanceof Softmax) {
        throw new IllegalArgumentException("softmax is only allowed on the output layer, found it on hidden layer "
            + i + "; use relu, tanh, sigmoid or leaky-relu there");
      }
    }
    this.blocks = List.copyOf(blocks);
    List<Layer> stack = new ArrayList<>();
    for (Block b : blocks) {
      Dense d = b.dense();
      stack.add(d);
      stack.add(new ActivationLayer(b.activation(), d.outputSize(), d.dtype()));
      if (b.dropout() > 0) {
        stack.add(new Dropout(b.dropout(), d.outputSize(), d.index(), d.dtype()));
      }
    }
    this.layers = List.copyOf(stack);
  }

  /** A network from explicit blocks (as loaded from a file); their parameters are used, not copied. */
  public static Network of(List<Block> blocks) {
    return new Network(blocks);
  }

  /** Starts a network that takes {@code inputs} features. */
  public static Builder builder(int inputs) {
    return new Builder(inputs);
  }

  /** The architecture block by block. */
  public List<Block> blocks() {
    return blocks;
  }

  /** Every layer, from the input to the output activation. */
  public List<Layer> layers() {
    return layers;
  }

  /** The activation of the output block, applied to the logits z it gives. */
  public Activation outputActivation() {
    return blocks.get(blocks.size() - 1).activation();
  }

  public int inputSize() {
    return blocks.get(0).dense().inputSize();
  }

  public int outputSize() {
    return blocks.get(blocks.size() - 1).dense().outputSize();
  }

  public DType dtype() {
    return blocks.get(0).dense().dtype();
  }

  /** Every trainable parameter: layer by layer, weight then bias. */
  public List<Parameter> parameters() {
    List<Parameter> all = new ArrayList<>();
    for (Layer layer : layers) {
      all.addAll(layer.parameters());
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
   * The outputs for {@code x} (batch x inputSize). The returned matrix is the output layer's workspace: valid
   * until the next call, copy it to keep it.
   */
  public Matrix forward(Matrix x, Pass pass) {
    Matrix a = logits(x, pass);
    return layers.get(layers.size() - 1).forward(a, pass);
  }

  /**
   * z of the output block for {@code x}: every layer but the output activation. The training objective applies
   * that activation itself, to start backpropagation from the loss.
   */
  public Matrix logits(Matrix x, Pass pass) {
    Matrix a = x;
    for (int i = 0; i < layers.size() - 1; i++) {
      a = layers.get(i).forward(a, pass);
    }
    return a;
  }

  /**
   * Backpropagation from delta = dC/dz of the output block, for the batch of the last {@link #logits} or
   * {@link #forward} call: fills every parameter's gradient. {@code delta} may be overwritten.
   */
  public void backward(Matrix delta) {
    Matrix grad = delta;
    for (int i = layers.size() - 2; i >= 0; i--) {
      grad = layers.get(i).backward(grad, i > 0);
    }
  }

  /** A new matrix with the outputs for {@code x}, computed in evaluation mode. */
  public Matrix predict(Matrix x) {
    return forward(x, Pass.INFERENCE).copy();
  }

  /** A deep copy with the given element type (float64 for gradient checks, float32 for training). */
  public Network copy(DType dtype) {
    List<Block> copies = new ArrayList<>();
    for (Block b : blocks) {
      Dense d = b.dense();
      copies.add(new Block(new Dense(d.index(), d.weight().value().to(dtype), d.bias().value().to(dtype)),
          b.activation(), b.dropout()));
    }
    return new Network(copies);
  }

  /**
   * A network over the same parameter values (not copies) with workspaces of its own, so that another thread can
   * run it forward while this one does; it shares every later change of the parameters.
   */
  public Network view() {
    List<Block> views = new ArrayList<>();
    for (Block b : blocks) {
      Dense d = b.dense();
      views.add(new Block(new Dense(d.index(), d.weight().value(), d.bias().value()), b.activation(), b.dropout()));
    }
    return new Network(views);
  }

  /**
   * A network over the same parameter values (not copies) whose hidden layers drop outputs with
   * probability {@code rate} in training; used to train a loaded model with dropout.
   */
  public Network withHiddenDropout(double rate) {
    List<Block> views = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      Dense d = b.dense();
      views.add(new Block(new Dense(d.index(), d.weight().value(), d.bias().value()), b.activation(),
          i < blocks.size() - 1 ? rate : 0));
    }
    return new Network(views);
  }

  /** e.g. {@code 64 -> 32 relu -> 10 softmax}. */
  public String describe() {
    StringBuilder sb = new StringBuilder().append(inputSize());
    for (Block b : blocks) {
      sb.append(" -> ").append(b.dense().outputSize()).append(' ').append(b.activation().name());
      if (b.dropout() > 0) {
        sb.append(" (dropout ").append(b.dropout()).append(')');
      }
    }
    return sb.toString();
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
      SeededRandom random = SeededRandom.derive(seed, INIT_STREAM);
      List<Block> blocks = new ArrayList<>();
      int in = inputs;
      for (int i = 0; i < widths.size(); i++) {
        Matrix w = Matrix.zeros(dtype, in, widths.get(i));
        initializers.get(i).fill(w, random);
        Dense dense = new Dense(i, w, Matrix.zeros(dtype, 1, widths.get(i)));
        blocks.add(new Block(dense, activations.get(i), dropouts.get(i)));
        in = widths.get(i);
      }
      return new Network(blocks);
    }
  }
}

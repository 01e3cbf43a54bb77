package dev.backprop.optim;

import dev.backprop.nn.Parameter;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every optimizer shares: the parameters it updates, in a fixed order; the learning rate that
 * schedules may change between steps (checked once, here); PyTorch's coupled weight decay (the
 * {@code weight_decay} of torch.optim.SGD, Adam and RMSprop), g = g + wd w, applied to a copy of the
 * gradient so that the parameter's own gradient is never modified; the step count; and the state kept
 * between steps, exported and imported all or nothing.
 *
 * <p>A subclass holds only its formula and its buffers: it creates each buffer with {@link #stateBuffer},
 * which names it {@code <parameter>.<buffer>} in exported state, and updates one parameter in
 * {@link #update}. The exported state is every buffer, in the order they were created, then the step
 * count under {@value #STEP_KEY}; an optimizer without buffers (plain SGD) exports nothing.
 */
abstract class BaseOptimizer implements Optimizer {
  /** The key of the step count in exported state. */
  static final String STEP_KEY = "step";

  /** The parameters, in the order the optimizer was given them. */
  protected final List<Parameter> parameters;
  private final double weightDecay;
  private final Matrix[] decayed;
  /** Every state buffer by its key, in the order of creation, which is the order of export. */
  private final Map<String, Matrix> buffers = new LinkedHashMap<>();
  private double learningRate;
  private long t;

  protected BaseOptimizer(List<Parameter> parameters, double learningRate, double weightDecay) {
    this.parameters = List.copyOf(parameters);
    setLearningRate(learningRate);
    OptimizerSettings.requireWeightDecay(weightDecay);
    this.weightDecay = weightDecay;
    this.decayed = new Matrix[this.parameters.size()];
  }

  /**
   * Updates parameter {@code p} from its gradient.
   *
   * @param t the number of this step: 1 at the first
   */
  protected abstract void update(int p, long t);

  @Override
  public final void step() {
    t++;
    for (int p = 0; p < parameters.size(); p++) {
      update(p, t);
    }
  }

  /** Steps taken so far. */
  public final long steps() {
    return t;
  }

  @Override
  public final double learningRate() {
    return learningRate;
  }

  @Override
  public final void setLearningRate(double value) {
    OptimizerSettings.requireLearningRate(value);
    this.learningRate = value;
  }

  /** The weight decay coefficient wd (0 = none). */
  public final double weightDecay() {
    return weightDecay;
  }

  /**
   * A new zero buffer of parameter {@code p}'s shape and element type, kept in this optimizer's state as
   * {@code <parameter name>.<name>}.
   */
  protected final Matrix stateBuffer(int p, String name) {
    Matrix buffer = parameters.get(p).value().zerosLike();
    buffers.put(parameters.get(p).name() + "." + name, buffer);
    return buffer;
  }

  /**
   * The gradient that the update of parameter {@code p} uses under coupled weight decay: the parameter's
   * own gradient when wd is 0, otherwise g + wd w in a scratch matrix of the parameter's type (float32
   * arithmetic for float32 parameters, as PyTorch's {@code grad.add(param, alpha=weight_decay)}).
   */
  protected final Matrix coupledGradient(int p) {
    Matrix g = parameters.get(p).grad();
    if (weightDecay == 0) {
      return g;
    }
    Matrix w = parameters.get(p).value();
    if (decayed[p] == null) {
      decayed[p] = w.zerosLike();
    }
    if (w.dtype() == DType.FLOAT32) {
      float[] ws = w.floats();
      float[] gs = g.floats();
      float[] out = decayed[p].floats();
      float wd = (float) weightDecay;
      for (int i = 0; i < out.length; i++) {
        out[i] = gs[i] + wd * ws[i];
      }
    } else {
      double[] ws = w.doubles();
      double[] gs = g.doubles();
      double[] out = decayed[p].doubles();
      for (int i = 0; i < out.length; i++) {
        out[i] = gs[i] + weightDecay * ws[i];
      }
    }
    return decayed[p];
  }

  /** Copies of the buffers, then the step count as a 1x1 float64 matrix; empty without buffers. */
  @Override
  public final Map<String, Matrix> exportState() {
    if (buffers.isEmpty()) {
      return Map.of();
    }
    Map<String, Matrix> state = new LinkedHashMap<>();
    buffers.forEach((key, buffer) -> state.put(key, buffer.copy()));
    state.put(STEP_KEY, Matrix.wrap(1, 1, new double[] {t}));
    return state;
  }

  /**
   * Restores exported state all or nothing: checks that {@code state} holds exactly the keys of the
   * buffers and {@value #STEP_KEY}, each of its buffer's shape, and a valid step count; then copies every
   * entry into its buffer (converting to the buffer's element type) and takes the count. Throws
   * IllegalArgumentException naming the first missing, unexpected or misshaped key.
   */
  @Override
  public final void importState(Map<String, Matrix> state) {
    if (buffers.isEmpty()) {
      if (!state.isEmpty()) {
        throw new IllegalArgumentException(name() + " keeps no state, but was given " + state.keySet());
      }
      return;
    }
    Set<String> expected = new LinkedHashSet<>(buffers.keySet());
    expected.add(STEP_KEY);
    for (String key : expected) {
      if (state.get(key) == null) {
        throw new IllegalArgumentException(name() + " state '" + key + "' is missing; expected the keys " + expected
            + " that exportState() gives for the same parameters");
      }
    }
    for (String key : state.keySet()) {
      if (!expected.contains(key)) {
        throw new IllegalArgumentException(name() + " state '" + key + "' is not one of " + expected
            + "; was the state exported by another optimizer or for other parameters?");
      }
    }
    for (Map.Entry<String, Matrix> e : buffers.entrySet()) {
      Matrix s = state.get(e.getKey());
      Matrix buffer = e.getValue();
      if (s.rows() != buffer.rows() || s.cols() != buffer.cols()) {
        throw new IllegalArgumentException(name() + " state '" + e.getKey() + "' is " + s.shape() + ", expected "
            + buffer.shape());
      }
    }
    Matrix step = state.get(STEP_KEY);
    double value = step.size() == 1 ? step.getFlat(0) : Double.NaN;
    if (!(value >= 0 && value == Math.rint(value) && value < 0x1p53)) {
      throw new IllegalArgumentException(name() + " state '" + STEP_KEY + "' must be one whole number >= 0, got "
          + (step.size() == 1 ? String.valueOf(value) : "a " + step.shape() + " matrix"));
    }
    for (Map.Entry<String, Matrix> e : buffers.entrySet()) {
      e.getValue().copyFrom(state.get(e.getKey()));
    }
    t = (long) value;
  }
}

package dev.backprop.optim;

import dev.backprop.nn.Parameter;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What every optimizer shares: the parameters it updates, in a fixed order; the learning rate that
 * schedules may change between steps (checked once, here); PyTorch's coupled weight decay (the
 * {@code weight_decay} of torch.optim.SGD, Adam and RMSprop), g = g + wd w, applied to a copy of the
 * gradient so that the parameter's own gradient is never modified; and the checks of imported state.
 */
abstract class BaseOptimizer implements Optimizer {
  /** The key of the step count in exported state. */
  static final String STEP_KEY = "step";

  /** The parameters, in the order the optimizer was given them. */
  protected final List<Parameter> parameters;
  private final double weightDecay;
  private final Matrix[] decayed;
  private double learningRate;

  protected BaseOptimizer(List<Parameter> parameters, double learningRate) {
    this(parameters, learningRate, 0);
  }

  protected BaseOptimizer(List<Parameter> parameters, double learningRate, double weightDecay) {
    this.parameters = List.copyOf(parameters);
    setLearningRate(learningRate);
    OptimizerSettings.requireWeightDecay(weightDecay);
    this.weightDecay = weightDecay;
    this.decayed = new Matrix[this.parameters.size()];
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

  /** The step count as exported state: a 1x1 float64 matrix. */
  static Matrix stepState(long steps) {
    return Matrix.wrap(1, 1, new double[] {steps});
  }

  /**
   * Restores exported state all or nothing: checks that {@code state} holds exactly the keys of
   * {@code targets} and {@value #STEP_KEY}, each of the target's shape, and a valid step count; then
   * copies every entry into its target (converting to the target's element type) and returns the count.
   * Throws IllegalArgumentException naming the first missing, unexpected or misshaped key.
   */
  final long restore(Map<String, Matrix> state, Map<String, Matrix> targets) {
    Set<String> expected = new LinkedHashSet<>(targets.keySet());
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
    for (Map.Entry<String, Matrix> e : targets.entrySet()) {
      Matrix s = state.get(e.getKey());
      Matrix target = e.getValue();
      if (s.rows() != target.rows() || s.cols() != target.cols()) {
        throw new IllegalArgumentException(name() + " state '" + e.getKey() + "' is " + s.shape() + ", expected "
            + target.shape());
      }
    }
    Matrix step = state.get(STEP_KEY);
    double value = step.size() == 1 ? step.getFlat(0) : Double.NaN;
    if (!(value >= 0 && value == Math.rint(value) && value < 0x1p53)) {
      throw new IllegalArgumentException(name() + " state '" + STEP_KEY + "' must be one whole number >= 0, got "
          + (step.size() == 1 ? String.valueOf(value) : "a " + step.shape() + " matrix"));
    }
    for (Map.Entry<String, Matrix> e : targets.entrySet()) {
      e.getValue().copyFrom(state.get(e.getKey()));
    }
    return (long) value;
  }
}

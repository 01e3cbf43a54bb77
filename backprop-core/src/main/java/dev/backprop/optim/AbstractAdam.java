package dev.backprop.optim;

import dev.backprop.internal.kernel.Kernels;
import dev.backprop.internal.kernel.UpdateKernels;
import dev.backprop.nn.Parameter;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Adam update that {@link Adam} and {@link AdamW} share, in PyTorch's form: at step t = 1, 2, ...
 * <pre>
 *   m = beta1 m + (1 - beta1) g,          v = beta2 v + (1 - beta2) g^2
 *   w = w - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * The subclasses differ only in how weight decay enters ({@link #gradientFor}). The moments have the
 * parameter's element type; float32 parameters are updated by the vector kernel. State: {@code
 * <parameter>.m}, {@code <parameter>.v} and {@code step}.
 */
abstract class AbstractAdam extends BaseOptimizer {
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final Matrix[] m;
  private final Matrix[] v;
  private long t;

  AbstractAdam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon,
      double weightDecay) {
    super(parameters, learningRate, weightDecay);
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("Adam betas must be in [0, 1), got " + beta1 + " and " + beta2);
    }
    if (!(epsilon > 0)) {
      throw new IllegalArgumentException("Adam epsilon must be positive, got " + epsilon);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = new Matrix[this.parameters.size()];
    this.v = new Matrix[this.parameters.size()];
    for (int i = 0; i < m.length; i++) {
      m[i] = this.parameters.get(i).value().zerosLike();
      v[i] = this.parameters.get(i).value().zerosLike();
    }
  }

  /**
   * The gradient g of the moment update for parameter {@code p}; may first modify the parameter itself
   * (decoupled weight decay).
   */
  abstract Matrix gradientFor(int p);

  @Override
  public final void step() {
    t++;
    double stepSize = learningRate() / (1 - StrictMath.pow(beta1, t));
    double rootCorrection = Math.sqrt(1 - StrictMath.pow(beta2, t));
    for (int p = 0; p < parameters.size(); p++) {
      Matrix w = parameters.get(p).value();
      Matrix g = gradientFor(p);
      if (w.dtype() == DType.FLOAT32) {
        update(w.floats(), g.floats(), m[p].floats(), v[p].floats(), (float) stepSize, (float) rootCorrection);
      } else {
        update(w.doubles(), g.doubles(), m[p].doubles(), v[p].doubles(), stepSize, rootCorrection);
      }
    }
  }

  private void update(float[] w, float[] g, float[] mp, float[] vp, float stepSize, float rootCorrection) {
    Kernels.updates().adam(w, g, mp, vp, new UpdateKernels.AdamStep((float) beta1, (float) (1 - beta1), (float) beta2,
        (float) (1 - beta2), stepSize, rootCorrection, (float) epsilon));
  }

  private void update(double[] w, double[] g, double[] mp, double[] vp, double stepSize, double rootCorrection) {
    for (int i = 0; i < w.length; i++) {
      double gi = g[i];
      mp[i] = beta1 * mp[i] + (1 - beta1) * gi;
      vp[i] = beta2 * vp[i] + (1 - beta2) * gi * gi;
      w[i] -= stepSize * mp[i] / (Math.sqrt(vp[i]) / rootCorrection + epsilon);
    }
  }

  /** Steps taken so far. */
  public final long steps() {
    return t;
  }

  @Override
  public final Map<String, Matrix> exportState() {
    Map<String, Matrix> state = new LinkedHashMap<>();
    for (int p = 0; p < parameters.size(); p++) {
      String name = parameters.get(p).name();
      state.put(name + ".m", m[p].copy());
      state.put(name + ".v", v[p].copy());
    }
    state.put(STEP_KEY, stepState(t));
    return state;
  }

  @Override
  public final void importState(Map<String, Matrix> state) {
    Map<String, Matrix> targets = new LinkedHashMap<>();
    for (int p = 0; p < parameters.size(); p++) {
      String name = parameters.get(p).name();
      targets.put(name + ".m", m[p]);
      targets.put(name + ".v", v[p]);
    }
    t = restore(state, targets);
  }
}

package dev.backprop.optim;

import dev.backprop.InvalidSettingException;
import dev.backprop.internal.kernel.Kernels;
import dev.backprop.internal.kernel.UpdateKernels;
import dev.backprop.nn.Parameter;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.List;

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

  AbstractAdam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon,
      double weightDecay) {
    super(parameters, learningRate, weightDecay);
    if (!(beta1 >= 0 && beta1 < 1)) {
      throw new InvalidSettingException("beta1", beta1, "in [0, 1) (PyTorch's default is " + Adam.DEFAULT_BETA1 + ")");
    }
    if (!(beta2 >= 0 && beta2 < 1)) {
      throw new InvalidSettingException("beta2", beta2, "in [0, 1) (PyTorch's default is " + Adam.DEFAULT_BETA2 + ")");
    }
    if (!(epsilon > 0)) {
      throw new InvalidSettingException("epsilon", epsilon, "a number > 0 (PyTorch's default is "
          + Adam.DEFAULT_EPSILON + ")");
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = new Matrix[this.parameters.size()];
    this.v = new Matrix[this.parameters.size()];
    for (int p = 0; p < m.length; p++) {
      m[p] = stateBuffer(p, "m");
      v[p] = stateBuffer(p, "v");
    }
  }

  /**
   * The gradient g of the moment update for parameter {@code p}; may first modify the parameter itself
   * (decoupled weight decay).
   */
  abstract Matrix gradientFor(int p);

  @Override
  protected final void update(int p, long t) {
    double stepSize = learningRate() / (1 - StrictMath.pow(beta1, t));
    double rootCorrection = Math.sqrt(1 - StrictMath.pow(beta2, t));
    Matrix w = parameters.get(p).value();
    Matrix g = gradientFor(p);
    if (w.dtype() == DType.FLOAT32) {
      update(w.floats(), g.floats(), m[p].floats(), v[p].floats(), (float) stepSize, (float) rootCorrection);
    } else {
      update(w.doubles(), g.doubles(), m[p].doubles(), v[p].doubles(), stepSize, rootCorrection);
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
}

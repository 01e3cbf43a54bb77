package dev.backprop.optim;

import dev.backprop.internal.kernel.FloatKernels;
import dev.backprop.internal.kernel.Kernels;
import dev.backprop.nn.Parameter;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) in PyTorch's form: for each parameter w with gradient g, at step t = 1, 2, ...
 * <pre>
 *   m = beta1 m + (1 - beta1) g,          v = beta2 v + (1 - beta2) g^2
 *   m_hat = m / (1 - beta1^t),            v_hat = v / (1 - beta2^t)
 *   w = w - lr m_hat / (sqrt(v_hat) + eps)
 * </pre>
 * epsilon is added after the square root, as in PyTorch's {@code torch.optim.Adam} (Keras adds it to the
 * bias-corrected root in the same way; TensorFlow 1 folded it differently). Defaults: lr 1e-3, betas 0.9
 * and 0.999, eps 1e-8. The update is computed as PyTorch computes it:
 * w = w - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps). The moments have the parameter's
 * element type (float32 in training, as PyTorch keeps them).
 */
public final class Adam extends BaseOptimizer {
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-8;

  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final Matrix[] m;
  private final Matrix[] v;
  private long t;

  public Adam(List<Parameter> parameters, double learningRate) {
    this(parameters, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  public Adam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon) {
    super(parameters, learningRate);
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

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public void step() {
    t++;
    double stepSize = learningRate() / (1 - Math.pow(beta1, t));
    double rootCorrection = Math.sqrt(1 - Math.pow(beta2, t));
    for (int p = 0; p < parameters.size(); p++) {
      Matrix w = parameters.get(p).value();
      Matrix g = parameters.get(p).grad();
      if (w.dtype() == DType.FLOAT32) {
        update(w.floats(), g.floats(), m[p].floats(), v[p].floats(), (float) stepSize, (float) rootCorrection);
      } else {
        update(w.doubles(), g.doubles(), m[p].doubles(), v[p].doubles(), stepSize, rootCorrection);
      }
    }
  }

  private void update(float[] w, float[] g, float[] mp, float[] vp, float stepSize, float rootCorrection) {
    Kernels.floats().adam(w, g, mp, vp, new FloatKernels.AdamStep((float) beta1, (float) (1 - beta1), (float) beta2,
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
  public long steps() {
    return t;
  }

  @Override
  public Map<String, Matrix> exportState() {
    Map<String, Matrix> state = new LinkedHashMap<>();
    for (int p = 0; p < parameters.size(); p++) {
      String name = parameters.get(p).name();
      state.put(name + ".m", m[p].copy());
      state.put(name + ".v", v[p].copy());
    }
    state.put("step", Matrix.wrap(1, 1, new double[] {t}));
    return state;
  }

  @Override
  public void importState(Map<String, Matrix> state) {
    for (int p = 0; p < parameters.size(); p++) {
      String name = parameters.get(p).name();
      copyInto(state, name + ".m", m[p]);
      copyInto(state, name + ".v", v[p]);
    }
    Matrix step = Matrix.zeros(DType.FLOAT64, 1, 1);
    copyInto(state, "step", step);
    t = (long) step.getFlat(0);
  }

  private static void copyInto(Map<String, Matrix> state, String key, Matrix target) {
    Matrix s = state.get(key);
    if (s == null || s.size() != target.size()) {
      throw new IllegalArgumentException("Adam state '" + key + "' is " + (s == null ? "missing" : "of size "
          + s.size()) + ", expected " + target.size() + " values");
    }
    for (int i = 0; i < target.size(); i++) {
      target.setFlat(i, s.getFlat(i));
    }
  }
}

package dev.backprop.optim;

import dev.backprop.InvalidSettingException;
import dev.backprop.nn.Parameter;
import dev.backprop.optim.OptimizerSettings.Kind;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.List;

/**
 * RMSProp (Tieleman and Hinton 2012), as PyTorch's {@code torch.optim.RMSprop} (not centered): for each
 * parameter w with gradient g,
 * <pre>
 *   g = g + wd w                                  (coupled weight decay, when wd &gt; 0)
 *   s = alpha s + (1 - alpha) g^2                 (s starts at 0)
 *   without momentum:  w = w - lr g / (sqrt(s) + eps)
 *   with momentum mu:  buf = mu buf + g / (sqrt(s) + eps);  w = w - lr buf   (buf starts at 0)
 * </pre>
 * epsilon is added outside the square root, as PyTorch does (Keras and TensorFlow put it inside), and
 * there is no bias correction. Defaults (PyTorch's): lr 1e-2, alpha 0.99, eps 1e-8, momentum 0, weight
 * decay 0. The state has the parameter's element type: {@code <parameter>.square_avg}, with momentum
 * {@code <parameter>.momentum_buffer}, and {@code step}.
 */
public final class RmsProp extends BaseOptimizer {
  public static final double DEFAULT_LEARNING_RATE = 1e-2;
  public static final double DEFAULT_ALPHA = 0.99;
  public static final double DEFAULT_EPSILON = 1e-8;

  private final double alpha;
  private final double epsilon;
  private final double momentum;
  private final Matrix[] squareAvg;
  private final Matrix[] buffers;

  /** RMSProp with PyTorch's defaults. */
  public RmsProp(List<Parameter> parameters, double learningRate) {
    this(parameters, learningRate, DEFAULT_ALPHA, DEFAULT_EPSILON, 0, 0);
  }

  /**
   * @param alpha the smoothing constant of the running mean of g^2, in [0, 1)
   * @param epsilon added to the root, &gt; 0
   * @param momentum mu in [0, 1); 0 = none
   * @param weightDecay wd &gt;= 0, PyTorch's coupled {@code weight_decay}
   */
  public RmsProp(List<Parameter> parameters, double learningRate, double alpha, double epsilon, double momentum,
      double weightDecay) {
    super(parameters, learningRate, weightDecay);
    if (!(alpha >= 0 && alpha < 1)) {
      throw new InvalidSettingException("alpha", alpha, "in [0, 1) (PyTorch's default is " + DEFAULT_ALPHA + ")");
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new InvalidSettingException("epsilon", epsilon, "a finite number > 0 (PyTorch's default is "
          + DEFAULT_EPSILON + ")");
    }
    OptimizerSettings.requireMomentum(Kind.RMSPROP, momentum);
    this.alpha = alpha;
    this.epsilon = epsilon;
    this.momentum = momentum;
    this.squareAvg = new Matrix[this.parameters.size()];
    this.buffers = new Matrix[this.parameters.size()];
    for (int p = 0; p < squareAvg.length; p++) {
      squareAvg[p] = stateBuffer(p, "square_avg");
      if (momentum > 0) {
        buffers[p] = stateBuffer(p, "momentum_buffer");
      }
    }
  }

  @Override
  public String name() {
    return Kind.RMSPROP.id();
  }

  /** The momentum coefficient mu (0 = none). */
  public double momentum() {
    return momentum;
  }

  @Override
  protected void update(int p, long t) {
    Matrix w = parameters.get(p).value();
    Matrix g = coupledGradient(p);
    if (w.dtype() == DType.FLOAT32) {
      update(w.floats(), g.floats(), squareAvg[p].floats(), momentum > 0 ? buffers[p].floats() : null);
    } else {
      update(w.doubles(), g.doubles(), squareAvg[p].doubles(), momentum > 0 ? buffers[p].doubles() : null);
    }
  }

  private void update(float[] w, float[] g, float[] s, float[] buf) {
    float a = (float) alpha;
    float oneMinusA = (float) (1 - alpha);
    float eps = (float) epsilon;
    float mu = (float) momentum;
    float minusLr = (float) -learningRate();
    for (int i = 0; i < w.length; i++) {
      s[i] = a * s[i] + oneMinusA * g[i] * g[i];
      float root = (float) Math.sqrt(s[i]) + eps;
      if (buf == null) {
        w[i] += minusLr * g[i] / root;
      } else {
        buf[i] = mu * buf[i] + g[i] / root;
        w[i] += minusLr * buf[i];
      }
    }
  }

  private void update(double[] w, double[] g, double[] s, double[] buf) {
    double minusLr = -learningRate();
    for (int i = 0; i < w.length; i++) {
      s[i] = alpha * s[i] + (1 - alpha) * g[i] * g[i];
      double root = Math.sqrt(s[i]) + epsilon;
      if (buf == null) {
        w[i] += minusLr * g[i] / root;
      } else {
        buf[i] = momentum * buf[i] + g[i] / root;
        w[i] += minusLr * buf[i];
      }
    }
  }
}

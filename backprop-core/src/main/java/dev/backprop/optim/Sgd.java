package dev.backprop.optim;

import dev.backprop.nn.Parameter;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Stochastic gradient descent, as PyTorch's {@code torch.optim.SGD} with dampening 0. For each parameter w
 * with gradient g:
 * <pre>
 *   g = g + wd w                                  (weight decay, when wd &gt; 0)
 *   PLAIN:     w = w - lr g                       (the seed's update)
 *   MOMENTUM:  buf = mu buf + g (buf = g at the first step);  w = w - lr buf
 *   NESTEROV:  buf = mu buf + g (buf = g at the first step);  w = w - lr (g + mu buf)
 * </pre>
 * This is PyTorch's momentum form (the learning rate multiplies the buffer), not Sutskever's (v = mu v -
 * lr g, w = w + v): the two agree for a constant learning rate and differ when a schedule changes it.
 * Defaults: no momentum, no weight decay; {@link OptimizerSettings} gives momentum 0.9 to the momentum
 * variants. The buffers have the parameter's element type. Plain SGD keeps no state; the momentum variants
 * export {@code <parameter>.momentum_buffer} and {@code step}.
 */
public final class Sgd extends BaseOptimizer {
  /** How the gradient becomes the update. */
  public enum Variant {
    /** w = w - lr g. */
    PLAIN,
    /** Heavy-ball momentum, PyTorch's form. */
    MOMENTUM,
    /** Nesterov momentum, PyTorch's form. */
    NESTEROV;

    /** The optimizer's name: {@code sgd}, {@code momentum} or {@code nesterov}. */
    public String id() {
      return this == PLAIN ? "sgd" : name().toLowerCase(Locale.ROOT);
    }
  }

  private static final String BUFFER = ".momentum_buffer";

  private final Variant variant;
  private final double momentum;
  private final Matrix[] buffers;
  private long t;

  /** Plain SGD, the seed's update. */
  public Sgd(List<Parameter> parameters, double learningRate) {
    this(parameters, learningRate, Variant.PLAIN, 0, 0);
  }

  /**
   * SGD of the given variant.
   *
   * @param momentum mu in [0, 1): 0 for PLAIN; above 0 for NESTEROV (as PyTorch requires)
   * @param weightDecay wd &gt;= 0, PyTorch's coupled {@code weight_decay}
   */
  public Sgd(List<Parameter> parameters, double learningRate, Variant variant, double momentum, double weightDecay) {
    super(parameters, learningRate, weightDecay);
    OptimizerSettings.requireMomentum(momentum);
    if (variant == Variant.PLAIN && momentum != 0) {
      throw new IllegalArgumentException("plain sgd has no momentum, got " + momentum
          + "; use the MOMENTUM or NESTEROV variant");
    }
    if (variant == Variant.NESTEROV && momentum == 0) {
      throw new IllegalArgumentException("nesterov needs a momentum above 0, got 0; use plain sgd instead");
    }
    this.variant = variant;
    this.momentum = momentum;
    this.buffers = new Matrix[this.parameters.size()];
    if (variant != Variant.PLAIN) {
      for (int p = 0; p < buffers.length; p++) {
        buffers[p] = this.parameters.get(p).value().zerosLike();
      }
    }
  }

  @Override
  public String name() {
    return variant.id();
  }

  /** The momentum coefficient mu (0 for plain SGD). */
  public double momentum() {
    return momentum;
  }

  /** Steps taken so far. */
  public long steps() {
    return t;
  }

  @Override
  public void step() {
    boolean first = t == 0;
    t++;
    for (int p = 0; p < parameters.size(); p++) {
      Matrix w = parameters.get(p).value();
      Matrix g = coupledGradient(p);
      if (variant == Variant.PLAIN) {
        MatrixOps.axpy(-learningRate(), g, w);
      } else if (w.dtype() == DType.FLOAT32) {
        update(w.floats(), g.floats(), buffers[p].floats(), first);
      } else {
        update(w.doubles(), g.doubles(), buffers[p].doubles(), first);
      }
    }
  }

  private void update(float[] w, float[] g, float[] buf, boolean first) {
    float mu = (float) momentum;
    float minusLr = (float) -learningRate();
    boolean nesterov = variant == Variant.NESTEROV;
    for (int i = 0; i < w.length; i++) {
      buf[i] = first ? g[i] : mu * buf[i] + g[i];
      float d = nesterov ? g[i] + mu * buf[i] : buf[i];
      w[i] += minusLr * d;
    }
  }

  private void update(double[] w, double[] g, double[] buf, boolean first) {
    double minusLr = -learningRate();
    boolean nesterov = variant == Variant.NESTEROV;
    for (int i = 0; i < w.length; i++) {
      buf[i] = first ? g[i] : momentum * buf[i] + g[i];
      double d = nesterov ? g[i] + momentum * buf[i] : buf[i];
      w[i] += minusLr * d;
    }
  }

  @Override
  public Map<String, Matrix> exportState() {
    if (variant == Variant.PLAIN) {
      return Map.of();
    }
    Map<String, Matrix> state = new LinkedHashMap<>();
    for (int p = 0; p < parameters.size(); p++) {
      state.put(parameters.get(p).name() + BUFFER, buffers[p].copy());
    }
    state.put(STEP_KEY, stepState(t));
    return state;
  }

  @Override
  public void importState(Map<String, Matrix> state) {
    if (variant == Variant.PLAIN) {
      if (!state.isEmpty()) {
        throw new IllegalArgumentException("sgd keeps no state, but was given " + state.keySet());
      }
      return;
    }
    Map<String, Matrix> targets = new LinkedHashMap<>();
    for (int p = 0; p < parameters.size(); p++) {
      targets.put(parameters.get(p).name() + BUFFER, buffers[p]);
    }
    t = restore(state, targets);
  }
}

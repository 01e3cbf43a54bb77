package dev.backprop.optim;

import dev.backprop.InvalidSettingException;
import dev.backprop.nn.Parameter;
import dev.backprop.optim.OptimizerSettings.Kind;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
import java.util.List;
import java.util.Objects;

/**
 * Stochastic gradient descent, as PyTorch's {@code torch.optim.SGD} with dampening 0. For each parameter w
 * with gradient g:
 * <pre>
 *   g = g + wd w                                  (weight decay, when wd &gt; 0)
 *   SGD:       w = w - lr g                       (the seed's update)
 *   MOMENTUM:  buf = mu buf + g (buf = g at the first step);  w = w - lr buf
 *   NESTEROV:  buf = mu buf + g (buf = g at the first step);  w = w - lr (g + mu buf)
 * </pre>
 * This is PyTorch's momentum form (the learning rate multiplies the buffer), not Sutskever's (v = mu v -
 * lr g, w = w + v): the two agree for a constant learning rate and differ when a schedule changes it.
 * The {@linkplain Kind kind} chooses the form: SGD, MOMENTUM or NESTEROV. Defaults: no momentum, no weight
 * decay; {@link OptimizerSettings} gives momentum 0.9 to the momentum kinds. The buffers have the
 * parameter's element type. Plain SGD keeps no state; the momentum kinds export
 * {@code <parameter>.momentum_buffer} and {@code step}.
 */
public final class Sgd extends BaseOptimizer {
  private final Kind kind;
  private final double momentum;
  private final Matrix[] buffers;

  /** Plain SGD, the seed's update. */
  public Sgd(List<Parameter> parameters, double learningRate) {
    this(parameters, learningRate, Kind.SGD, 0, 0);
  }

  /**
   * SGD of the given kind.
   *
   * @param kind SGD, MOMENTUM or NESTEROV
   * @param momentum mu in [0, 1): 0 for SGD; above 0 for NESTEROV (as PyTorch requires)
   * @param weightDecay wd &gt;= 0, PyTorch's coupled {@code weight_decay}
   */
  public Sgd(List<Parameter> parameters, double learningRate, Kind kind, double momentum, double weightDecay) {
    super(parameters, learningRate, weightDecay);
    Objects.requireNonNull(kind, "kind");
    if (kind != Kind.SGD && kind != Kind.MOMENTUM && kind != Kind.NESTEROV) {
      throw new InvalidSettingException("optimizer", kind.id(), "sgd, momentum or nesterov for Sgd "
          + "(OptimizerSettings.create builds every kind)");
    }
    OptimizerSettings.requireMomentum(kind, momentum);
    this.kind = kind;
    this.momentum = momentum;
    this.buffers = new Matrix[this.parameters.size()];
    if (kind != Kind.SGD) {
      for (int p = 0; p < buffers.length; p++) {
        buffers[p] = stateBuffer(p, "momentum_buffer");
      }
    }
  }

  @Override
  public String name() {
    return kind.id();
  }

  /** The momentum coefficient mu (0 for plain SGD). */
  public double momentum() {
    return momentum;
  }

  @Override
  protected void update(int p, long t) {
    Matrix w = parameters.get(p).value();
    Matrix g = coupledGradient(p);
    if (kind == Kind.SGD) {
      MatrixOps.axpy(-learningRate(), g, w);
    } else if (w.dtype() == DType.FLOAT32) {
      update(w.floats(), g.floats(), buffers[p].floats(), t == 1);
    } else {
      update(w.doubles(), g.doubles(), buffers[p].doubles(), t == 1);
    }
  }

  private void update(float[] w, float[] g, float[] buf, boolean first) {
    float mu = (float) momentum;
    float minusLr = (float) -learningRate();
    boolean nesterov = kind == Kind.NESTEROV;
    for (int i = 0; i < w.length; i++) {
      buf[i] = first ? g[i] : mu * buf[i] + g[i];
      float d = nesterov ? g[i] + mu * buf[i] : buf[i];
      w[i] += minusLr * d;
    }
  }

  private void update(double[] w, double[] g, double[] buf, boolean first) {
    double minusLr = -learningRate();
    boolean nesterov = kind == Kind.NESTEROV;
    for (int i = 0; i < w.length; i++) {
      buf[i] = first ? g[i] : momentum * buf[i] + g[i];
      double d = nesterov ? g[i] + momentum * buf[i] : buf[i];
      w[i] += minusLr * d;
    }
  }
}

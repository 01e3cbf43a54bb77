package dev.backprop.optim;

import dev.backprop.nn.Parameter;
import dev.backprop.optim.OptimizerSettings.Kind;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.util.List;

/**
 * Adam with decoupled weight decay (Loshchilov and Hutter 2019), as PyTorch's {@code torch.optim.AdamW}:
 * for each parameter w with gradient g, at step t = 1, 2, ...
 * <pre>
 *   w = w (1 - lr wd)                     (decay first, independent of the gradient's scale)
 *   m = beta1 m + (1 - beta1) g,          v = beta2 v + (1 - beta2) g^2
 *   w = w - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * The gradient itself is never decayed, unlike {@link Adam}'s L2 term, so every weight shrinks by the same
 * factor whatever its gradient history. Defaults (PyTorch's): lr 1e-3, betas 0.9 and 0.999, eps 1e-8,
 * weight decay 0.01.
 */
public final class AdamW extends AbstractAdam {
  public static final double DEFAULT_WEIGHT_DECAY = 0.01;

  /** AdamW with PyTorch's defaults and weight decay 0.01. */
  public AdamW(List<Parameter> parameters, double learningRate) {
    this(parameters, learningRate, DEFAULT_WEIGHT_DECAY);
  }

  public AdamW(List<Parameter> parameters, double learningRate, double weightDecay) {
    this(parameters, learningRate, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON, weightDecay);
  }

  public AdamW(List<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon,
      double weightDecay) {
    super(parameters, learningRate, beta1, beta2, epsilon, weightDecay);
  }

  @Override
  public String name() {
    return Kind.ADAMW.id();
  }

  /** Shrinks w by 1 - lr wd (in the parameter's element type) and gives the undecayed gradient. */
  @Override
  Matrix gradientFor(int p) {
    Parameter parameter = parameters.get(p);
    double factor = 1 - learningRate() * weightDecay();
    if (weightDecay() != 0) {
      Matrix w = parameter.value();
      if (w.dtype() == DType.FLOAT32) {
        float[] ws = w.floats();
        float f = (float) factor;
        for (int i = 0; i < ws.length; i++) {
          ws[i] *= f;
        }
      } else {
        double[] ws = w.doubles();
        for (int i = 0; i < ws.length; i++) {
          ws[i] *= factor;
        }
      }
    }
    return parameter.grad();
  }
}

package dev.backprop.optim;

import dev.backprop.nn.Parameter;
import dev.backprop.optim.OptimizerSettings.Kind;
import dev.backprop.tensor.Matrix;
import java.util.List;

/**
 * Adam (Kingma and Ba 2015), as PyTorch's {@code torch.optim.Adam}: for each parameter w with gradient g,
 * at step t = 1, 2, ...
 * <pre>
 *   g = g + wd w                          (coupled L2 weight decay, when wd &gt; 0)
 *   m = beta1 m + (1 - beta1) g,          v = beta2 v + (1 - beta2) g^2
 *   m_hat = m / (1 - beta1^t),            v_hat = v / (1 - beta2^t)
 *   w = w - lr m_hat / (sqrt(v_hat) + eps)
 * </pre>
 * epsilon is added after the square root, as in PyTorch (Keras adds it to the bias-corrected root in the
 * same way; TensorFlow 1 folded it differently). Defaults: lr 1e-3, betas 0.9 and 0.999, eps 1e-8, weight
 * decay 0. The update is computed as PyTorch computes it:
 * w = w - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps). The moments have the parameter's
 * element type (float32 in training, as PyTorch keeps them). The weight decay here scales with the
 * adaptive step; {@link AdamW} decouples it.
 */
public final class Adam extends AbstractAdam {
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-8;

  public Adam(List<Parameter> parameters, double learningRate) {
    this(parameters, learningRate, DEFAULT_BETA1, DEFAULT_BETA2, DEFAULT_EPSILON);
  }

  public Adam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon) {
    this(parameters, learningRate, beta1, beta2, epsilon, 0);
  }

  /** Adam with coupled weight decay {@code weightDecay} &gt;= 0 (PyTorch's {@code weight_decay}). */
  public Adam(List<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon,
      double weightDecay) {
    super(parameters, learningRate, beta1, beta2, epsilon, weightDecay);
  }

  @Override
  public String name() {
    return Kind.ADAM.id();
  }

  @Override
  Matrix gradientFor(int p) {
    return coupledGradient(p);
  }
}

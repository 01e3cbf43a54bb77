package dev.backprop.train;

import dev.backprop.InvalidSettingException;
import dev.backprop.nn.Parameter;
import dev.backprop.tensor.MatrixOps;
import java.util.List;

/** Global-norm clipping of gradients, as PyTorch's {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {
  private GradientClipping() {}

  /** The L2 norm of all the gradients together, summed in double precision in parameter order. */
  public static double globalNorm(List<Parameter> parameters) {
    double sum = 0;
    for (Parameter p : parameters) {
      for (int i = 0; i < p.grad().size(); i++) {
        double g = p.grad().getFlat(i);
        sum += g * g;
      }
    }
    return Math.sqrt(sum);
  }

  /**
   * Scales every gradient by maxNorm / (norm + 1e-6) when the global norm exceeds {@code maxNorm}, and
   * returns the norm before clipping.
   *
   * @throws IllegalArgumentException when the norm is not finite: scaling a NaN or an infinity would hide
   *     the divergence, not cure it
   */
  public static double clip(List<Parameter> parameters, double maxNorm) {
    if (!(maxNorm > 0) || Double.isInfinite(maxNorm)) {
      throw new InvalidSettingException("clipNorm", maxNorm, "a finite number > 0");
    }
    double norm = globalNorm(parameters);
    if (!Double.isFinite(norm)) {
      throw new IllegalArgumentException("the global gradient norm is " + norm + "; it cannot be clipped");
    }
    double factor = maxNorm / (norm + 1e-6);
    if (factor < 1) {
      for (Parameter p : parameters) {
        MatrixOps.scale(p.grad(), factor);
      }
    }
    return norm;
  }
}

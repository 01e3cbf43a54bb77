package dev.backprop.optim;

import dev.backprop.nn.Parameter;
import dev.backprop.tensor.Matrix;
import dev.backprop.tensor.MatrixOps;
import java.util.List;
import java.util.Map;

/**
 * Plain stochastic gradient descent, the seed's update: W = W - eta dC/dW, b = b - eta dC/db.
 * It keeps no state.
 */
public final class Sgd extends BaseOptimizer {
  public Sgd(List<Parameter> parameters, double learningRate) {
    super(parameters, learningRate);
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public void step() {
    for (Parameter p : parameters) {
      MatrixOps.axpy(-learningRate(), p.grad(), p.value());
    }
  }

  @Override
  public Map<String, Matrix> exportState() {
    return Map.of();
  }

  @Override
  public void importState(Map<String, Matrix> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException("sgd keeps no state, but was given " + state.keySet());
    }
  }
}

package dev.backprop.optim;

import dev.backprop.nn.Parameter;
import java.util.List;

/**
 * What every optimizer shares: the parameters it updates, in a fixed order, and the learning rate that
 * schedules may change between steps (checked once, here).
 */
abstract class BaseOptimizer implements Optimizer {
  /** The parameters, in the order the optimizer was given them. */
  protected final List<Parameter> parameters;
  private double learningRate;

  protected BaseOptimizer(List<Parameter> parameters, double learningRate) {
    this.parameters = List.copyOf(parameters);
    setLearningRate(learningRate);
  }

  @Override
  public final double learningRate() {
    return learningRate;
  }

  @Override
  public final void setLearningRate(double value) {
    OptimizerSettings.requireLearningRate(value);
    this.learningRate = value;
  }
}

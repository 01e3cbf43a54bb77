/**
 * Backprop: neural networks trained by backpropagation.
 *
 * <p>Only the API packages are exported; {@code dev.backprop.internal.*} is free to change.
 */
module dev.backprop.core {
  requires org.slf4j;
  requires static jdk.incubator.vector;

  exports dev.backprop;
  exports dev.backprop.check;
  exports dev.backprop.data;
  exports dev.backprop.io;
  exports dev.backprop.loss;
  exports dev.backprop.metrics;
  exports dev.backprop.nn;
  exports dev.backprop.nn.activation;
  exports dev.backprop.nn.init;
  exports dev.backprop.optim;
  exports dev.backprop.report;
  exports dev.backprop.tensor;
  exports dev.backprop.train;
}

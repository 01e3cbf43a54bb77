/**
 * Backprop: neural networks trained by backpropagation.
 *
 * <p>Only the API packages are exported; {@code dev.backprop.internal.*} is free to change.
 */
module dev.backprop.core {
  requires org.slf4j;
  requires static jdk.incubator.vector;

  exports dev.backprop;
  exports dev.backprop.tensor;
  exports dev.backprop.data;
}

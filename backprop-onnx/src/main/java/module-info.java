/**
 * Backprop's ONNX export: a trained model as an ONNX graph that ONNX Runtime and other ONNX consumers run.
 * Depends on backprop-core only; core knows nothing of it.
 */
module dev.backprop.onnx {
  requires transitive dev.backprop.core;

  exports dev.backprop.onnx;
}

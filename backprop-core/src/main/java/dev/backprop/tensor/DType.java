package dev.backprop.tensor;

/** Element type of a {@link Matrix}: float32 for training, float64 for references and gradient checks. */
public enum DType {
  FLOAT32,
  FLOAT64
}

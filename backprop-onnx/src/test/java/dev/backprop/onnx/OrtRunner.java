package dev.backprop.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.backprop.tensor.Matrix;
import java.nio.FloatBuffer;
import java.util.Map;

/** Loads an ONNX file into ONNX Runtime and runs it on a matrix of features. */
final class OrtRunner implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  final OrtSession session;

  OrtRunner(byte[] onnx) throws OrtException {
    session = env.createSession(onnx, new OrtSession.SessionOptions());
  }

  /** The graph's one output for the rows of {@code x}, as float rows. */
  float[][] run(Matrix x) throws OrtException {
    float[] data = new float[x.size()];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) x.getFlat(i);
    }
    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), new long[] {x.rows(), x.cols()});
        OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
      return (float[][]) result.get(0).getValue();
    }
  }

  @Override
  public void close() throws OrtException {
    session.close();
  }
}

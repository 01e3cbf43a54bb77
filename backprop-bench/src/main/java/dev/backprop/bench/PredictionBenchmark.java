package dev.backprop.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.backprop.SeededRandom;
import dev.backprop.data.Normalization;
import dev.backprop.data.Task;
import dev.backprop.io.Model;
import dev.backprop.io.ModelInfo;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.onnx.OnnxExport;
import dev.backprop.tensor.Matrix;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * In-process prediction of one model on a batch of raw rows: {@link Model#predict} against ONNX Runtime's Java
 * session on the model's ONNX export, in the same JVM and run. Each call does what a caller does: Backprop from a
 * Matrix to a new Matrix of probabilities; ONNX Runtime from a float array to a tensor, the run, and the
 * probabilities back as float arrays. Both at their default threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class PredictionBenchmark {
  /** features-hidden...-classes, relu hidden layers, softmax output, standard scaling. */
  @Param({"64-128-10", "784-256-128-10"})
  public String shape;

  @Param({"1", "64"})
  public int rows;

  private Model model;
  private Matrix x;
  private float[] xFloats;
  private OrtEnvironment env;
  private OrtSession session;

  @Setup(Level.Trial)
  public void setUp() throws OrtException {
    String[] parts = shape.split("-");
    int features = Integer.parseInt(parts[0]);
    Network.Builder builder = Network.builder(features);
    for (int i = 1; i < parts.length - 1; i++) {
      builder.dense(Integer.parseInt(parts[i]), Activations.relu());
    }
    int classes = Integer.parseInt(parts[parts.length - 1]);
    Network net = builder.dense(classes, Activations.softmax()).seed(7).build();
    SeededRandom random = new SeededRandom(11);
    Matrix fit = Matrix.zeros(256, features);
    for (int i = 0; i < fit.size(); i++) {
      fit.setFlat(i, 16 * random.nextDouble());
    }
    List<String> names = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      names.add("x" + j);
    }
    List<String> classNames = new ArrayList<>();
    for (int k = 0; k < classes; k++) {
      classNames.add("c" + k);
    }
    model = new Model(net, new CrossEntropyLoss(), new ModelInfo(Task.CLASSIFICATION, names, "y", classNames,
        Normalization.fit(Normalization.Kind.STANDARD, fit), Map.of()));
    x = Matrix.zeros(rows, features);
    xFloats = new float[rows * features];
    for (int i = 0; i < xFloats.length; i++) {
      xFloats[i] = (float) (16 * random.nextDouble());
      x.setFlat(i, xFloats[i]);
    }
    env = OrtEnvironment.getEnvironment();
    session = env.createSession(OnnxExport.toBytes(model), new OrtSession.SessionOptions());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws OrtException {
    session.close();
  }

  @Benchmark
  public Matrix backprop() {
    return model.predict(x);
  }

  @Benchmark
  public float[][] onnxRuntime() throws OrtException {
    try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(xFloats), new long[] {rows,
        xFloats.length / rows});
        OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
      return (float[][]) result.get(0).getValue();
    }
  }
}

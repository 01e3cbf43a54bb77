package dev.backprop.spark;

import dev.backprop.data.Dataset;
import dev.backprop.data.Task;
import dev.backprop.tensor.Matrix;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** One shard's training rows as plain arrays, to live in a Spark partition. */
final class ShardRows implements Serializable {
  private static final long serialVersionUID = 1L;

  final int shard;
  private final int rows;
  private final List<String> featureNames;
  private final float[] features;
  private final Task task;
  private final List<String> classes;
  private final int[] labels;
  private final float[] targets;
  private final int outputs;
  private transient Dataset dataset;

  /** Rows [first, first + count) of {@code data}. */
  ShardRows(int shard, Dataset data, int first, int count) {
    this.shard = shard;
    this.rows = count;
    this.featureNames = new ArrayList<>(data.featureNames());
    int[] picked = new int[count];
    for (int i = 0; i < count; i++) {
      picked[i] = first + i;
    }
    Dataset part = data.subset(picked);
    this.features = part.features().floats().clone();
    this.task = data.task();
    this.classes = new ArrayList<>(data.classes());
    this.labels = task == Task.CLASSIFICATION ? part.labels().clone() : null;
    this.targets = part.targets().floats().clone();
    this.outputs = data.outputCount();
  }

  /** The rows as a dataset, built once per JVM that holds them. */
  Dataset dataset() {
    if (dataset == null) {
      Matrix x = Matrix.wrap(rows, featureNames.size(), features);
      dataset = task == Task.CLASSIFICATION
          ? Dataset.classification("shard " + shard, featureNames, x, classes, labels)
          : Dataset.regression("shard " + shard, featureNames, x, Matrix.wrap(rows, outputs, targets));
    }
    return dataset;
  }

  int size() {
    return rows;
  }
}

package dev.backprop.data;

import dev.backprop.InvalidInputException;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV table's label column read for training or evaluation, and the labelled {@link Dataset} of a table
 * encoded through a {@link TableSchema}. Rows whose label is missing are left out and counted.
 */
public final class TabularData {
  private TabularData() {}

  /**
   * The labelled rows of a table.
   *
   * @param rows the 0-based data rows that have a label, in file order
   * @param task classification or regression
   * @param classes class names in output order (empty for regression)
   * @param classIndex per labelled row, its class (classification)
   * @param targets per labelled row, its value (regression)
   * @param missing how many rows had no label and were left out
   */
  public record Labels(int[] rows, Task task, List<String> classes, int[] classIndex, float[] targets, int missing) {}

  /**
   * Reads the label column for training: the task is inferred when null (as {@link CsvTable#toDataset(String,
   * Task)} infers it), classes are sorted as there.
   *
   * @throws InvalidInputException when every label is missing, a classification has a single class, or a
   *     regression label is not a number
   */
  public static Labels forTraining(CsvTable table, int label, Task task, Set<String> na) {
    List<Integer> kept = new ArrayList<>();
    for (int r = 0; r < table.rowCount(); r++) {
      if (!isMissing(table.text(r, label), na)) {
        kept.add(r);
      }
    }
    int[] rows = kept.stream().mapToInt(Integer::intValue).toArray();
    int missing = table.rowCount() - rows.length;
    String column = "column " + (label + 1) + " (" + table.header().get(label) + ")";
    if (rows.length == 0) {
      throw new InvalidInputException(table.source(), column, "the label is missing in all "
          + count(table.rowCount(), "row") + "; nothing to train on");
    }
    if (task == null) {
      task = inferTask(table, label, rows);
    }
    if (task == Task.REGRESSION) {
      return new Labels(rows, task, List.of(), null, targets(table, label, rows), missing);
    }
    List<String> texts = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(rows).mapToObj(r -> table.text(r, label))
        .toList()));
    boolean numeric = texts.stream().allMatch(TabularData::looksNumeric);
    texts.sort(numeric
        ? Comparator.<String>comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
        : Comparator.<String>naturalOrder());
    if (texts.size() < 2) {
      throw new InvalidInputException(table.source(), column, "the label column has only one class '"
          + texts.get(0) + "' in all " + count(rows.length, "labelled row") + "; classification needs at least two");
    }
    return new Labels(rows, task, List.copyOf(texts), classes(table, label, rows, texts), null, missing);
  }

  /**
   * Reads the label column to evaluate a model: the model's task and classes.
   *
   * @throws InvalidInputException for a label that is not one of {@code classes}, or a regression label that is
   *     not a number
   */
  public static Labels forModel(CsvTable table, String labelName, Task task, List<String> classes, Set<String> na) {
    if (!table.hasColumn(labelName)) {
      throw new InvalidInputException(table.source(), "", "no label column '" + labelName + "'; the columns are "
          + String.join(", ", table.header()));
    }
    int label = table.columnIndex(labelName);
    int[] rows = java.util.stream.IntStream.range(0, table.rowCount())
        .filter(r -> !isMissing(table.text(r, label), na)).toArray();
    int missing = table.rowCount() - rows.length;
    if (task == Task.REGRESSION) {
      return new Labels(rows, task, List.of(), null, targets(table, label, rows), missing);
    }
    return new Labels(rows, task, classes, classes(table, label, rows, classes), null, missing);
  }

  /** The encoded, labelled dataset of the rows of {@code labels} (features before scaling). */
  public static Dataset dataset(CsvTable table, TableSchema schema, Labels labels) {
    Matrix all = schema.encode(table).features();
    return dataset(table.source(), schema, all, labels);
  }

  /** The same, from rows already encoded by {@code schema}. */
  public static Dataset dataset(String source, TableSchema schema, Matrix encoded, Labels labels) {
    int d = encoded.cols();
    Matrix x = Matrix.zeros(labels.rows().length, d);
    float[] from = encoded.floats();
    float[] to = x.floats();
    for (int i = 0; i < labels.rows().length; i++) {
      System.arraycopy(from, labels.rows()[i] * d, to, i * d, d);
    }
    if (labels.task() == Task.REGRESSION) {
      return Dataset.regression(source, schema.inputNames(), x, Matrix.wrap(labels.rows().length, 1,
          labels.targets().clone()));
    }
    return Dataset.classification(source, schema.inputNames(), x, labels.classes(), labels.classIndex());
  }

  private static boolean isMissing(String text, Set<String> na) {
    return text.isEmpty() || na.contains(text);  // an empty label is never a class
  }

  private static int[] classes(CsvTable table, int label, int[] rows, List<String> classes) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.putIfAbsent(classes.get(i), i);
    }
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      String text = table.text(rows[i], label);
      Integer k = index.get(text);
      if (k == null) {
        throw new InvalidInputException(table.source(), place(table, rows[i], label), "'" + text
            + "' is not one of the model's classes: " + String.join(", ", classes));
      }
      y[i] = k;
    }
    return y;
  }

  private static float[] targets(CsvTable table, int label, int[] rows) {
    float[] y = new float[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int r = rows[i];
      if (!table.isNumber(r, label)) {
        throw new InvalidInputException(table.source(), place(table, r, label), "'" + table.text(r, label)
            + "' is not a number; a regression label must be one");
      }
      y[i] = (float) table.number(r, label);
      if (Float.isInfinite(y[i])) {
        throw new InvalidInputException(table.source(), place(table, r, label), "'" + table.text(r, label)
            + "' is outside the float32 range");
      }
    }
    return y;
  }

  private static Task inferTask(CsvTable table, int label, int[] rows) {
    Set<Double> distinct = new HashSet<>();
    for (int r : rows) {
      if (!table.isNumber(r, label)) {
        return Task.CLASSIFICATION;
      }
      distinct.add(table.number(r, label));
    }
    boolean integers = distinct.stream().allMatch(v -> v == Math.rint(v));
    return integers && distinct.size() <= CsvTable.MAX_INFERRED_CLASSES ? Task.CLASSIFICATION : Task.REGRESSION;
  }

  private static boolean looksNumeric(String text) {
    return text.matches("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
  }

  private static String place(CsvTable table, int row, int column) {
    return "row " + (row + 1) + ", column " + (column + 1) + " (" + table.header().get(column) + ")";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}

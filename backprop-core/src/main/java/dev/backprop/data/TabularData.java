package dev.backprop.data;

import dev.backprop.InvalidInputException;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
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
    int[] rows = labelled(table, label, na);
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
    // every cell with a text code: the codes number the texts in order of first appearance, and each row's class
    // follows from its code
    boolean coded = !table.spelled(label);
    List<String> distinct = coded ? Arrays.asList(table.texts(label)) : new ArrayList<>();
    int[] ids = coded ? null : table.textIds(label, distinct);
    // the labelled rows' texts in order of first appearance: a text is missing in all of its rows or in none
    List<String> texts = new ArrayList<>();
    for (String text : distinct) {
      if (!isMissing(text, na)) {
        texts.add(text);
      }
    }
    boolean numeric = texts.stream().allMatch(TabularData::looksNumeric);
    texts.sort(numeric
        ? Comparator.<String>comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
        : Comparator.<String>naturalOrder());
    if (texts.size() < 2) {
      throw new InvalidInputException(table.source(), column, "the label column has only one class '"
          + texts.get(0) + "' in all " + count(rows.length, "labelled row") + "; classification needs at least two");
    }
    return new Labels(rows, task, List.copyOf(texts), coded ? classesByCode(table, label, rows, texts)
        : classes(table, label, rows, texts, ids, distinct), null, missing);
  }

  /** Each labelled row's class, read from its text code (every cell of the label column has one). */
  private static int[] classesByCode(CsvTable table, int label, int[] rows, List<String> classes) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.putIfAbsent(classes.get(i), i);
    }
    String[] texts = table.texts(label);
    int[] classOf = new int[texts.length];
    for (int code = 0; code < texts.length; code++) {
      classOf[code] = index.getOrDefault(texts[code], -1);
    }
    int[] y = new int[rows.length];
    for (int from = 0, chunk = 0; from < rows.length; ) {
      chunk = table.chunkOf(rows[from], chunk);
      int to = table.runEnd(rows, from, rows.length, chunk);
      classesOfRun(table.chunkCodes(chunk, label), rows, from, to, table.chunkStart(chunk), classOf, y);
      from = to;
    }
    return y;
  }

  private static void classesOfRun(int[] codes, int[] rows, int from, int to, int start, int[] classOf, int[] y) {
    for (int i = from; i < to; i++) {
      y[i] = classOf[codes[rows[i] - start] - 1];
    }
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
    int[] rows = labelled(table, label, na);
    int missing = table.rowCount() - rows.length;
    if (task == Task.REGRESSION) {
      return new Labels(rows, task, List.of(), null, targets(table, label, rows), missing);
    }
    List<String> distinct = new ArrayList<>();
    int[] ids = table.textIds(label, distinct);
    return new Labels(rows, task, classes, classes(table, label, rows, classes, ids, distinct), null, missing);
  }

  /**
   * The rows whose label is not missing, in file order. A text is looked at once per distinct text, and a number
   * spelled from its float only where a missing-value spelling could be a number.
   */
  private static int[] labelled(CsvTable table, int label, Set<String> na) {
    String[] texts = table.texts(label);
    boolean[] missingText = new boolean[texts.length];
    for (int i = 0; i < texts.length; i++) {
      missingText[i] = isMissing(texts[i], na);
    }
    boolean naNumbers = TableSchema.spellsNumbers(na);
    int[] rows = new int[table.rowCount()];
    int n = 0;
    for (int k = 0; k < table.chunks(); k++) {
      int[] codes = table.chunkCodes(k, label);
      float[] v = table.chunkValues(k, label);
      for (int r = 0, row = table.chunkStart(k); row < table.chunkStart(k + 1); r++, row++) {
        int code = codes == null ? 0 : codes[r];
        boolean missing = code != 0 ? missingText[code - 1] : naNumbers && isMissing(CsvTable.spell(v[r]), na);
        if (!missing) {
          rows[n++] = row;
        }
      }
    }
    return Arrays.copyOf(rows, n);
  }

  /** The encoded, labelled dataset of the rows of {@code labels} (features before scaling). */
  public static Dataset dataset(CsvTable table, TableSchema schema, Labels labels) {
    Matrix x = schema.encode(table, List.of(labels.rows())).get(0);
    int[] all = new int[labels.rows().length];
    Arrays.setAll(all, i -> i);
    return dataset(table.source(), schema, x, labels, all);
  }

  /**
   * The labelled dataset of some of the labelled rows, already encoded by {@code schema} (features before
   * scaling): row i of {@code features} is labelled row {@code positions[i]}, an index into {@code labels.rows()},
   * as a {@link Splits#rows split} names them. The dataset holds {@code features} itself, not a copy.
   */
  public static Dataset dataset(String source, TableSchema schema, Matrix features, Labels labels, int[] positions) {
    if (features.rows() != positions.length) {
      throw new IllegalArgumentException(features.rows() + " encoded rows for " + positions.length + " positions");
    }
    if (labels.task() == Task.REGRESSION) {
      float[] y = new float[positions.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = labels.targets()[positions[i]];
      }
      return Dataset.regression(source, schema.inputNames(), features, Matrix.wrap(y.length, 1, y));
    }
    int[] y = new int[positions.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = labels.classIndex()[positions[i]];
    }
    return Dataset.classification(source, schema.inputNames(), features, labels.classes(), y);
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

  /** Each row's class index, from the label's text ids; the first row whose text is not a class is an error. */
  private static int[] classes(CsvTable table, int label, int[] rows, List<String> classes, int[] ids,
      List<String> distinct) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.putIfAbsent(classes.get(i), i);
    }
    int[] classOf = new int[distinct.size()];
    for (int id = 0; id < classOf.length; id++) {
      Integer k = index.get(distinct.get(id));
      classOf[id] = k == null ? -1 : k;
    }
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      int k = classOf[ids[rows[i]]];
      if (k < 0) {
        throw new InvalidInputException(table.source(), place(table, rows[i], label), "'"
            + distinct.get(ids[rows[i]]) + "' is not one of the model's classes: " + String.join(", ", classes));
      }
      y[i] = k;
    }
    return y;
  }

  private static float[] targets(CsvTable table, int label, int[] rows) {
    float[] y = new float[rows.length];
    for (int i = 0, k = 0; i < rows.length; i++) {
      int r = rows[i];
      k = table.chunkOf(r, k);
      y[i] = table.chunkValues(k, label)[r - table.chunkStart(k)];
      if (!Float.isFinite(y[i])) {
        throw new InvalidInputException(table.source(), place(table, r, label), "'" + table.text(r, label)
            + "' is not a number; a regression label must be one");
      }
    }
    return y;
  }

  private static Task inferTask(CsvTable table, int label, int[] rows) {
    for (int i = 0, k = 0; i < rows.length; i++) {
      k = table.chunkOf(rows[i], k);
      if (!Float.isFinite(table.chunkValues(k, label)[rows[i] - table.chunkStart(k)])) {
        return Task.CLASSIFICATION;
      }
    }
    Set<Double> distinct = new HashSet<>();
    for (int i = 0, k = 0; i < rows.length && distinct.size() <= CsvTable.MAX_INFERRED_CLASSES; i++) {
      k = table.chunkOf(rows[i], k);
      distinct.add((double) table.chunkValues(k, label)[rows[i] - table.chunkStart(k)]);
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

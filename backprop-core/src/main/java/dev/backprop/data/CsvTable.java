package dev.backprop.data;

import dev.backprop.InvalidInputException;
import dev.backprop.tensor.Matrix;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A CSV file with a header row, held in memory as text, and its conversion to a {@link Dataset}.
 *
 * <p>Format (RFC 4180, UTF-8): the first non-empty line names the columns; every later record must have one
 * field per column. Fields are separated by commas and may be enclosed in double quotes ({@code ""} inside
 * quotes is a quote; quoted fields may hold commas and line breaks). LF and CRLF line ends, a leading UTF-8
 * byte order mark, a missing final newline and completely empty lines are accepted. Whitespace around
 * unquoted fields is removed.
 *
 * <p>Numbers are decimal, optionally signed, with an optional exponent ({@code -1.5e3}); NaN, infinities,
 * empty cells and anything else are rejected. Every problem throws an {@link InvalidInputException} whose
 * place is {@code "line L, column C (name)"}: the 1-based line where the record starts, the 1-based column
 * and its header name ({@code "line L, column C"} for the header itself, {@code "column C (name)"} for a
 * problem of a whole column, such as a label column with a single class).
 */
public final class CsvTable {
  /** The most distinct integer labels for which a task is inferred to be classification. */
  public static final int MAX_INFERRED_CLASSES = 50;

  private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE = Pattern.compile("[+-]?(?:nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final Pattern INDEX = Pattern.compile("\\d{1,9}");

  private final String source;
  private final List<String> header;
  private final Map<String, Integer> columns;
  private final List<String[]> rows;
  private final int[] lines;

  private CsvTable(String source, List<String> header, List<String[]> rows, int[] lines) {
    this.source = source;
    this.header = List.copyOf(header);
    this.rows = rows;
    this.lines = lines;
    this.columns = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      columns.put(header.get(i), i);
    }
  }

  /**
   * Reads a UTF-8 CSV file; the path, as given, is the source named in messages.
   *
   * @throws InvalidInputException if the file cannot be read or is not a CSV table as described above
   */
  public static CsvTable read(Path file) {
    String source = file.toString();
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(source, "", "is a directory, expected a CSV file");
    }
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(source, in);
    } catch (NoSuchFileException e) {
      throw new InvalidInputException(source, "", "file not found");
    } catch (AccessDeniedException e) {
      throw new InvalidInputException(source, "", "cannot read the file: permission denied");
    } catch (IOException e) {
      throw new InvalidInputException(source, "", "cannot read the file: " + e.getMessage());
    }
  }

  /**
   * Parses CSV text from {@code in}, which is read to its end but not closed.
   *
   * @param source the name of the input in messages, e.g. a file or a built-in dataset name
   * @throws InvalidInputException if the text is not a CSV table as described above
   */
  public static CsvTable parse(String source, Reader in) {
    Objects.requireNonNull(source, "source");
    CsvParser parser = new CsvParser(source, in);
    CsvParser.Record head = parser.next();
    if (head == null) {
      throw new InvalidInputException(source, "", "the file is empty; expected a header row naming the columns");
    }
    List<String> header = checkHeader(source, head);
    parser.names(header);
    List<String[]> rows = new ArrayList<>();
    int[] lines = new int[16];
    for (CsvParser.Record r = parser.next(); r != null; r = parser.next()) {
      if (r.fields().length != header.size()) {
        throw new InvalidInputException(source, "line " + r.line(),
            "has " + count(r.fields().length, "field") + ", expected " + header.size() + " like the header");
      }
      if (rows.size() == lines.length) {
        lines = Arrays.copyOf(lines, 2 * lines.length);
      }
      lines[rows.size()] = r.line();
      rows.add(r.fields());
    }
    if (rows.isEmpty()) {
      throw new InvalidInputException(source, "", "no data rows after the header on line " + head.line());
    }
    return new CsvTable(source, header, rows, Arrays.copyOf(lines, rows.size()));
  }

  private static List<String> checkHeader(String source, CsvParser.Record head) {
    String[] names = head.fields();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.length; i++) {
      if (names[i].isEmpty()) {
        throw new InvalidInputException(source, "line " + head.line() + ", column " + (i + 1),
            "the header name is empty; every column needs a name");
      }
      Integer first = seen.putIfAbsent(names[i], i);
      if (first != null) {
        throw new InvalidInputException(source, "line " + head.line() + ", column " + (i + 1), "columns "
            + (first + 1) + " and " + (i + 1) + " are both named '" + names[i] + "'; header names must be unique");
      }
    }
    return List.of(names);
  }

  /** The file or dataset name used in messages. */
  public String source() {
    return source;
  }

  /** The column names, in file order. */
  public List<String> header() {
    return header;
  }

  /** The number of data rows (the header is not counted). */
  public int rowCount() {
    return rows.size();
  }

  /** Whether a column has exactly this header name. */
  public boolean hasColumn(String name) {
    return columns.containsKey(name);
  }

  /**
   * The 0-based index of a column given by its header name or by a 0-based index written as digits (a name
   * wins when a column is named like a number).
   *
   * @throws InvalidInputException naming the value and the available columns if there is no such column
   */
  public int columnIndex(String nameOrIndex) {
    Integer byName = columns.get(nameOrIndex);
    if (byName != null) {
      return byName;
    }
    String text = nameOrIndex.strip();
    if (INDEX.matcher(text).matches() && Integer.parseInt(text) < header.size()) {
      return Integer.parseInt(text);
    }
    throw new InvalidInputException(source, "", "no column '" + nameOrIndex + "'; expected one of "
        + String.join(", ", header) + ", or a 0-based index below " + header.size());
  }

  /**
   * Builds a training dataset: the label column is the target and every other column is a float feature.
   *
   * <p>When {@code task} is null it is inferred: classification if a label is not a number, or if all labels
   * are integers with at most {@value #MAX_INFERRED_CLASSES} distinct values; regression otherwise. Classes
   * are the distinct label texts, in numeric order when all are numbers (so "2" comes before "10"), else in
   * {@link String#compareTo} order. Regression has one target column.
   *
   * @param labelColumn the label's header name or 0-based index; null for the last column
   * @param task the task, or null to infer it from the labels
   * @throws InvalidInputException for an unknown label column, a feature cell that is not a finite number,
   *     an empty label, a regression label that is not a finite number, or fewer than two classes
   */
  public Dataset toDataset(String labelColumn, Task task) {
    int label = labelColumn == null ? header.size() - 1 : columnIndex(labelColumn);
    if (header.size() < 2) {
      throw new InvalidInputException(source, "", "the only column is the label '" + header.get(label)
          + "'; a dataset needs at least one feature column");
    }
    int[] featureColumns = new int[header.size() - 1];
    List<String> featureNames = new ArrayList<>();
    for (int c = 0, k = 0; c < header.size(); c++) {
      if (c != label) {
        featureColumns[k++] = c;
        featureNames.add(header.get(c));
      }
    }
    Matrix features = featureMatrix(featureColumns);
    if (task == Task.REGRESSION) {
      return Dataset.regression(source, featureNames, features, targets(label));
    }
    String[] labels = labelTexts(label);
    if (task == null && inferTask(labels) == Task.REGRESSION) {
      return Dataset.regression(source, featureNames, features, targets(label));
    }
    List<String> classes = sortedClasses(labels);
    if (classes.size() < 2) {
      throw new InvalidInputException(source, "column " + (label + 1) + " (" + header.get(label) + ")",
          "the label column has only one class '" + classes.get(0) + "' in all " + count(labels.length, "row")
          + "; classification needs at least two");
    }
    Map<String, Integer> classIndex = indexOf(classes);
    int[] y = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      y[i] = classIndex.get(labels[i]);
    }
    return Dataset.classification(source, featureNames, features, classes, y);
  }

  /**
   * Builds a dataset that fits a saved model: the features are the named columns in the given order (other
   * columns are ignored) and the target is the column {@code labelName}.
   *
   * @param featureNames the model's feature columns, in the model's order
   * @param labelName the model's label column
   * @param task the model's task
   * @param classes the model's classes, in output order (ignored for regression)
   * @throws InvalidInputException for missing columns, a feature cell that is not a finite number, a label
   *     that is not one of {@code classes}, or a regression label that is not a finite number
   */
  public Dataset toDataset(List<String> featureNames, String labelName, Task task, List<String> classes) {
    Objects.requireNonNull(task, "task");
    int[] featureColumns = columnsByName(featureNames);
    if (!hasColumn(labelName)) {
      throw new InvalidInputException(source, "", "no label column '" + labelName + "'; the columns are "
          + String.join(", ", header));
    }
    int label = columns.get(labelName);
    Matrix features = featureMatrix(featureColumns);
    if (task == Task.REGRESSION) {
      return Dataset.regression(source, featureNames, features, targets(label));
    }
    Map<String, Integer> classIndex = indexOf(classes);
    String[] labels = labelTexts(label);
    int[] y = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      Integer k = classIndex.get(labels[i]);
      if (k == null) {
        throw new InvalidInputException(source, place(i, label), "'" + labels[i]
            + "' is not one of the model's classes: " + String.join(", ", classes));
      }
      y[i] = k;
    }
    return Dataset.classification(source, featureNames, features, classes, y);
  }

  /**
   * The named columns, in the given order, as a rows x names float32 matrix (for prediction; other columns,
   * including any label, are ignored).
   *
   * @throws InvalidInputException listing missing columns, or naming a cell that is not a finite number
   */
  public Matrix features(List<String> featureNames) {
    return featureMatrix(columnsByName(featureNames));
  }

  private int[] columnsByName(List<String> names) {
    int[] result = new int[names.size()];
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < result.length; i++) {
      Integer c = columns.get(names.get(i));
      if (c == null) {
        missing.add(names.get(i));
      } else {
        result[i] = c;
      }
    }
    if (!missing.isEmpty()) {
      throw new InvalidInputException(source, "", "missing feature " + (missing.size() == 1 ? "column " : "columns ")
          + String.join(", ", missing) + "; the model needs " + String.join(", ", names) + " and the file has "
          + String.join(", ", header));
    }
    return result;
  }

  private Matrix featureMatrix(int[] featureColumns) {
    Matrix m = Matrix.zeros(rows.size(), featureColumns.length);
    float[] x = m.floats();
    for (int r = 0, i = 0; r < rows.size(); r++) {
      for (int c : featureColumns) {
        x[i++] = checkedNumber(r, c);
      }
    }
    return m;
  }

  private Matrix targets(int label) {
    Matrix m = Matrix.zeros(rows.size(), 1);
    float[] y = m.floats();
    for (int r = 0; r < rows.size(); r++) {
      if (rows.get(r)[label].isBlank()) {
        throw new InvalidInputException(source, place(r, label), "empty label cell; every row needs a label");
      }
      y[r] = checkedNumber(r, label);
    }
    return m;
  }

  private String[] labelTexts(int label) {
    String[] labels = new String[rows.size()];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = rows.get(r)[label].strip();
      if (labels[r].isEmpty()) {
        throw new InvalidInputException(source, place(r, label), "empty label cell; every row needs a label");
      }
    }
    return labels;
  }

  private float checkedNumber(int row, int column) {
    String text = rows.get(row)[column].strip();
    if (text.isEmpty()) {
      throw new InvalidInputException(source, place(row, column), "empty cell, expected a number");
    }
    if (!NUMBER.matcher(text).matches()) {
      String problem = NON_FINITE.matcher(text).matches() ? "is not a finite number" : "is not a number";
      throw new InvalidInputException(source, place(row, column), "'" + text + "' " + problem);
    }
    float value = (float) Double.parseDouble(text);
    if (Float.isInfinite(value)) {
      throw new InvalidInputException(source, place(row, column), "'" + text + "' is outside the float32 range");
    }
    return value;
  }

  private static Task inferTask(String[] labels) {
    Set<Double> distinct = new HashSet<>();
    for (String label : labels) {
      if (!NUMBER.matcher(label).matches()) {
        return Task.CLASSIFICATION;
      }
      distinct.add(Double.parseDouble(label));
    }
    boolean integers = distinct.stream().allMatch(v -> v == Math.rint(v));
    return integers && distinct.size() <= MAX_INFERRED_CLASSES ? Task.CLASSIFICATION : Task.REGRESSION;
  }

  private static List<String> sortedClasses(String[] labels) {
    List<String> classes = new ArrayList<>(new LinkedHashSet<>(Arrays.asList(labels)));
    boolean numeric = classes.stream().allMatch(s -> NUMBER.matcher(s).matches());
    classes.sort(numeric
        ? Comparator.<String>comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
        : Comparator.<String>naturalOrder());
    return classes;
  }

  private static Map<String, Integer> indexOf(List<String> values) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < values.size(); i++) {
      index.putIfAbsent(values.get(i), i);
    }
    return index;
  }

  private String place(int row, int column) {
    return "line " + lines[row] + ", column " + (column + 1) + " (" + header.get(column) + ")";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  // ---- Cell accessors: the only way the schema and encoder read cells (begin) ----
  // A simple implementation over the String rows; the compact storage re-implements exactly these signatures.

  /** Whether the cell holds a decimal number as {@link #toDataset} accepts it (after trimming). */
  public boolean isNumber(int row, int col) {
    return NUMBER.matcher(rows.get(row)[col].strip()).matches();
  }

  /** The cell's number, or NaN when it is not a number as {@link #isNumber} decides. */
  public double number(int row, int col) {
    String text = rows.get(row)[col].strip();
    return NUMBER.matcher(text).matches() ? Double.parseDouble(text) : Double.NaN;
  }

  /** The cell's text, unquoted and trimmed; "" for an empty cell. */
  public String text(int row, int col) {
    return rows.get(row)[col].strip();
  }
  // ---- Cell accessors (end) ----
}

package dev.backprop.data;

import dev.backprop.InvalidInputException;
import dev.backprop.tensor.Matrix;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A CSV file with a header row, held in memory by column, and its conversion to a {@link Dataset}.
 *
 * <p>Storage: per column a float32 per row (NaN where the cell is not a number) and, only where needed, an int
 * code per row into the column's distinct texts: cells that are not finite numbers always have one; numbers
 * have one unless the column holds more than {@value CsvChunk#MAX_NUMBER_TEXTS} distinct numbers, and then
 * {@link #text} spells them from their float. The file is parsed from its bytes, without a String per cell,
 * in blocks of a few megabytes on several threads; the table and the first problem reported do not depend on
 * the number of threads. Gzip-compressed files are read too.
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
  /**
   * The most distinct integer labels inferred as classes: more are read as a count or a measurement (a table's
   * daily ozone level, 1 to 38, is not 35 classes of a few rows each); --task overrides.
   */
  public static final int MAX_INFERRED_CLASSES = 20;

  private static final Pattern NUMBER = Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");
  private static final Pattern NON_FINITE = Pattern.compile("[+-]?(?:nan|inf|infinity)", Pattern.CASE_INSENSITIVE);
  private static final Pattern INDEX = Pattern.compile("\\d{1,9}");

  private final String source;
  private final List<String> header;
  private final Map<String, Integer> columns;
  private final int rowCount;
  /** The first row of each chunk, and a last entry: the row count. */
  private final int[] starts;
  /** Per chunk and column, the cells' floats. */
  private final float[][][] values;
  /** Per chunk and column, code + 1 into {@code texts} of each cell (0: spelled from its float), or null. */
  private final int[][][] codes;
  /** Per chunk, the line where each row's record starts. */
  private final int[][] lines;
  /** Per column, its distinct texts in order of first appearance. */
  private final String[][] texts;
  /** Per column, whether its numbers are spelled from their floats rather than kept as texts. */
  private final boolean[] spelled;
  private final String sha256;

  private CsvTable(String source, CsvReader.Parts parts, String sha256) {
    this.source = source;
    this.header = List.copyOf(parts.header());
    this.sha256 = sha256;
    this.columns = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      columns.put(header.get(i), i);
    }
    List<CsvChunk> chunks = parts.chunks();
    int n = chunks.size();
    starts = new int[n + 1];
    values = new float[n][][];
    codes = new int[n][][];
    lines = new int[n][];
    long rows = 0;
    for (int i = 0; i < n; i++) {
      CsvChunk c = chunks.get(i);
      starts[i] = (int) rows;
      rows += c.rows;
      if (rows > Integer.MAX_VALUE - 8) {
        throw new InvalidInputException(source, "", "has more than " + (Integer.MAX_VALUE - 8) + " rows");
      }
      values[i] = c.values;
      codes[i] = c.codes;
      lines[i] = c.recordLines;
      for (int r = 0; r < c.rows; r++) {
        lines[i][r] += parts.firstLines()[i];
      }
    }
    rowCount = (int) rows;
    starts[n] = rowCount;
    texts = new String[header.size()][];
    spelled = new boolean[header.size()];
    for (int col = 0; col < header.size(); col++) {
      mergeTexts(chunks, col);
    }
  }

  /**
   * Gives the column one list of texts over all chunks, in order of first appearance. Its numbers are spelled
   * from their floats when any chunk stopped keeping them, or when together they have too many distinct ones,
   * so that the choice does not depend on how the file was cut into chunks.
   */
  private void mergeTexts(List<CsvChunk> chunks, int col) {
    boolean spell = false;
    Set<String> numbers = new HashSet<>();
    for (CsvChunk c : chunks) {
      spell |= c.numbersDropped[col];
      for (int k = 0; !spell && k < c.texts[col].size(); k++) {
        if (c.texts[col].isNumeric(k) && numbers.add(c.texts[col].text(k))
            && numbers.size() > CsvChunk.MAX_NUMBER_TEXTS) {
          spell = true;
        }
      }
    }
    spelled[col] = spell;
    Map<String, Integer> index = new HashMap<>();
    List<String> distinct = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      CsvChunk c = chunks.get(i);
      int[] cellCodes = c.codes[col];
      if (cellCodes == null) {
        continue;
      }
      CsvTexts local = c.texts[col];
      int[] remap = new int[local.size() + 1];
      for (int k = 0; k < local.size(); k++) {
        if (!(spell && local.isNumeric(k))) {
          String text = local.text(k);
          Integer code = index.get(text);
          if (code == null) {
            code = distinct.size();
            index.put(text, code);
            distinct.add(text);
          }
          remap[k + 1] = code + 1;
        }
      }
      boolean any = false;
      for (int r = 0; r < cellCodes.length; r++) {
        cellCodes[r] = remap[cellCodes[r]];
        any |= cellCodes[r] != 0;
      }
      codes[i][col] = any ? cellCodes : null;
    }
    texts[col] = distinct.toArray(new String[0]);
  }

  /**
   * Reads a UTF-8 CSV file, plain or gzip-compressed, on all processors; the path, as given, is the source
   * named in messages.
   *
   * @throws InvalidInputException if the file cannot be read or is not a CSV table as described above
   */
  public static CsvTable read(Path file) {
    return read(file, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Reads a UTF-8 CSV file, plain or gzip-compressed (recognised by its first bytes), parsing on
   * {@code threads} threads; the result does not depend on their number.
   *
   * @throws InvalidInputException if the file cannot be read or is not a CSV table as described above
   */
  public static CsvTable read(Path file, int threads) {
    String source = file.toString();
    if (Files.isDirectory(file)) {
      throw new InvalidInputException(source, "", "is a directory, expected a CSV file");
    }
    MessageDigest digest = sha256Digest();
    try (InputStream raw = Files.newInputStream(file)) {
      InputStream in = new BufferedInputStream(new DigestInputStream(raw, digest), 1 << 16);
      in.mark(2);
      boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
      in.reset();
      if (gzip) {
        in = new GZIPInputStream(in, 1 << 16);
      }
      CsvReader.Parts parts = readParts(source, in, threads);
      // the digest covers the whole file, also what the parser did not need to read (a gzip trailer)
      raw.transferTo(java.io.OutputStream.nullOutputStream());
      return new CsvTable(source, parts, HexFormat.of().formatHex(digest.digest()));
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
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        text.append(buffer, 0, n);
      }
    } catch (CharacterCodingException e) {
      throw new InvalidInputException(source, "line " + (1 + lineBreaks(text)), "the text is not valid UTF-8");
    } catch (IOException e) {
      throw new InvalidInputException(source, "line " + (1 + lineBreaks(text)), "cannot read further: "
          + e.getMessage());
    }
    return parse(source, text.toString().getBytes(StandardCharsets.UTF_8), 1);
  }

  /** Parses CSV bytes (UTF-8, or gzip data of UTF-8) on {@code threads} threads. */
  static CsvTable parse(String source, byte[] bytes, int threads) {
    InputStream in = new ByteArrayInputStream(bytes);
    if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
      try {
        in = new GZIPInputStream(in);
      } catch (IOException e) {
        throw new InvalidInputException(source, "", "cannot read the gzip data: " + e.getMessage());
      }
    }
    return new CsvTable(source, readParts(source, in, threads), null);
  }

  private static CsvReader.Parts readParts(String source, InputStream in, int threads) {
    CsvReader.Parts parts = CsvReader.read(source, in, threads, head -> checkHeader(source, head));
    if (parts.chunks().stream().allMatch(c -> c.rows == 0)) {
      throw new InvalidInputException(source, "", "no data rows after the header on line " + parts.headerLine());
    }
    return parts;
  }

  private static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static int lineBreaks(CharSequence text) {
    int lines = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
        lines++;
      }
    }
    return lines;
  }

  private static void checkHeader(String source, CsvChunk.Header head) {
    List<String> names = head.names();
    int line = 1 + head.line();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i).isEmpty()) {
        throw new InvalidInputException(source, "line " + line + ", column " + (i + 1),
            "the header name is empty; every column needs a name");
      }
      Integer first = seen.putIfAbsent(names.get(i), i);
      if (first != null) {
        throw new InvalidInputException(source, "line " + line + ", column " + (i + 1), "columns "
            + (first + 1) + " and " + (i + 1) + " are both named '" + names.get(i) + "'; header names must be unique");
      }
    }
  }

  /** The hex SHA-256 of the file's bytes as stored (compressed for a gzip file), or null when not read from a file. */
  String sha256() {
    return sha256;
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
    return rowCount;
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
    Matrix m = Matrix.zeros(rowCount, featureColumns.length);
    float[] x = m.floats();
    int k = featureColumns.length;
    // Row by row, so that the first bad cell reported is the first in file order, as it always was.
    for (int chunk = 0; chunk < values.length; chunk++) {
      float[][] v = values[chunk];
      int base = starts[chunk];
      int n = starts[chunk + 1] - base;
      for (int j = 0; j < k; j++) {
        float[] column = v[featureColumns[j]];
        for (int r = 0, i = base * k + j; r < n; r++, i += k) {
          x[i] = column[r];
        }
      }
      for (int r = 0; r < n; r++) {
        for (int j = 0, i = (base + r) * k; j < k; j++, i++) {
          if (!Float.isFinite(x[i])) {
            throw cellProblem(base + r, featureColumns[j]);
          }
        }
      }
    }
    return m;
  }

  private Matrix targets(int label) {
    Matrix m = Matrix.zeros(rowCount, 1);
    float[] y = m.floats();
    for (int r = 0; r < rowCount; r++) {
      if (!isNumber(r, label)) {
        if (text(r, label).isEmpty()) {
          throw new InvalidInputException(source, place(r, label), "empty label cell; every row needs a label");
        }
        throw cellProblem(r, label);
      }
      y[r] = (float) number(r, label);
    }
    return m;
  }

  private String[] labelTexts(int label) {
    String[] labels = new String[rowCount];
    for (int r = 0; r < labels.length; r++) {
      labels[r] = text(r, label);
      if (labels[r].isEmpty()) {
        throw new InvalidInputException(source, place(r, label), "empty label cell; every row needs a label");
      }
    }
    return labels;
  }

  /** The problem of a cell that is not a finite float32 number, in the words the reader has always used. */
  private InvalidInputException cellProblem(int row, int column) {
    String text = text(row, column);
    if (text.isEmpty()) {
      return new InvalidInputException(source, place(row, column), "empty cell, expected a number");
    }
    if (!NUMBER.matcher(text).matches()) {
      String problem = NON_FINITE.matcher(text).matches() ? "is not a finite number" : "is not a number";
      return new InvalidInputException(source, place(row, column), "'" + text + "' " + problem);
    }
    return new InvalidInputException(source, place(row, column), "'" + text + "' is outside the float32 range");
  }

  /**
   * Whether the cell is a decimal number that the reader accepts as a feature: {@code [+-]?digits[.digits][e[+-]digits]}
   * (surrounding whitespace aside) whose float32 value is finite.
   */
  public boolean isNumber(int row, int col) {
    return Float.isFinite(cell(row, col));
  }

  /** The cell's float32 value, or NaN when it is not a number as {@link #isNumber} says. */
  public double number(int row, int col) {
    float v = cell(row, col);
    return Float.isFinite(v) ? v : Double.NaN;
  }

  /**
   * The cell's text: unquoted, without surrounding whitespace, "" for an empty cell. A number in a column of
   * more than {@value CsvChunk#MAX_NUMBER_TEXTS} distinct numbers is spelled from its float32 value (an
   * integer without a fraction, otherwise {@link Float#toString}), not necessarily as the file wrote it.
   */
  public String text(int row, int col) {
    int chunk = chunkOf(row);
    int[] c = codes[chunk][col];
    int code = c == null ? 0 : c[row - starts[chunk]];
    if (code != 0) {
      return texts[col][code - 1];
    }
    return spell(values[chunk][col][row - starts[chunk]]);
  }

  /** The number of blocks the rows are stored in. */
  int chunks() {
    return values.length;
  }

  /** The first row of chunk {@code k}; for k = {@link #chunks()}, the row count. */
  int chunkStart(int k) {
    return starts[k];
  }

  /** Column {@code col}'s floats in chunk {@code k} (NaN where a cell is not a number). Not to be modified. */
  float[] chunkValues(int k, int col) {
    return values[k][col];
  }

  /**
   * Column {@code col}'s text codes in chunk {@code k}: code + 1 into {@link #texts(int)}, 0 where the text is the
   * float's own spelling ({@link #spell}); null when every cell's is. Not to be modified.
   */
  int[] chunkCodes(int k, int col) {
    return codes[k][col];
  }

  /** Whether some numbers of column {@code col} have no text code (their text is their float's spelling). */
  boolean spelled(int col) {
    return spelled[col];
  }

  /** Column {@code col}'s distinct texts, by code (in order of first appearance). Not to be modified. */
  String[] texts(int col) {
    return texts[col];
  }

  /**
   * The chunk that holds {@code row}, searched forward from chunk {@code from} when the row is not before it: rows
   * visited in ascending order cost a step now and then instead of a search each.
   */
  int chunkOf(int row, int from) {
    if (from < 0 || from >= starts.length - 1 || row < starts[from] || row >= rowCount) {
      return chunkOf(row);
    }
    int k = from;
    while (row >= starts[k + 1]) {
      k++;
    }
    return k;
  }

  /**
   * The end, at most {@code limit}, of the run of {@code rows} from index {@code from} on that lie in chunk
   * {@code k}, which holds rows[from]; null rows stand for 0, 1, 2, ... Rows in ascending order come in a few long
   * runs, each read from one chunk's arrays.
   */
  int runEnd(int[] rows, int from, int limit, int k) {
    int start = starts[k];
    int end = starts[k + 1];
    if (rows == null) {
      return Math.min(limit, end);
    }
    int i = from + 1;
    while (i < limit && rows[i] >= start && rows[i] < end) {
      i++;
    }
    return i;
  }

  /**
   * Per row, the index of its text in column {@code col} in {@code distinct}, which receives the column's distinct
   * texts in order of first appearance: each distinct text is looked at once, not once per row.
   */
  int[] textIds(int col, List<String> distinct) {
    int[] ids = new int[rowCount];
    int[] byCode = new int[texts[col].length];
    Map<String, Integer> index = new HashMap<>();
    for (int k = 0; k < values.length; k++) {
      int[] c = codes[k][col];
      float[] v = values[k][col];
      for (int r = 0, i = starts[k]; i < starts[k + 1]; r++, i++) {
        int code = c == null ? 0 : c[r];
        if (code != 0 && byCode[code - 1] != 0) {
          ids[i] = byCode[code - 1] - 1;
          continue;
        }
        String text = code != 0 ? texts[col][code - 1] : spell(v[r]);
        Integer id = index.get(text);
        if (id == null) {
          id = distinct.size();
          index.put(text, id);
          distinct.add(text);
        }
        if (code != 0) {
          byCode[code - 1] = id + 1;
        }
        ids[i] = id;
      }
    }
    return ids;
  }

  static String spell(float v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15f) {
      return Long.toString((long) v);
    }
    return Float.toString(v);
  }

  private float cell(int row, int col) {
    Objects.checkIndex(col, header.size());
    int chunk = chunkOf(row);
    return values[chunk][col][row - starts[chunk]];
  }

  private int chunkOf(int row) {
    Objects.checkIndex(row, rowCount);
    int i = Arrays.binarySearch(starts, 0, starts.length - 1, row);
    if (i < 0) {
      return -i - 2;
    }
    // chunks without rows share their start with the next one
    while (starts[i + 1] == row) {
      i++;
    }
    return i;
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
    int chunk = chunkOf(row);
    return "line " + lines[chunk][row - starts[chunk]] + ", column " + (column + 1) + " (" + header.get(column) + ")";
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}

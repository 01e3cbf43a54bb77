package dev.backprop.data;

import dev.backprop.InvalidInputException;
import dev.backprop.tensor.Matrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The fitted, immutable schema of a table: for every column but the label, its kind and what was fitted on the
 * training rows (the median of a numeric column and whether it had gaps, the levels of a categorical one), and
 * the encoding into network inputs that follows from it. Training and prediction encode rows through the same
 * {@link #encode} code, matching columns by name in any order.
 *
 * <p>Inputs, in column order: a numeric column gives itself (a gap: the training median) and, when it had gaps in
 * training, {@code "name (missing)"} (1 for a gap); a boolean gives {@code "name=B"}, 1 when the cell is B, the
 * second of its two values; a categorical gives {@code "name=LEVEL"} per level, then {@code "name=(other)"} when
 * rare levels were pooled and {@code "name=(missing)"} when it had gaps. A category never seen in training goes
 * to "(other)" when the column has it and to no level otherwise; either way it is counted in
 * {@link Encoded#unknown()}, never an error.
 */
public final class TableSchema {
  /** The level name of pooled rare categories. */
  public static final String OTHER = "(other)";
  /** The level name of a categorical gap. */
  public static final String MISSING = "(missing)";

  /**
   * One column of the training table.
   *
   * @param name the header name
   * @param kind what it is to the encoder
   * @param reason why: "inferred" or the flag that forced it, or why it is left out
   * @param median a numeric column's training median (the value of its gaps); 0 for the other kinds
   * @param missingIndicator whether a numeric column had gaps in training, so that it has an indicator input
   * @param levels a categorical column's kept levels (most frequent first), or a boolean's two values
   * @param other whether a categorical column pooled rare levels into {@link #OTHER}
   * @param missingLevel whether a categorical column had gaps in training, so that {@link #MISSING} is a level
   */
  public record Column(String name, ColumnKind kind, String reason, double median, boolean missingIndicator,
      List<String> levels, boolean other, boolean missingLevel) {
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(reason, "reason");
      levels = List.copyOf(levels);
      if (kind == ColumnKind.BOOLEAN && levels.size() != 2) {
        throw new IllegalArgumentException("boolean column '" + name + "' needs two values, has " + levels);
      }
      if (kind != ColumnKind.NUMERIC && (missingIndicator || median != 0)) {
        throw new IllegalArgumentException("only a numeric column has a median and a missing indicator: " + name);
      }
      if (!Double.isFinite(median)) {
        throw new IllegalArgumentException("column '" + name + "' has median " + median);
      }
      if (new HashSet<>(levels).size() != levels.size()) {
        throw new IllegalArgumentException("column '" + name + "' repeats a level: " + levels);
      }
    }

    /** The network inputs this column gives, in order. */
    public List<String> inputs() {
      List<String> names = new ArrayList<>();
      switch (kind) {
        case NUMERIC -> {
          names.add(name);
          if (missingIndicator) {
            names.add(name + " (missing)");
          }
        }
        case BOOLEAN -> names.add(name + "=" + levels.get(1));
        case CATEGORICAL -> {
          for (String level : levels) {
            names.add(name + "=" + level);
          }
          if (other) {
            names.add(name + "=" + OTHER);
          }
          if (missingLevel) {
            names.add(name + "=" + MISSING);
          }
        }
        case IGNORED -> { }
      }
      return names;
    }

    /** One line for headers and summaries, e.g. {@code island: categorical, 3 levels (inferred)}. */
    public String describe() {
      String what = switch (kind) {
        case NUMERIC -> "numeric" + (missingIndicator ? ", gaps filled with the median " + format(median)
            + " plus an indicator" : "");
        case BOOLEAN -> "boolean, 1 = '" + levels.get(1) + "', 0 = '" + levels.get(0) + "'";
        case CATEGORICAL -> "categorical, " + levels.size() + (levels.size() == 1 ? " level" : " levels")
            + (other ? " + " + OTHER : "") + (missingLevel ? " + " + MISSING : "");
        case IGNORED -> "ignored";
      };
      return name + ": " + what + " (" + reason + ")";
    }
  }

  /**
   * Encoded rows.
   *
   * @param features one row per input row, {@link #inputNames()} columns, before scaling
   * @param unknown per categorical column, how many cells held a category never seen in training (or a gap in a
   *     column that had none), in column order; columns without any are left out
   * @param extraColumns columns of the data that the schema does not know (ignored)
   */
  public record Encoded(Matrix features, Map<String, Integer> unknown, List<String> extraColumns) {
    /** The one-line notice about unknown categories, or null when there were none. */
    public String unknownNotice() {
      if (unknown.isEmpty()) {
        return null;
      }
      int total = unknown.values().stream().mapToInt(Integer::intValue).sum();
      List<String> parts = new ArrayList<>();
      unknown.forEach((c, n) -> parts.add(c + " " + n));
      return total + (total == 1 ? " cell held a category" : " cells held categories")
          + " not seen in training, encoded as unknown (" + String.join(", ", parts) + ")";
    }
  }

  private final List<Column> columns;
  private final String label;
  private final List<String> naValues;
  private final double targetMean;
  private final double targetScale;
  private final List<String> inputNames;
  private final Set<String> na;

  /**
   * @param columns every column of the training table but the label, in file order
   * @param label the label column's name
   * @param naValues the cell texts that mean a missing value ("" for the empty cell)
   * @param targetMean a regression target's training mean, subtracted for training (0 when not standardised)
   * @param targetScale a regression target's training standard deviation, divided by (1 when not standardised)
   */
  public TableSchema(List<Column> columns, String label, List<String> naValues, double targetMean,
      double targetScale) {
    this.columns = List.copyOf(columns);
    this.label = Objects.requireNonNull(label, "label");
    this.naValues = List.copyOf(naValues);
    if (!Double.isFinite(targetMean) || !(targetScale > 0) || Double.isInfinite(targetScale)) {
      throw new IllegalArgumentException("target mean " + targetMean + " and scale " + targetScale
          + " must be finite and the scale positive");
    }
    this.targetMean = targetMean;
    this.targetScale = targetScale;
    Set<String> seen = new HashSet<>();
    List<String> inputs = new ArrayList<>();
    for (Column c : this.columns) {
      if (!seen.add(c.name()) || c.name().equals(label)) {
        throw new IllegalArgumentException("column '" + c.name() + "' appears twice (or is the label)");
      }
      inputs.addAll(c.inputs());
    }
    this.inputNames = List.copyOf(inputs);
    this.na = new HashSet<>(this.naValues);
  }

  public List<Column> columns() {
    return columns;
  }

  public String label() {
    return label;
  }

  public List<String> naValues() {
    return naValues;
  }

  public double targetMean() {
    return targetMean;
  }

  public double targetScale() {
    return targetScale;
  }

  /** The network's inputs, in order: the model's feature names. */
  public List<String> inputNames() {
    return inputNames;
  }

  /** The same schema with the regression target's standardisation. */
  public TableSchema withTarget(double mean, double scale) {
    return new TableSchema(columns, label, naValues, mean, scale);
  }

  /** Whether a trimmed cell text means a missing value. */
  public boolean isMissing(String text) {
    return na.contains(text);
  }

  /**
   * Infers and fits the schema of {@code table} on the given training rows. The label column is left out.
   *
   * @param rows the 0-based data rows to fit on
   * @throws InvalidInputException naming the file, the column and, where there is one, the row: a column empty in
   *     every training row, a forced categorical column over the level cap, a forced numeric column holding text,
   *     or a mostly numeric column holding text
   */
  public static TableSchema fit(CsvTable table, String labelName, int[] rows, SchemaOptions options) {
    int labelColumn = table.columnIndex(labelName);
    for (Set<String> named : List.of(options.categorical(), options.numeric(), options.ignore())) {
      for (String name : named) {
        if (!table.hasColumn(name)) {
          throw new InvalidInputException(table.source(), "", "no column '" + name + "' (named by "
              + flagOf(options, name) + "); the columns are " + String.join(", ", table.header()));
        }
      }
    }
    Set<String> na = new HashSet<>(options.naValues());
    // the columns are fitted side by side, each lane of columns with one buffer for their numbers; the problem
    // reported is that of the first column that has one
    int width = table.header().size();
    Column[] fitted = new Column[width];
    RuntimeException[] problems = new RuntimeException[width];
    int lanes = Math.max(1, Math.min(width, Runtime.getRuntime().availableProcessors()));
    Tasks.run(lanes, lane -> {
      double[] numbers = new double[0];
      for (int c = lane; c < width; c += lanes) {
        if (c == labelColumn) {
          continue;
        }
        try {
          if (numbers.length < rows.length && !options.ignore().contains(table.header().get(c))) {
            numbers = new double[rows.length];
          }
          fitted[c] = fitColumn(table, c, rows, options, na, numbers);
        } catch (RuntimeException e) {
          problems[c] = e;
        }
      }
    });
    List<Column> columns = new ArrayList<>();
    for (int c = 0; c < width; c++) {
      if (problems[c] != null) {
        throw problems[c];
      }
      if (c != labelColumn) {
        columns.add(fitted[c]);
      }
    }
    return new TableSchema(columns, table.header().get(labelColumn), options.naValues(), 0, 1);
  }

  /**
   * Up to this many values a median is read from a sorted copy. The selection below clears and scans 65,536 counts
   * a round whatever the count of values: on a small table, in the first second of a run when that code still runs
   * interpreted, the schema's fit of digits' 64 columns took 0.09-0.11 s with it and 0.03-0.05 s with the sort.
   */
  static final int SORTED_MEDIAN_MAX = 4096;

  /**
   * The median of values[0, n), n >= 1: the middle value in {@link Double#compare} order, or the mean of the two middle
   * ones. A sort for a few values, else {@link #medianBySelection}, which gives the same number.
   */
  static double median(double[] values, int n) {
    if (n > SORTED_MEDIAN_MAX) {
      return medianBySelection(values, n);
    }
    double[] sorted = Arrays.copyOf(values, n);
    Arrays.sort(sorted);
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * The median of values[0, n), n >= 1, as {@link #median} defines it, found by selection on the values' bits:
   * sorting each column of a large table took seconds, and comparison-based selection still a good part of a second.
   */
  static double medianBySelection(double[] values, int n) {
    double[] middle = new double[2];
    select(values, n, (n - 1) / 2, middle);
    return n % 2 == 1 ? middle[0] : (middle[0] + middle[1]) / 2;
  }

  /**
   * The values of ranks {@code rank} and {@code rank + 1} (0-based, in {@link Double#compare} order; the second
   * only when there is one) among values[0, n), into {@code out}: a radix selection on the values' sortable bits,
   * 16 at a time from the top. Each round counts the candidates by their next 16 bits; when both ranks fall in one
   * bucket, its values are the next round's candidates, else the first rank is the largest value of its bucket and
   * the second the smallest of the next bucket that has any. At most four rounds, over fewer values each time.
   */
  private static void select(double[] values, int n, int rank, double[] out) {
    int[] counts = new int[1 << 16];
    double[] candidates = values;
    int size = n;
    boolean pair = rank + 1 < n;
    for (int shift = 48; ; shift -= 16) {
      count(candidates, size, shift, counts);
      int low = 0;
      while (rank >= counts[low]) {
        rank -= counts[low++];
      }
      int high = low;
      if (pair && rank + 1 == counts[low]) {
        do {
          high++;
        } while (counts[high] == 0);
      }
      if (high != low || shift == 0) {
        // the two ranks lie in two buckets, or every bit is fixed: the edges of those buckets
        long[] edges = edges(candidates, size, shift, low, high);
        out[0] = value(edges[0]);
        out[1] = high == low ? out[0] : value(edges[1]);
        return;
      }
      if (counts[low] != size) {
        candidates = bucket(candidates, size, shift, low, counts[low]);
        size = candidates.length;
      }
    }
  }

  /** Counts values[0, size) by their 16 bits from {@code shift} up. */
  private static void count(double[] values, int size, int shift, int[] counts) {
    Arrays.fill(counts, 0);
    for (int i = 0; i < size; i++) {
      counts[digit(values[i], shift)]++;
    }
  }

  /** The n values of values[0, size) whose 16 bits from {@code shift} up are {@code bucket}. */
  private static double[] bucket(double[] values, int size, int shift, int bucket, int n) {
    double[] kept = new double[n];
    for (int i = 0, j = 0; i < size; i++) {
      if (digit(values[i], shift) == bucket) {
        kept[j++] = values[i];
      }
    }
    return kept;
  }

  /** The largest key among the values in bucket {@code low} and the smallest in bucket {@code high}. */
  private static long[] edges(double[] values, int size, int shift, int low, int high) {
    long highest = 0;
    long lowest = -1;  // the largest unsigned key
    for (int i = 0; i < size; i++) {
      long k = key(values[i]);
      int d = (int) (k >>> shift) & 0xFFFF;
      if (d == low && Long.compareUnsigned(k, highest) > 0) {
        highest = k;
      }
      if (d == high && Long.compareUnsigned(k, lowest) < 0) {
        lowest = k;
      }
    }
    return new long[] {highest, lowest};
  }

  /** The 16 bits of v's {@link #key} from bit {@code shift} up. */
  private static int digit(double v, int shift) {
    return (int) (key(v) >>> shift) & 0xFFFF;
  }

  /** The bits of v as an unsigned number that orders as {@link Double#compare} orders the doubles. */
  private static long key(double v) {
    long bits = Double.doubleToLongBits(v);
    return bits ^ ((bits >> 63) | Long.MIN_VALUE);
  }

  /** The double whose {@link #key} is {@code key}. */
  private static double value(long key) {
    return Double.longBitsToDouble(key ^ ((~key >> 63) | Long.MIN_VALUE));
  }

  private static InvalidInputException emptyColumn(CsvTable table, int c, String name, int rows) {
    return new InvalidInputException(table.source(), "column " + (c + 1) + " (" + name + ")", "empty in every one "
        + "of the " + rows + " training rows; leave it out with --ignore " + name);
  }

  /** Whether a missing-value spelling could also be read as a number (e.g. -999), so numbers must be compared. */
  static boolean spellsNumbers(Set<String> na) {
    for (String s : na) {
      if (!s.isEmpty() && "+-.0123456789".indexOf(s.charAt(0)) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static String flagOf(SchemaOptions options, String name) {
    return options.categorical().contains(name) ? "--categorical"
        : options.numeric().contains(name) ? "--numeric" : "--ignore";
  }

  /**
   * Fits column c on the training rows; {@code values} has room for a number per training row (its content is not
   * kept).
   */
  private static Column fitColumn(CsvTable table, int c, int[] rows, SchemaOptions options, Set<String> na,
      double[] values) {
    String name = table.header().get(c);
    if (options.ignore().contains(name)) {
      return ignored(name, "--ignore");
    }
    boolean forcedNumeric = options.numeric().contains(name);
    boolean forcedCategorical = options.categorical().contains(name);
    // Cells are read from the table's blocks: a cell that is not a number always has a text code, and the
    // column's distinct texts are compared with the missing-value spellings once each.
    boolean[] naText = missingTexts(table.texts(c), na);
    // numbers or text is decided on every row of the file, so that a column's kind does not depend on the seed's
    // split (and a stray text in a numeric column is found whichever part it falls in); the rest on training rows
    int[] kinds = new int[2];
    int firstText = -1;
    for (int k = 0; k < table.chunks(); k++) {
      int first = countCells(table.chunkValues(k, c), table.chunkCodes(k, c), naText, kinds);
      if (firstText < 0 && first >= 0) {
        firstText = table.chunkStart(k) + first;
      }
    }
    int numbers = kinds[0];
    int texts = kinds[1];
    String reason = forcedCategorical ? "--categorical" : forcedNumeric ? "--numeric" : "inferred";
    boolean numeric = forcedNumeric || (!forcedCategorical && numbers >= texts);
    if (numeric) {
      // a number's text is read only where a missing-value spelling could be a number: spelling every cell of a
      // wide numeric column took most of the time of reading a large file
      boolean naNumbers = spellsNumbers(na);
      int k = 0;
      int[] cells = new int[2];  // missing values, and cells that are neither numbers nor missing
      for (int from = 0, chunk = 0; from < rows.length; ) {
        chunk = table.chunkOf(rows[from], chunk);
        int to = table.runEnd(rows, from, rows.length, chunk);
        int start = table.chunkStart(chunk);
        if (!naNumbers) {
          k = gatherNumbers(table.chunkValues(chunk, c), table.chunkCodes(chunk, c), naText, rows, from, to, start,
              values, k, cells);
        } else {
          // a missing-value spelling could be a number: each number's text is compared too
          float[] v = table.chunkValues(chunk, c);
          for (int i = from; i < to; i++) {
            int at = rows[i] - start;
            if (Float.isFinite(v[at]) && !isMissing(table, chunk, c, at, naText, na)) {
              values[k++] = v[at];
            } else if (isMissing(table, chunk, c, at, naText, na)) {
              cells[0]++;
            } else {
              cells[1]++;
            }
          }
        }
        from = to;
      }
      int missing = cells[0];
      int present = k + cells[1];
      if (present == 0) {
        throw emptyColumn(table, c, name, rows.length);
      }
      if (firstText >= 0) {
        throw textInNumericColumn(table, firstText, c, forcedNumeric);
      }
      double median = median(values, k);
      return new Column(name, ColumnKind.NUMERIC, reason, median, missing > 0, List.of(), false, false);
    }
    // counted by text code; a number without a code (a column of many distinct numbers) by its spelling
    String[] textOf = table.texts(c);
    int[] perCode = new int[textOf.length];
    Map<String, Integer> spelled = new HashMap<>();
    for (int from = 0, chunk = 0; from < rows.length; ) {
      chunk = table.chunkOf(rows[from], chunk);
      int to = table.runEnd(rows, from, rows.length, chunk);
      int start = table.chunkStart(chunk);
      int[] codes = table.chunkCodes(chunk, c);
      for (int i = from; i < to; i++) {
        int code = codes == null ? 0 : codes[rows[i] - start];
        if (code != 0) {
          perCode[code - 1]++;
        } else {
          spelled.merge(CsvTable.spell(table.chunkValues(chunk, c)[rows[i] - start]), 1, Integer::sum);
        }
      }
      from = to;
    }
    int missing = 0;
    Map<String, Integer> counts = new HashMap<>();
    for (int code = 0; code < perCode.length; code++) {
      if (perCode[code] > 0) {
        spelled.merge(textOf[code], perCode[code], Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> e : spelled.entrySet()) {
      if (na.contains(e.getKey())) {
        missing += e.getValue();
      } else {
        counts.put(e.getKey(), e.getValue());
      }
    }
    int present = rows.length - missing;
    if (present == 0) {
      throw emptyColumn(table, c, name, rows.length);
    }
    if (!forcedCategorical && missing == 0 && counts.size() == 1) {
      return ignored(name, "the same value in every training row");
    }
    if (!forcedCategorical && counts.size() == present && present >= 10 && counts.size() > 2) {
      return ignored(name, "a different value in every training row, like an ID");
    }
    if (!forcedCategorical && missing == 0 && counts.size() == 2) {
      List<String> two = new ArrayList<>(counts.keySet());
      Collections.sort(two);
      return new Column(name, ColumnKind.BOOLEAN, reason, 0, false, two, false, false);
    }
    List<String> levels = new ArrayList<>(counts.keySet());
    // most frequent first, ties in text order, so that the kept levels do not depend on the row order
    levels.sort(Comparator.<String>comparingInt(counts::get).reversed().thenComparing(Comparator.naturalOrder()));
    boolean other = false;
    if (levels.size() > options.maxLevels()) {
      if (forcedCategorical) {
        throw new InvalidInputException(table.source(), "column " + (c + 1) + " (" + name + ")", levels.size()
            + " distinct values in the training rows, more than the cap of " + options.maxLevels()
            + " levels for a column named by --categorical; raise --max-levels or leave the column to inference");
      }
      levels = levels.subList(0, options.maxLevels() - 1);
      other = true;
    }
    return new Column(name, ColumnKind.CATEGORICAL, reason, 0, false, levels, other, missing > 0);
  }

  /**
   * Counts one chunk's cells of a column into counts: [0] numbers, [1] other cells that are not missing values;
   * returns the index of the first of those, or -1. (Loops over large arrays in small methods: the JIT compiles each
   * once, quickly, where one large method was compiled again for each of its loops.)
   */
  private static int countCells(float[] v, int[] codes, boolean[] naText, int[] counts) {
    int numbers = 0;
    int texts = 0;
    int first = -1;
    for (int r = 0; r < v.length; r++) {
      if (Float.isFinite(v[r])) {
        numbers++;
      } else if (!naText[codes[r] - 1]) {  // a cell that is not a number always has a text code
        texts++;
        first = first < 0 ? r : first;
      }
    }
    counts[0] += numbers;
    counts[1] += texts;
    return first;
  }

  /**
   * Copies the numbers among the cells of rows[from, to), which lie in a chunk from row {@code start} on, to
   * values[k..], and counts the others into counts: [0] missing values, [1] the rest. Returns the new k. For columns
   * whose numbers cannot be missing-value spellings.
   */
  private static int gatherNumbers(float[] v, int[] codes, boolean[] naText, int[] rows, int from, int to,
      int start, double[] values, int k, int[] counts) {
    for (int i = from; i < to; i++) {
      float x = v[rows[i] - start];
      if (Float.isFinite(x)) {
        values[k++] = x;
      } else if (naText[codes[rows[i] - start] - 1]) {
        counts[0]++;
      } else {
        counts[1]++;
      }
    }
    return k;
  }

  /** For each of a column's distinct texts, whether it spells a missing value. */
  private static boolean[] missingTexts(String[] texts, Set<String> na) {
    boolean[] missing = new boolean[texts.length];
    for (int i = 0; i < texts.length; i++) {
      missing[i] = na.contains(texts[i]);
    }
    return missing;
  }

  /**
   * Whether the cell at index {@code at} of a chunk spells a missing value: by its text code, or for a number
   * without one (a column of many distinct numbers) by its float's spelling.
   */
  private static boolean isMissing(CsvTable table, int chunk, int c, int at, boolean[] naText, Set<String> na) {
    int[] codes = table.chunkCodes(chunk, c);
    int code = codes == null ? 0 : codes[at];
    return code != 0 ? naText[code - 1] : na.contains(CsvTable.spell(table.chunkValues(chunk, c)[at]));
  }

  private static Column ignored(String name, String reason) {
    return new Column(name, ColumnKind.IGNORED, reason, 0, false, List.of(), false, false);
  }

  /**
   * The error for a text cell in a numeric column. The table's own number check names the file's line, so its
   * message is used when it fails on this very cell; otherwise the data row is named.
   */
  private static InvalidInputException textInNumericColumn(CsvTable table, int row, int c, boolean forced) {
    String text = table.text(row, c);
    String note = forced ? ", and --numeric names this column" : "; most cells of this column are numbers (name it "
        + "in --categorical to read it as categories)";
    try {
      table.features(List.of(table.header().get(c)));
    } catch (InvalidInputException e) {
      if (e.getMessage().contains("'" + InvalidInputException.escape(text) + "' is not")) {
        return new InvalidInputException(table.source(), e.place(), "'" + text + "' is not a number" + note);
      }
    }
    return new InvalidInputException(table.source(), place(table, row, c), "'" + text + "' is not a number" + note);
  }

  private static String place(CsvTable table, int row, int c) {
    return "row " + (row + 1) + ", column " + (c + 1) + " (" + table.header().get(c) + ")";
  }

  /**
   * Encodes every row of {@code table}, whose columns are matched by name; the label and columns the schema does
   * not know are not read.
   *
   * @throws InvalidInputException naming the columns the schema needs and the table lacks, or a numeric cell that
   *     is not a number (row and column)
   */
  public Encoded encode(CsvTable table) {
    int[] at = locate(table.source(), table.header());
    CsvColumns plan = new CsvColumns(table, at);
    plan.check();
    int[] unknownCounts = new int[columns.size()];
    Matrix m = plan.encode(null, table.rowCount(), unknownCounts);
    Map<String, Integer> unknown = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      if (unknownCounts[i] > 0) {
        unknown.put(columns.get(i).name(), unknownCounts[i]);
      }
    }
    return new Encoded(m, unknown, extraColumns(table.header()));
  }

  /**
   * Encodes the rows of {@code table} listed in each of {@code parts} into a matrix per part, row i of a matrix
   * being the part's i-th row: the same floats as those rows of {@link #encode(CsvTable)}, without a matrix of every
   * row (a training and a test part of a large table need only the memory of their own rows).
   *
   * @throws InvalidInputException as {@link #encode(CsvTable)} does, for a problem in any row of the table, listed
   *     or not
   */
  public List<Matrix> encode(CsvTable table, List<int[]> parts) {
    CsvColumns plan = new CsvColumns(table, locate(table.source(), table.header()));
    plan.check();
    List<Matrix> encoded = new ArrayList<>();
    for (int[] rows : parts) {
      for (int r : rows) {
        Objects.checkIndex(r, table.rowCount());
      }
      encoded.add(plan.encode(rows, rows.length, new int[columns.size()]));
    }
    return encoded;
  }

  /** Rows per task when a table is encoded: the block of the matrix a task writes stays in the cache. */
  private static final int ENCODE_ROWS = 2048;

  /**
   * The schema's columns as they are read from one table's blocks: each column's distinct texts are compared with
   * the levels and the missing-value spellings once, and the cells are then read by their text codes and floats.
   */
  private final class CsvColumns {
    private final CsvTable table;
    private final int[] at;
    private final int[] base;
    private final boolean naNumbers = spellsNumbers(na);
    /** Per column, per text code, whether the text spells a missing value. */
    private final boolean[][] naText;
    /** Per boolean or categorical column, per text code, its {@link Category}. */
    private final Category[][] categories;

    CsvColumns(CsvTable table, int[] at) {
      this.table = table;
      this.at = at;
      int n = columns.size();
      base = new int[n];
      naText = new boolean[n][];
      categories = new Category[n][];
      for (int i = 0, b = 0; i < n; i++) {
        Column col = columns.get(i);
        base[i] = b;
        b += col.inputs().size();
        if (col.kind() == ColumnKind.IGNORED) {
          continue;
        }
        String[] texts = table.texts(at[i]);
        naText[i] = missingTexts(texts, na);
        if (col.kind() != ColumnKind.NUMERIC) {
          Map<String, Integer> levels = new HashMap<>();
          for (int k = 0; k < col.levels().size(); k++) {
            levels.put(col.levels().get(k), k);
          }
          categories[i] = new Category[texts.length];
          for (int code = 0; code < texts.length; code++) {
            categories[i][code] = category(col, levels, texts[code]);
          }
        }
      }
    }

    /** The first numeric cell, column by column, that is neither a number nor a missing value: the error. */
    void check() {
      int n = columns.size();
      int[] first = new int[n];
      Tasks.run(n, i -> {
        first[i] = -1;
        if (columns.get(i).kind() != ColumnKind.NUMERIC) {
          return;
        }
        int c = at[i];
        for (int k = 0; k < table.chunks() && first[i] < 0; k++) {
          float[] v = table.chunkValues(k, c);
          int[] codes = table.chunkCodes(k, c);
          for (int r = 0; r < v.length; r++) {
            // a cell that is not a number always has a text code
            if (!Float.isFinite(v[r]) && !naText[i][codes[r] - 1]) {
              first[i] = table.chunkStart(k) + r;
              break;
            }
          }
        }
      });
      for (int i = 0; i < n; i++) {
        if (first[i] >= 0) {
          int r = first[i];
          String text = table.text(r, at[i]);
          throw new InvalidInputException(table.source(), "row " + (r + 1) + ", column " + (at[i] + 1) + " ("
              + columns.get(i).name() + ")", (text.isEmpty() ? "empty cell" : "'" + text + "' is not a number")
              + "; the model reads this column as numbers");
        }
      }
    }

    /**
     * The encoded matrix of {@code n} rows: the table's rows {@code rows} (all of them when null), in that order,
     * in blocks on several threads; {@code unknown} receives each column's count of unseen categories.
     */
    Matrix encode(int[] rows, int n, int[] unknown) {
      int d = inputNames.size();
      Matrix m = Matrix.zeros(n, d);
      float[] x = m.floats();
      int blocks = (n + ENCODE_ROWS - 1) / ENCODE_ROWS;
      int[][] unknownOf = new int[blocks][columns.size()];
      Tasks.run(blocks, b -> {
        int from = b * ENCODE_ROWS;
        int to = Math.min(n, from + ENCODE_ROWS);
        // the block's rows cut into runs that lie in one chunk of the table
        int[] runFrom = new int[to - from + 1];
        int[] runChunk = new int[to - from];
        int runs = 0;
        for (int r = from, chunk = 0; r < to; runs++) {
          chunk = table.chunkOf(rows == null ? r : rows[r], chunk);
          runFrom[runs] = r;
          runChunk[runs] = chunk;
          r = table.runEnd(rows, r, to, chunk);
        }
        runFrom[runs] = to;
        for (int i = 0; i < columns.size(); i++) {
          for (int run = 0; run < runs && columns.get(i).kind() != ColumnKind.IGNORED; run++) {
            unknownOf[b][i] += encodeRun(i, rows, runFrom[run], runFrom[run + 1], runChunk[run], x, d);
          }
        }
      });
      for (int[] counts : unknownOf) {
        for (int i = 0; i < counts.length; i++) {
          unknown[i] += counts[i];
        }
      }
      return m;
    }

    /**
     * Writes column i of the matrix rows [from, to), whose table rows lie in one chunk, into x; returns how many of
     * them held a category not seen in training.
     */
    private int encodeRun(int i, int[] rows, int from, int to, int chunk, float[] x, int d) {
      Column col = columns.get(i);
      int c = at[i];
      float[] v = table.chunkValues(chunk, c);
      int[] codes = table.chunkCodes(chunk, c);
      int start = table.chunkStart(chunk);
      int o = base[i];
      if (col.kind() == ColumnKind.NUMERIC) {
        float median = (float) col.median();
        boolean indicator = col.missingIndicator();
        for (int r = from; r < to; r++) {
          int cell = (rows == null ? r : rows[r]) - start;
          float value = v[cell];
          if (!naNumbers && Float.isFinite(value)) {
            x[r * d + o] = value;
          } else if (isMissing(table, chunk, c, cell, naText[i], na)) {
            x[r * d + o] = median;
            if (indicator) {
              x[r * d + o + 1] = 1;
            }
          } else {
            x[r * d + o] = value;  // a number: check() has found no other cell
          }
        }
        return 0;
      }
      int unknown = 0;
      for (int r = from; r < to; r++) {
        int cell = (rows == null ? r : rows[r]) - start;
        int code = codes == null ? 0 : codes[cell];
        Category category = code != 0 ? categories[i][code - 1] : category(col, null, CsvTable.spell(v[cell]));
        unknown += category.unseen() ? 1 : 0;
        if (category.offset() >= 0) {
          x[r * d + o + category.offset()] = category.value();
        }
      }
      return unknown;
    }

    /**
     * What a text of a boolean or categorical column encodes to, as {@link #encode(Cells)} reads it; {@code levels}
     * maps a categorical column's levels to their places (null: look them up in the column).
     */
    private Category category(Column col, Map<String, Integer> levels, String text) {
      if (col.kind() == ColumnKind.BOOLEAN) {
        boolean one = text.equals(col.levels().get(1));
        boolean zero = text.equals(col.levels().get(0));
        // an unseen value sits between the two: the network has seen neither side of it
        return new Category(one || !zero ? 0 : -1, one ? 1f : 0.5f, !one && !zero);
      }
      int otherAt = col.other() ? col.levels().size() : -1;
      int missingAt = col.missingLevel() ? col.levels().size() + (col.other() ? 1 : 0) : -1;
      if (na.contains(text)) {
        return new Category(missingAt, 1f, missingAt < 0);
      }
      int level = levels != null ? levels.getOrDefault(text, -1) : col.levels().indexOf(text);
      // rare training levels are not stored, so a text that lands in "(other)" is counted as unseen
      return new Category(level >= 0 ? level : otherAt, 1f, level < 0);
    }
  }

  /**
   * A text's encoding in a boolean or categorical column: the input it sets (an offset from the column's first
   * input, -1 for none), the value it sets there, and whether training never saw the text.
   */
  private record Category(int offset, float value, boolean unseen) {
  }

  /** The index of each column of the schema in {@code header} (-1 for an ignored column it lacks). */
  private int[] locate(String source, List<String> header) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(header.get(i), i);
    }
    List<String> missingColumns = new ArrayList<>();
    int[] at = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) {
      Column col = columns.get(i);
      Integer c = index.get(col.name());
      at[i] = c == null ? -1 : c;
      if (c == null && col.kind() != ColumnKind.IGNORED) {
        missingColumns.add(col.name());
      }
    }
    if (!missingColumns.isEmpty()) {
      throw new InvalidInputException(source, "", "missing " + (missingColumns.size() == 1 ? "column "
          : "columns ") + String.join(", ", missingColumns) + "; the model reads " + String.join(", ",
          columns.stream().filter(k -> k.kind() != ColumnKind.IGNORED).map(Column::name).toList())
          + " and the file has " + String.join(", ", header));
    }
    return at;
  }

  /** The columns of {@code header} that the schema does not know. */
  private List<String> extraColumns(List<String> header) {
    Set<String> known = new HashSet<>();
    known.add(label);
    for (Column col : columns) {
      known.add(col.name());
    }
    return header.stream().filter(h -> !known.contains(h)).toList();
  }

  /**
   * Encodes rows of text cells: {@code header} names the cells of each row, in any order (extra columns are not
   * read). Cells are trimmed; numbers are read as {@link CsvTable} reads them.
   */
  public Encoded encode(List<String> header, List<String[]> rows) {
    return encode(new Cells() {
      @Override public String source() {
        return "rows";
      }

      @Override public List<String> header() {
        return header;
      }

      @Override public int rows() {
        return rows.size();
      }

      @Override public String text(int r, int c) {
        String[] row = rows.get(r);
        if (row.length != header.size()) {
          throw new InvalidInputException("rows", "row " + (r + 1), "has " + row.length + " cells, expected "
              + header.size() + " like the header");
        }
        return row[c] == null ? "" : row[c].strip();
      }

      @Override public boolean isNumber(int r, int c) {
        return NUMBER.matcher(text(r, c)).matches();
      }

      @Override public double number(int r, int c) {
        String t = text(r, c);
        return NUMBER.matcher(t).matches() ? Double.parseDouble(t) : Double.NaN;
      }
    });
  }

  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?");

  /** What the encoder reads of a table. */
  private interface Cells {
    String source();

    List<String> header();

    int rows();

    String text(int r, int c);

    boolean isNumber(int r, int c);

    double number(int r, int c);
  }

  private Encoded encode(Cells cells) {
    int[] at = locate(cells.source(), cells.header());
    List<String> extra = extraColumns(cells.header());
    int n = cells.rows();
    int d = inputNames.size();
    Matrix m = Matrix.zeros(n, d);
    float[] x = m.floats();
    Map<String, Integer> unknown = new LinkedHashMap<>();
    int base = 0;
    for (int i = 0; i < columns.size(); i++) {
      Column col = columns.get(i);
      int c = at[i];
      switch (col.kind()) {
        case NUMERIC -> {
          boolean naNumbers = spellsNumbers(na);
          for (int r = 0; r < n; r++) {
            if (!naNumbers && cells.isNumber(r, c)) {
              // the common cell: a number, which no missing-value spelling can be; its text is never made
              float v = (float) cells.number(r, c);
              if (!Float.isInfinite(v)) {
                x[r * d + base] = v;
                continue;
              }
            }
            String text = cells.text(r, c);
            float v;
            if (na.contains(text)) {
              v = (float) col.median();
              if (col.missingIndicator()) {
                x[r * d + base + 1] = 1;
              }
            } else if (cells.isNumber(r, c)) {
              v = (float) cells.number(r, c);
              if (Float.isInfinite(v)) {
                throw new InvalidInputException(cells.source(), "row " + (r + 1) + ", column " + (c + 1) + " ("
                    + col.name() + ")", "'" + text + "' is outside the float32 range");
              }
            } else {
              throw new InvalidInputException(cells.source(), "row " + (r + 1) + ", column " + (c + 1) + " ("
                  + col.name() + ")", (text.isEmpty() ? "empty cell" : "'" + text + "' is not a number")
                  + "; the model reads this column as numbers");
            }
            x[r * d + base] = v;
          }
        }
        case BOOLEAN -> {
          String one = col.levels().get(1);
          String zero = col.levels().get(0);
          for (int r = 0; r < n; r++) {
            String text = cells.text(r, c);
            if (text.equals(one)) {
              x[r * d + base] = 1;
            } else if (!text.equals(zero)) {
              // an unseen value sits between the two: the network has seen neither side of it
              x[r * d + base] = 0.5f;
              unknown.merge(col.name(), 1, Integer::sum);
            }
          }
        }
        case CATEGORICAL -> {
          Map<String, Integer> levels = new HashMap<>();
          for (int k = 0; k < col.levels().size(); k++) {
            levels.put(col.levels().get(k), k);
          }
          int otherAt = col.other() ? col.levels().size() : -1;
          int missingAt = col.missingLevel() ? col.levels().size() + (col.other() ? 1 : 0) : -1;
          for (int r = 0; r < n; r++) {
            String text = cells.text(r, c);
            int k;
            boolean seen;
            if (na.contains(text)) {
              k = missingAt;
              seen = k >= 0;
            } else {
              Integer level = levels.get(text);
              k = level != null ? level : otherAt;
              seen = level != null;
            }
            // rare training levels are not stored, so a text that lands in "(other)" is counted as unseen
            if (!seen) {
              unknown.merge(col.name(), 1, Integer::sum);
            }
            if (k >= 0) {
              x[r * d + base + k] = 1;
            }
          }
        }
        case IGNORED -> { }
      }
      base += col.inputs().size();
    }
    return new Encoded(m, unknown, extra);
  }

  private static String format(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    // medians of float32 cells read best in float32's shortest form (47.4, not 47.39999961853027)
    return (float) v == v ? Float.toString((float) v) : Double.toString(v);
  }

  /** Every column, one {@link Column#describe()} line each. */
  public List<String> describe() {
    return columns.stream().map(Column::describe).toList();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TableSchema s && columns.equals(s.columns) && label.equals(s.label)
        && naValues.equals(s.naValues) && Double.compare(targetMean, s.targetMean) == 0
        && Double.compare(targetScale, s.targetScale) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(columns, label, naValues, targetMean, targetScale);
  }

  @Override
  public String toString() {
    return "TableSchema(" + String.join("; ", describe()) + ")";
  }
}

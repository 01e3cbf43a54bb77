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
    List<Column> columns = new ArrayList<>();
    for (int c = 0; c < table.header().size(); c++) {
      if (c != labelColumn) {
        columns.add(fitColumn(table, c, rows, options, na));
      }
    }
    return new TableSchema(columns, table.header().get(labelColumn), options.naValues(), 0, 1);
  }

  /**
   * The median of values[0, n), the same number a sort would give (the middle one, or the mean of the two middle
   * ones in {@link Double#compare} order), found by selection: sorting each column of a large table took seconds.
   */
  static double median(double[] values, int n) {
    int hi = n / 2;
    select(values, n, hi);
    if (n % 2 == 1) {
      return values[hi];
    }
    double lower = values[0];
    for (int i = 1; i < hi; i++) {
      if (Double.compare(values[i], lower) > 0) {
        lower = values[i];
      }
    }
    return (lower + values[hi]) / 2;
  }

  /**
   * Rearranges values[0, n) so that values[k] is the value a sort would put there, the ones before it no larger and
   * the ones after no smaller; a sort finishes the work if the partitions keep coming out lopsided.
   */
  private static void select(double[] v, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    int budget = 2 * (32 - Integer.numberOfLeadingZeros(Math.max(n, 1))) + 8;
    while (hi > lo) {
      if (budget-- == 0) {
        Arrays.sort(v, lo, hi + 1);
        return;
      }
      int mid = (lo + hi) >>> 1;
      double pivot = medianOfThree(v[lo], v[mid], v[hi]);
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (Double.compare(v[i], pivot) < 0) {
          i++;
        }
        while (Double.compare(v[j], pivot) > 0) {
          j--;
        }
        if (i <= j) {
          double t = v[i];
          v[i] = v[j];
          v[j] = t;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }

  private static double medianOfThree(double a, double b, double c) {
    if (Double.compare(a, b) > 0) {
      double t = a;
      a = b;
      b = t;
    }
    if (Double.compare(b, c) > 0) {
      b = c;
    }
    return Double.compare(a, b) > 0 ? a : b;
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

  private static Column fitColumn(CsvTable table, int c, int[] rows, SchemaOptions options, Set<String> na) {
    String name = table.header().get(c);
    if (options.ignore().contains(name)) {
      return ignored(name, "--ignore");
    }
    boolean forcedNumeric = options.numeric().contains(name);
    boolean forcedCategorical = options.categorical().contains(name);
    // numbers or text is decided on every row of the file, so that a column's kind does not depend on the seed's
    // split (and a stray text in a numeric column is found whichever part it falls in); the rest on training rows
    int numbers = 0;
    int texts = 0;
    int firstText = -1;
    for (int r = 0; r < table.rowCount(); r++) {
      if (table.isNumber(r, c)) {
        numbers++;
      } else if (!na.contains(table.text(r, c))) {
        texts++;
        firstText = firstText < 0 ? r : firstText;
      }
    }
    String reason = forcedCategorical ? "--categorical" : forcedNumeric ? "--numeric" : "inferred";
    boolean numeric = forcedNumeric || (!forcedCategorical && numbers >= texts);
    if (numeric) {
      // a number's text is read only where a missing-value spelling could be a number: spelling every cell of a
      // wide numeric column took most of the time of reading a large file
      boolean naNumbers = spellsNumbers(na);
      double[] values = new double[rows.length];
      int k = 0;
      int missing = 0;
      int present = 0;
      for (int r : rows) {
        if (table.isNumber(r, c) && !(naNumbers && na.contains(table.text(r, c)))) {
          values[k++] = (float) table.number(r, c);
          present++;
        } else if (na.contains(table.text(r, c))) {
          missing++;
        } else {
          present++;
        }
      }
      if (present == 0) {
        throw emptyColumn(table, c, name, rows.length);
      }
      if (firstText >= 0) {
        throw textInNumericColumn(table, firstText, c, forcedNumeric);
      }
      double median = median(values, k);
      return new Column(name, ColumnKind.NUMERIC, reason, median, missing > 0, List.of(), false, false);
    }
    int missing = 0;
    Map<String, Integer> counts = new HashMap<>();
    for (int r : rows) {
      String text = table.text(r, c);
      if (na.contains(text)) {
        missing++;
      } else {
        counts.merge(text, 1, Integer::sum);
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
    return encode(new Cells() {
      @Override public String source() {
        return table.source();
      }

      @Override public List<String> header() {
        return table.header();
      }

      @Override public int rows() {
        return table.rowCount();
      }

      @Override public String text(int r, int c) {
        return table.text(r, c);
      }

      @Override public boolean isNumber(int r, int c) {
        return table.isNumber(r, c);
      }

      @Override public double number(int r, int c) {
        return table.number(r, c);
      }
    });
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
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < cells.header().size(); i++) {
      index.putIfAbsent(cells.header().get(i), i);
    }
    List<String> missingColumns = new ArrayList<>();
    int[] at = new int[columns.size()];
    Set<String> known = new HashSet<>();
    known.add(label);
    for (int i = 0; i < columns.size(); i++) {
      Column col = columns.get(i);
      known.add(col.name());
      Integer c = index.get(col.name());
      at[i] = c == null ? -1 : c;
      if (c == null && col.kind() != ColumnKind.IGNORED) {
        missingColumns.add(col.name());
      }
    }
    if (!missingColumns.isEmpty()) {
      throw new InvalidInputException(cells.source(), "", "missing " + (missingColumns.size() == 1 ? "column "
          : "columns ") + String.join(", ", missingColumns) + "; the model reads " + String.join(", ",
          columns.stream().filter(k -> k.kind() != ColumnKind.IGNORED).map(Column::name).toList())
          + " and the file has " + String.join(", ", cells.header()));
    }
    List<String> extra = cells.header().stream().filter(h -> !known.contains(h)).toList();
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

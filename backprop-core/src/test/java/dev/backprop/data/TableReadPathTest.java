package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import dev.backprop.SeededRandom;
import dev.backprop.tensor.Matrix;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The table's path from file to matrices, which reads the table's blocks directly (labels, split, schema, encoding),
 * against references that read it cell by cell through {@link CsvTable#isNumber}, {@link CsvTable#number} and
 * {@link CsvTable#text}, as the code did before: the same rows, the same schema, the same floats to the bit, on a
 * table of several blocks.
 */
class TableReadPathTest {
  private static final List<String> HEADER = List.of("num", "int", "cat", "yn", "many", "mixed", "id", "const",
      "label");

  /** About 11 MB: gaps and missing-value spellings, rare levels, a column of many distinct numbers, unlabelled rows. */
  private static CsvTable table(long seed, int threads) {
    SeededRandom random = new SeededRandom(seed);
    StringBuilder s = new StringBuilder(String.join(",", HEADER)).append('\n');
    for (int i = 0; i < 250_000; i++) {
      String num = i % 53 == 0 ? "" : i % 59 == 0 ? "NA" : i % 61 == 0 ? "?"
          : String.format(java.util.Locale.ROOT, "%.4f", random.nextDouble(-30, 30));
      String cat = i % 47 == 0 ? "" : random.nextInt(20) == 0 ? "rare" + random.nextInt(150)
          : List.of("red", "green", "blue", "teal", "plum", "gold").get(random.nextInt(6));
      String many = i % 71 == 0 ? "-999" : Double.toString(Math.round(random.nextDouble(-1e4, 1e4) * 1000) / 1000.0);
      // mostly a few texts, else distinct numbers: a categorical column whose numbers are spelled from their floats
      String mixed = random.nextInt(5) < 3 ? List.of("lo", "mid", "hi").get(random.nextInt(3))
          : Double.toString(random.nextDouble(0, 1));
      String label = i % 89 == 0 ? "" : List.of("a", "b", "c").get(random.nextInt(3));
      s.append(num).append(',').append(random.nextInt(31)).append(',').append(cat).append(',')
          .append(random.nextInt(2) == 0 ? "yes" : "no").append(',').append(many).append(',').append(mixed)
          .append(",id").append(i)
          .append(",k,").append(label).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
    assertTrue(bytes.length > 2 * CsvReader.BLOCK, "the table spans several blocks: " + bytes.length);
    return CsvTable.parse("t.csv", bytes, threads);
  }

  private static SchemaOptions options(String naValues, Set<String> categorical, Set<String> ignore) {
    List<String> na = new ArrayList<>(SchemaOptions.DEFAULT_NA_VALUES);
    if (naValues != null) {
      na.add(naValues);
    }
    return new SchemaOptions(categorical, Set.of(), ignore, na, 40);
  }

  @Test
  void labelsSplitSchemaAndEncodingMatchTheCellByCellReferences() {
    long seed = 17;
    System.out.println("seed " + seed);
    CsvTable table = table(seed, 2);
    int label = table.columnIndex("label");
    for (SchemaOptions options : List.of(options(null, Set.of(), Set.of()), options("-999", Set.of("int"), Set.of()),
        options(null, Set.of(), Set.of("num", "yn")))) {
      Set<String> na = new HashSet<>(options.naValues());
      TabularData.Labels labels = TabularData.forTraining(table, label, null, na);
      ReferenceLabels expected = referenceLabels(table, label, na, true);
      assertArrayEquals(expected.rows, labels.rows());
      assertEquals(expected.classes, labels.classes());
      assertArrayEquals(expected.classIndex, labels.classIndex());
      assertEquals(table.rowCount() - expected.rows.length, labels.missing());
      if (na.contains("-999")) {
        // labels whose numbers are spelled from their floats (no text code), read as classes; -999 missing
        int many = table.columnIndex("many");
        TabularData.Labels spelled = TabularData.forTraining(table, many, Task.CLASSIFICATION, na);
        ReferenceLabels spelledExpected = referenceLabels(table, many, na, true);
        assertArrayEquals(spelledExpected.rows, spelled.rows());
        assertEquals(spelledExpected.classes, spelled.classes());
        assertArrayEquals(spelledExpected.classIndex, spelled.classIndex());
      }

      Splits.Rows parts = Splits.rows("t.csv", labels.rows().length, labels.classIndex(), labels.classes().size(), 0.25,
          seed, Splits.SPLIT_STREAM);
      int[][] expectedParts = referenceSplit(labels.classIndex(), labels.classes().size(), 0.25, seed,
          Splits.SPLIT_STREAM);
      assertArrayEquals(expectedParts[0], parts.train());
      assertArrayEquals(expectedParts[1], parts.heldOut());

      int[] trainRows = select(labels.rows(), parts.train());
      int[] testRows = select(labels.rows(), parts.heldOut());
      TableSchema schema = TableSchema.fit(table, "label", trainRows, options);
      assertEquals(referenceFit(table, label, trainRows, options), schema, options.toString());

      Matrix all = schema.encode(table).features();
      ReferenceEncoding reference = referenceEncode(schema, table);
      assertArrayEquals(reference.x, all.floats(), "encode(table) against the reference");
      assertEquals(reference.unknown, schema.encode(table).unknown());
      // the parts straight into their own matrices, also in an order that is not ascending
      int[] reversed = new int[testRows.length];
      for (int i = 0; i < reversed.length; i++) {
        reversed[i] = testRows[testRows.length - 1 - i];
      }
      List<Matrix> encoded = schema.encode(table, List.of(trainRows, testRows, reversed));
      assertRowsOf(all, trainRows, encoded.get(0));
      assertRowsOf(all, testRows, encoded.get(1));
      assertRowsOf(all, reversed, encoded.get(2));
    }
  }

  @Test
  void theTableAndItsPartsDoNotDependOnTheThreads() {
    long seed = 23;
    System.out.println("seed " + seed);
    CsvTable one = table(seed, 1);
    CsvTable two = table(seed, 3);
    SchemaOptions options = options("-999", Set.of(), Set.of());
    int label = one.columnIndex("label");
    Set<String> na = new HashSet<>(options.naValues());
    TabularData.Labels labels = TabularData.forTraining(one, label, null, na);
    int[] rows = labels.rows();
    TableSchema schema = TableSchema.fit(one, "label", rows, options);
    assertEquals(schema, TableSchema.fit(two, "label", rows, options));
    assertArrayEquals(schema.encode(one, List.of(rows)).get(0).floats(), schema.encode(two, List.of(rows)).get(0)
        .floats());
  }

  @Test
  void regressionLabelsMatchTheReference() {
    long seed = 29;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    StringBuilder s = new StringBuilder("x,y\n");
    for (int i = 0; i < 120_000; i++) {
      s.append(random.nextDouble(0, 1)).append(',').append(i % 97 == 0 ? "NA" : random.nextDouble(-5, 5)).append('\n');
    }
    CsvTable table = CsvTable.parse("r.csv", s.toString().getBytes(StandardCharsets.UTF_8), 2);
    Set<String> na = new HashSet<>(SchemaOptions.DEFAULT_NA_VALUES);
    TabularData.Labels labels = TabularData.forTraining(table, 1, null, na);
    assertEquals(Task.REGRESSION, labels.task());
    ReferenceLabels expected = referenceLabels(table, 1, na, false);
    assertArrayEquals(expected.rows, labels.rows());
    float[] targets = new float[expected.rows.length];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = (float) table.number(expected.rows[i], 1);
    }
    assertArrayEquals(targets, labels.targets());
    Splits.Rows parts = Splits.rows("r.csv", labels.rows().length, null, 0, 0.2, seed, Splits.SPLIT_STREAM);
    int[][] regression = referenceSplit(null, labels.rows().length, 0.2, seed, Splits.SPLIT_STREAM);
    assertArrayEquals(regression[0], parts.train());
    assertArrayEquals(regression[1], parts.heldOut());
  }

  @Test
  void aBadCellOutsideThePartsIsStillTheProblemReported() {
    StringBuilder s = new StringBuilder("x,label\n");
    for (int i = 0; i < 3000; i++) {
      s.append(i == 2500 ? "oops" : Integer.toString(i % 7)).append(',').append(i == 2500 ? "" : "c" + i % 2)
          .append('\n');
    }
    CsvTable table = CsvTable.parse("b.csv", s.toString().getBytes(StandardCharsets.UTF_8), 2);
    TableSchema schema = new TableSchema(List.of(new TableSchema.Column("x", ColumnKind.NUMERIC, "inferred", 3, false,
        List.of(), false, false)), "label", SchemaOptions.DEFAULT_NA_VALUES, 0, 1);
    InvalidInputException all = assertThrows(InvalidInputException.class, () -> schema.encode(table));
    InvalidInputException parts = assertThrows(InvalidInputException.class,
        () -> schema.encode(table, List.of(new int[] {0, 1, 2})));
    assertEquals(all.getMessage(), parts.getMessage());
    assertEquals("b.csv: row 2501, column 1 (x): 'oops' is not a number; the model reads this column as numbers",
        all.getMessage());
  }

  private static void assertRowsOf(Matrix all, int[] rows, Matrix part) {
    int d = all.cols();
    assertEquals(rows.length, part.rows());
    for (int i = 0; i < rows.length; i++) {
      for (int j = 0; j < d; j++) {
        assertEquals(Float.floatToRawIntBits(all.floats()[rows[i] * d + j]), Float.floatToRawIntBits(
            part.floats()[i * d + j]), "row " + rows[i] + ", input " + j);
      }
    }
  }

  private static int[] select(int[] values, int[] positions) {
    int[] out = new int[positions.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = values[positions[i]];
    }
    return out;
  }

  // ------------------------------------------------------------ the references: the earlier code, cell by cell

  private record ReferenceLabels(int[] rows, List<String> classes, int[] classIndex) {}

  /** The labelled rows, and for a classification (classes true) the classes and each row's. */
  private static ReferenceLabels referenceLabels(CsvTable table, int label, Set<String> na, boolean classes) {
    List<Integer> kept = new ArrayList<>();
    for (int r = 0; r < table.rowCount(); r++) {
      String text = table.text(r, label);
      if (!text.isEmpty() && !na.contains(text)) {
        kept.add(r);
      }
    }
    int[] rows = kept.stream().mapToInt(Integer::intValue).toArray();
    if (!classes) {
      return new ReferenceLabels(rows, List.of(), null);
    }
    List<String> texts = new ArrayList<>(new LinkedHashSet<>(Arrays.stream(rows).mapToObj(r -> table.text(r, label))
        .toList()));
    boolean numeric = texts.stream().allMatch(t -> t.matches("[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?"));
    texts.sort(numeric
        ? Comparator.<String>comparingDouble(Double::parseDouble).thenComparing(Comparator.naturalOrder())
        : Comparator.<String>naturalOrder());
    Map<String, Integer> index = new HashMap<>();
    for (int k = 0; k < texts.size(); k++) {
      index.put(texts.get(k), k);
    }
    int[] y = new int[rows.length];
    for (int i = 0; i < rows.length; i++) {
      y[i] = index.get(table.text(rows[i], label));
    }
    return new ReferenceLabels(rows, texts, y);
  }

  /**
   * Rows of each class in boxed lists, a permutation per class: the split as it was first written. {@code n} is the
   * number of classes, or of rows for a regression (labels null).
   */
  private static int[][] referenceSplit(int[] labels, int n, double fraction, long seed, long stream) {
    int size = labels == null ? n : labels.length;
    boolean[] heldOut = new boolean[size];
    if (labels != null) {
      List<List<Integer>> byClass = new ArrayList<>();
      for (int c = 0; c < n; c++) {
        byClass.add(new ArrayList<>());
      }
      for (int i = 0; i < size; i++) {
        byClass.get(labels[i]).add(i);
      }
      for (int c = 0; c < n; c++) {
        List<Integer> rows = byClass.get(c);
        int take = (int) Math.round(fraction * rows.size());
        if (take == 0 && rows.size() >= 2) {
          take = 1;
        }
        int[] order = SeededRandom.derive(seed, stream, c).permutation(rows.size());
        for (int i = 0; i < take; i++) {
          heldOut[rows.get(order[i])] = true;
        }
      }
    } else {
      int[] order = SeededRandom.derive(seed, stream).permutation(size);
      for (int i = 0; i < (int) Math.round(fraction * size); i++) {
        heldOut[order[i]] = true;
      }
    }
    List<Integer> train = new ArrayList<>();
    List<Integer> test = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      (heldOut[i] ? test : train).add(i);
    }
    return new int[][] {train.stream().mapToInt(Integer::intValue).toArray(),
        test.stream().mapToInt(Integer::intValue).toArray()};
  }

  private static TableSchema referenceFit(CsvTable table, int label, int[] rows, SchemaOptions options) {
    Set<String> na = new HashSet<>(options.naValues());
    boolean naNumbers = TableSchema.spellsNumbers(na);
    List<TableSchema.Column> columns = new ArrayList<>();
    for (int c = 0; c < table.header().size(); c++) {
      if (c == label) {
        continue;
      }
      String name = table.header().get(c);
      if (options.ignore().contains(name)) {
        columns.add(new TableSchema.Column(name, ColumnKind.IGNORED, "--ignore", 0, false, List.of(), false, false));
        continue;
      }
      boolean forcedNumeric = options.numeric().contains(name);
      boolean forcedCategorical = options.categorical().contains(name);
      int numbers = 0;
      int texts = 0;
      for (int r = 0; r < table.rowCount(); r++) {
        if (table.isNumber(r, c)) {
          numbers++;
        } else if (!na.contains(table.text(r, c))) {
          texts++;
        }
      }
      String reason = forcedCategorical ? "--categorical" : forcedNumeric ? "--numeric" : "inferred";
      if (forcedNumeric || (!forcedCategorical && numbers >= texts)) {
        List<Double> values = new ArrayList<>();
        int missing = 0;
        for (int r : rows) {
          if (table.isNumber(r, c) && !(naNumbers && na.contains(table.text(r, c)))) {
            values.add((double) (float) table.number(r, c));
          } else if (na.contains(table.text(r, c))) {
            missing++;
          }
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        columns.add(new TableSchema.Column(name, ColumnKind.NUMERIC, reason, median, missing > 0, List.of(), false,
            false));
        continue;
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
      if (!forcedCategorical && missing == 0 && counts.size() == 1) {
        columns.add(new TableSchema.Column(name, ColumnKind.IGNORED, "the same value in every training row", 0, false,
            List.of(), false, false));
        continue;
      }
      if (!forcedCategorical && counts.size() == present && present >= 10 && counts.size() > 2) {
        columns.add(new TableSchema.Column(name, ColumnKind.IGNORED,
            "a different value in every training row, like an ID", 0, false, List.of(), false, false));
        continue;
      }
      if (!forcedCategorical && missing == 0 && counts.size() == 2) {
        List<String> two = new ArrayList<>(counts.keySet());
        Collections.sort(two);
        columns.add(new TableSchema.Column(name, ColumnKind.BOOLEAN, reason, 0, false, two, false, false));
        continue;
      }
      List<String> levels = new ArrayList<>(counts.keySet());
      levels.sort(Comparator.<String>comparingInt(counts::get).reversed().thenComparing(Comparator.naturalOrder()));
      boolean other = levels.size() > options.maxLevels();
      if (other) {
        levels = levels.subList(0, options.maxLevels() - 1);
      }
      columns.add(new TableSchema.Column(name, ColumnKind.CATEGORICAL, reason, 0, false, levels, other, missing > 0));
    }
    return new TableSchema(columns, table.header().get(label), options.naValues(), 0, 1);
  }

  private record ReferenceEncoding(float[] x, Map<String, Integer> unknown) {}

  private static ReferenceEncoding referenceEncode(TableSchema schema, CsvTable table) {
    int n = table.rowCount();
    int d = schema.inputNames().size();
    float[] x = new float[n * d];
    Map<String, Integer> unknown = new LinkedHashMap<>();
    boolean naNumbers = TableSchema.spellsNumbers(new HashSet<>(schema.naValues()));
    int base = 0;
    for (TableSchema.Column col : schema.columns()) {
      int c = col.kind() == ColumnKind.IGNORED ? -1 : table.columnIndex(col.name());
      switch (col.kind()) {
        case NUMERIC -> {
          for (int r = 0; r < n; r++) {
            if (!naNumbers && table.isNumber(r, c)) {
              x[r * d + base] = (float) table.number(r, c);
            } else if (schema.isMissing(table.text(r, c))) {
              x[r * d + base] = (float) col.median();
              if (col.missingIndicator()) {
                x[r * d + base + 1] = 1;
              }
            } else {
              x[r * d + base] = (float) table.number(r, c);
            }
          }
        }
        case BOOLEAN -> {
          for (int r = 0; r < n; r++) {
            String text = table.text(r, c);
            if (text.equals(col.levels().get(1))) {
              x[r * d + base] = 1;
            } else if (!text.equals(col.levels().get(0))) {
              x[r * d + base] = 0.5f;
              unknown.merge(col.name(), 1, Integer::sum);
            }
          }
        }
        case CATEGORICAL -> {
          int otherAt = col.other() ? col.levels().size() : -1;
          int missingAt = col.missingLevel() ? col.levels().size() + (col.other() ? 1 : 0) : -1;
          for (int r = 0; r < n; r++) {
            String text = table.text(r, c);
            int k;
            boolean seen;
            if (schema.isMissing(text)) {
              k = missingAt;
              seen = k >= 0;
            } else {
              int level = col.levels().indexOf(text);
              k = level >= 0 ? level : otherAt;
              seen = level >= 0;
            }
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
    return new ReferenceEncoding(x, unknown);
  }
}

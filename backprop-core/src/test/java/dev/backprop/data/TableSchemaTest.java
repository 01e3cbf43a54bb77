package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import dev.backprop.tensor.Matrix;
import java.io.StringReader;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What the schema infers from training rows, how it encodes rows, and the input errors it names. */
class TableSchemaTest {
  private static final String PENGUINS = """
      id,island,bill,sex,colony,species
      p1,Torgersen,39.1,male,x,Adelie
      p2,Torgersen,NA,female,x,Adelie
      p3,Biscoe,40.3,,x,Adelie
      p4,Dream,36.7,female,x,Adelie
      p5,Biscoe,46.1,male,x,Gentoo
      p6,Biscoe,50.0,female,x,Gentoo
      p7,Biscoe,48.7,male,x,Gentoo
      p8,Dream,46.5,female,x,Chinstrap
      p9,Dream,50.0,male,x,Chinstrap
      p10,Dream,51.3,male,x,Chinstrap
      p11,Torgersen,38.6,female,x,Adelie
      p12,Biscoe,?,?,x,Gentoo
      """;

  static CsvTable table(String text) {
    return CsvTable.parse("t.csv", new StringReader(text));
  }

  static int[] all(CsvTable t) {
    return IntStream.range(0, t.rowCount()).toArray();
  }

  private static TableSchema.Column column(TableSchema s, String name) {
    return s.columns().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void infersEachKindAndFitsTheTrainingRows() {
    CsvTable t = table(PENGUINS);
    TableSchema s = TableSchema.fit(t, "species", all(t), SchemaOptions.defaults());
    assertEquals(ColumnKind.IGNORED, column(s, "id").kind(), "a different text in every row is an ID");
    assertEquals(ColumnKind.IGNORED, column(s, "colony").kind(), "the same text in every row");
    TableSchema.Column island = column(s, "island");
    assertEquals(ColumnKind.CATEGORICAL, island.kind());
    assertEquals(List.of("Biscoe", "Dream", "Torgersen"), island.levels(), "most frequent first, then by text");
    TableSchema.Column bill = column(s, "bill");
    assertEquals(ColumnKind.NUMERIC, bill.kind());
    assertTrue(bill.missingIndicator(), "NA and ? are gaps");
    assertEquals(46.3, bill.median(), 1e-5, "median of the ten numbers");
    TableSchema.Column sex = column(s, "sex");
    assertEquals(ColumnKind.CATEGORICAL, sex.kind(), "two values with gaps: the gap is a level of its own");
    assertTrue(sex.missingLevel());
    assertEquals(List.of("island=Biscoe", "island=Dream", "island=Torgersen", "bill", "bill (missing)",
        "sex=female", "sex=male", "sex=(missing)"), s.inputNames());
  }

  @Test
  void encodesGapsAndUnseenCategoriesWithoutError() {
    CsvTable t = table(PENGUINS);
    TableSchema s = TableSchema.fit(t, "species", all(t), SchemaOptions.defaults());
    // other column order, no label, an extra column, an unseen island and gaps everywhere
    TableSchema.Encoded e = s.encode(List.of("sex", "extra", "bill", "island"), List.of(
        new String[] {"male", "1", "40", "Atlantis"}, new String[] {"", "2", "NA", "Dream"}));
    Matrix x = e.features();
    assertEquals(2, x.rows());
    assertEquals(8, x.cols());
    assertEquals(List.of(0.0, 0.0, 0.0, 40.0, 0.0, 0.0, 1.0, 0.0), row(x, 0), "an unseen island: no level");
    assertEquals(List.of(0.0, 1.0, 0.0, 46.3, 1.0, 0.0, 0.0, 1.0), row(x, 1));
    assertEquals(java.util.Map.of("island", 1), e.unknown());
    assertEquals(List.of("extra"), e.extraColumns());
    assertTrue(e.unknownNotice().contains("island 1"), e.unknownNotice());
  }

  private static List<Double> row(Matrix x, int r) {
    return IntStream.range(0, x.cols()).mapToObj(c -> Math.round(x.get(r, c) * 1e4) / 1e4).toList();
  }

  @Test
  void rareLevelsShareOtherUnderTheCap() {
    StringBuilder csv = new StringBuilder("colour,y\n");
    for (int i = 0; i < 40; i++) {
      csv.append(i < 20 ? "red" : i < 30 ? "blue" : "c" + i).append(',').append(i % 2).append('\n');
    }
    CsvTable t = table(csv.toString());
    SchemaOptions cap3 = new SchemaOptions(Set.of(), Set.of(), Set.of(), SchemaOptions.DEFAULT_NA_VALUES, 3);
    TableSchema s = TableSchema.fit(t, "y", all(t), cap3);
    assertEquals(List.of("colour=red", "colour=blue", "colour=(other)"), s.inputNames());
    Matrix x = s.encode(t).features();
    assertEquals(1.0, x.get(35, 2), "a rare level goes to (other)");
    SchemaOptions forced = new SchemaOptions(Set.of("colour"), Set.of(), Set.of(), SchemaOptions.DEFAULT_NA_VALUES, 3);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TableSchema.fit(t, "y", all(t), forced));
    assertTrue(e.getMessage().contains("t.csv") && e.getMessage().contains("column 1 (colour)")
        && e.getMessage().contains("12 distinct values"), e.getMessage());
  }

  @Test
  void integersNamedCategoricalAreOneHot() {
    CsvTable t = table("cyl,y\n4,a\n6,b\n8,a\n4,b\n");
    SchemaOptions o = new SchemaOptions(Set.of("cyl"), Set.of(), Set.of(), SchemaOptions.DEFAULT_NA_VALUES, 50);
    TableSchema s = TableSchema.fit(t, "y", all(t), o);
    assertEquals(List.of("cyl=4", "cyl=6", "cyl=8"), s.inputNames());
    assertEquals("--categorical", s.columns().get(0).reason());
  }

  @Test
  void aColumnEmptyInEveryTrainingRowIsAnInputError() {
    CsvTable t = table("a,b,y\n1,,x\n2,NA,y\n3,,x\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> TableSchema.fit(t, "y", all(t), SchemaOptions.defaults()));
    assertTrue(e.getMessage().startsWith("t.csv: column 2 (b): empty in every one of the 3 training rows"),
        e.getMessage());
  }

  @Test
  void aNumericColumnHoldingTextIsAnInputErrorNamingTheRow() {
    CsvTable t = table("a,b,y\n1,2,x\n2,oops,y\n3,4,x\n");
    SchemaOptions o = new SchemaOptions(Set.of(), Set.of("b"), Set.of(), SchemaOptions.DEFAULT_NA_VALUES, 50);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> TableSchema.fit(t, "y", all(t), o));
    assertTrue(e.getMessage().contains("t.csv: line 3, column 2 (b): 'oops' is not a number, and --numeric"),
        e.getMessage());
    CsvTable text = table("a,b,y\n1,u,x\n2,v,y\n3,w,x\n");
    InvalidInputException f = assertThrows(InvalidInputException.class, () -> TableSchema.fit(text, "y", all(text), o));
    assertTrue(f.getMessage().contains("column 2 (b): 'u' is not a number"), f.getMessage());
  }

  @Test
  void labelsWithGapsAreLeftOutAndCounted() {
    CsvTable t = table("a,y\n1,x\n2,NA\n3,y\n4,\n");
    TabularData.Labels labels = TabularData.forTraining(t, 1, null, Set.copyOf(SchemaOptions.DEFAULT_NA_VALUES));
    assertEquals(2, labels.missing());
    assertEquals(List.of("x", "y"), labels.classes());
    CsvTable none = table("a,y\n1,NA\n2,\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> TabularData.forTraining(none, 1, null, Set.copyOf(SchemaOptions.DEFAULT_NA_VALUES)));
    assertTrue(e.getMessage().contains("column 2 (y): the label is missing in all 2 rows"), e.getMessage());
    CsvTable one = table("a,y\n1,x\n2,NA\n3,x\n");
    InvalidInputException f = assertThrows(InvalidInputException.class,
        () -> TabularData.forTraining(one, 1, null, Set.copyOf(SchemaOptions.DEFAULT_NA_VALUES)));
    assertTrue(f.getMessage().contains("column 2 (y): the label column has only one class 'x'"), f.getMessage());
  }

  @Test
  void purelyNumericTablesEncodeAsTheyAlwaysRead() {
    CsvTable t = table("a,b,y\n1.5,-2,x\n3e2,4,y\n0.1,7,x\n");
    TableSchema s = TableSchema.fit(t, "y", all(t), SchemaOptions.defaults());
    assertEquals(List.of("a", "b"), s.inputNames());
    assertEquals(t.toDataset("y", null).features(), s.encode(t).features());
  }
}

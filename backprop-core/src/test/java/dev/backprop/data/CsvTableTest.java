package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import dev.backprop.tensor.DType;
import dev.backprop.tensor.Matrix;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CsvTableTest {

  private static CsvTable parse(String text) {
    return CsvTable.parse("t.csv", new StringReader(text));
  }

  private static InvalidInputException parseFails(String text) {
    return assertThrows(InvalidInputException.class, () -> parse(text));
  }

  @Test
  void quotedFieldsMayHoldCommasQuotesAndNewlines() {
    CsvTable t = parse("x,name,y\n1,\"a, b\",5\n2,\"say \"\"hi\"\"\",\"6\"\n3,\"two\nlines\",7\n4,plain,8\n");
    assertEquals(List.of("x", "name", "y"), t.header());
    assertEquals(4, t.rowCount());
    Dataset d = t.toDataset("name", Task.CLASSIFICATION);
    assertEquals(List.of("a, b", "plain", "say \"hi\"", "two\nlines"), d.classes());
    assertArrayEquals(new int[] {0, 2, 3, 1}, d.labels());
    assertArrayEquals(new double[][] {{1, 5}, {2, 6}, {3, 7}, {4, 8}}, d.features().toArray());
  }

  @Test
  void lineNumbersCountNewlinesInsideQuotes() {
    InvalidInputException e = parseFails("a,b\n\"1\n2\n3\",4\n5,x,6\n");
    assertEquals("line 5", e.place());
    assertTrue(e.getMessage().contains("has 3 fields, expected 2 like the header"), e.getMessage());
  }

  @Test
  void bomCrlfBlankLinesAndMissingFinalNewlineAreAccepted() {
    CsvTable t = parse("\uFEFFa,b,label\r\n1,2,x\r\n\r\n3, 4 ,y\r\n\n5,6,x");
    assertEquals(List.of("a", "b", "label"), t.header());
    assertEquals(3, t.rowCount());
    Dataset d = t.toDataset(null, null);
    assertEquals(Task.CLASSIFICATION, d.task());
    assertArrayEquals(new double[][] {{1, 2}, {3, 4}, {5, 6}}, d.features().toArray());
    assertEquals(List.of("x", "y"), d.classes());
  }

  @Test
  void crlfLineNumbersInErrors() {
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> parse("a,b\r\n1,2\r\n\r\n3,oops\r\n").toDataset(null, Task.REGRESSION));
    assertEquals("line 4, column 2 (b)", e.place());
  }

  @Test
  void readsAFileWithBomAndCrlf(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("data.csv");
    Files.write(file, "\uFEFFf1,f2,y\r\n0.5,1e2,1.5\r\n-1,+2,2.5\r\n".getBytes(StandardCharsets.UTF_8));
    CsvTable t = CsvTable.read(file);
    assertEquals(file.toString(), t.source());
    Dataset d = t.toDataset(null, null);
    assertEquals(Task.REGRESSION, d.task());
    assertArrayEquals(new double[][] {{0.5, 100}, {-1, 2}}, d.features().toArray());
    assertArrayEquals(new double[][] {{1.5}, {2.5}}, d.targets().toArray());
    assertEquals(DType.FLOAT32, d.targets().dtype());
  }

  @Test
  void unreadableFilesNameThePath(@TempDir Path dir) {
    Path missing = dir.resolve("nope.csv");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvTable.read(missing));
    assertEquals(missing.toString(), e.source());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
    e = assertThrows(InvalidInputException.class, () -> CsvTable.read(dir));
    assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
  }

  @Test
  void invalidUtf8IsReported(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latin1.csv");
    Files.write(file, new byte[] {'a', ',', 'b', '\n', '1', ',', (byte) 0xe9, '\n'});
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvTable.read(file));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void raggedRowsNameTheLine() {
    InvalidInputException tooMany = parseFails("a,b,c,d\n1,2,3,4\n\n1,2,3,4,5\n");
    assertEquals("line 4", tooMany.place());
    assertTrue(tooMany.getMessage().endsWith("has 5 fields, expected 4 like the header"), tooMany.getMessage());
    InvalidInputException tooFew = parseFails("a,b,c,d\n1,2,3,4\n1,2,3,4\n1,2\n");
    assertEquals("line 4", tooFew.place());
    assertTrue(tooFew.getMessage().endsWith("has 2 fields, expected 4 like the header"), tooFew.getMessage());
  }

  @Test
  void unterminatedQuoteNamesTheLineWhereItOpened() {
    InvalidInputException e = parseFails("a,b\n1,2\n3,\"open\n4,5\n6,7\n");
    assertEquals("line 3, column 2 (b)", e.place());
    assertTrue(e.getMessage().contains("never closed"), e.getMessage());
  }

  @Test
  void textAfterAClosingQuoteIsAnError() {
    InvalidInputException e = parseFails("a,b\n\"x\"y,2\n");
    assertEquals("line 2, column 1 (a)", e.place());
  }

  @Test
  void emptyInputsAreErrors() {
    assertTrue(parseFails("").getMessage().contains("empty"));
    assertTrue(parseFails("\n\r\n").getMessage().contains("empty"));
    InvalidInputException noRows = parseFails("a,b\n\n");
    assertTrue(noRows.getMessage().contains("no data rows"), noRows.getMessage());
  }

  @Test
  void headerNamesMustBeNonEmptyAndUnique() {
    InvalidInputException empty = parseFails("a,,c\n1,2,3\n");
    assertEquals("line 1, column 2", empty.place());
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    InvalidInputException dup = parseFails("x,y,z,y\n1,2,3,4\n");
    assertEquals("line 1, column 4", dup.place());
    assertTrue(dup.getMessage().contains("columns 2 and 4 are both named 'y'"), dup.getMessage());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "abc|'abc' is not a number",
      "NaN|'NaN' is not a finite number",
      "Infinity|'Infinity' is not a finite number",
      "-inf|'-inf' is not a finite number",
      "1e999|'1e999' is outside the float32 range",
      "0x10|'0x10' is not a number",
      "1.5f|'1.5f' is not a number"})
  void badFeatureCellsNameLineAndColumn(String value, String problem) {
    CsvTable t = parse("sepal,petal,species\n1,2,a\n\n3," + value + ",b\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset(null, null));
    assertEquals("line 4, column 2 (petal)", e.place());
    assertEquals("t.csv: line 4, column 2 (petal): " + problem, e.getMessage());
  }

  @Test
  void emptyFeatureCellIsAnError() {
    CsvTable t = parse("a,b,c\n1,2,x\n3,  ,y\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset("c", null));
    assertEquals("line 3, column 2 (b)", e.place());
    assertTrue(e.getMessage().contains("empty cell"), e.getMessage());
  }

  @Test
  void emptyLabelCellIsAnError() {
    CsvTable t = parse("a,label\n1,x\n2,\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset(null, null));
    assertEquals("line 3, column 2 (label)", e.place());
    InvalidInputException r = assertThrows(InvalidInputException.class, () -> t.toDataset(null, Task.REGRESSION));
    assertEquals("line 2, column 2 (label)", r.place());
  }

  @Test
  void labelByNameByIndexOrLast() {
    CsvTable t = parse("a,kind,b\n1,x,10\n2,y,20\n3,x,30\n");
    Dataset byName = t.toDataset("kind", null);
    assertEquals(List.of("a", "b"), byName.featureNames());
    assertArrayEquals(new double[][] {{1, 10}, {2, 20}, {3, 30}}, byName.features().toArray());
    assertArrayEquals(new int[] {0, 1, 0}, byName.labels());
    Dataset byIndex = t.toDataset("1", null);
    assertEquals(byName.features(), byIndex.features());
    assertEquals(byName.classes(), byIndex.classes());
    InvalidInputException kindIsAFeature = assertThrows(InvalidInputException.class, () -> t.toDataset(null, null));
    assertEquals("line 2, column 2 (kind)", kindIsAFeature.place());
    Dataset last = parse("a,b,y\n1,2,0.5\n3,4,1.5\n").toDataset(null, null);
    assertEquals(Task.REGRESSION, last.task());
    assertEquals(List.of("a", "b"), last.featureNames());
    assertArrayEquals(new double[][] {{0.5}, {1.5}}, last.targets().toArray());
    assertEquals(2, t.columnIndex("b"));
    assertEquals(0, t.columnIndex("0"));
  }

  @Test
  void unknownLabelColumnListsTheColumns() {
    CsvTable t = parse("a,b,c\n1,2,3\n4,5,6\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset("species", null));
    assertEquals("t.csv", e.source());
    assertTrue(e.getMessage().contains("'species'") && e.getMessage().contains("a, b, c"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> t.columnIndex("3"));
    assertThrows(InvalidInputException.class, () -> t.columnIndex("-1"));
    assertThrows(InvalidInputException.class, () -> t.columnIndex("99999999999"));
  }

  @Test
  void textLabelsInferClassificationInStringOrder() {
    Dataset d = parse("f,y\n1,setosa\n2,virginica\n3,versicolor\n4,setosa\n").toDataset(null, null);
    assertEquals(Task.CLASSIFICATION, d.task());
    assertEquals(List.of("setosa", "versicolor", "virginica"), d.classes());
    assertArrayEquals(new int[] {0, 2, 1, 0}, d.labels());
    assertArrayEquals(new double[][] {{1, 0, 0}, {0, 0, 1}, {0, 1, 0}, {1, 0, 0}}, d.targets().toArray());
  }

  @Test
  void fewIntegerLabelsInferClassificationInNumericOrder() {
    Dataset d = parse("f,digit\n1,10\n2,2\n3,-1\n4,10\n5, 2 \n").toDataset(null, null);
    assertEquals(Task.CLASSIFICATION, d.task());
    assertEquals(List.of("-1", "2", "10"), d.classes());
    assertArrayEquals(new int[] {2, 1, 0, 2, 1}, d.labels());
  }

  @Test
  void manyIntegerLabelsOrFloatsInferRegression() {
    Random random = new Random(42);
    StringBuilder many = new StringBuilder("f,y\n");
    for (int i = 0; i < CsvTable.MAX_INFERRED_CLASSES + 1; i++) {
      many.append(random.nextInt(100)).append(',').append(i).append('\n');
    }
    assertEquals(Task.REGRESSION, parse(many.toString()).toDataset(null, null).task());
    Dataset floats = parse("f,y\n1,0.5\n2,1\n3,0.5\n").toDataset(null, null);
    assertEquals(Task.REGRESSION, floats.task());
    assertArrayEquals(new double[][] {{0.5}, {1}, {0.5}}, floats.targets().toArray());
  }

  @Test
  void exactlyTheLimitOfIntegerLabelsAreClasses() {
    StringBuilder text = new StringBuilder("f,y\n");
    for (int i = 0; i < CsvTable.MAX_INFERRED_CLASSES; i++) {
      text.append(i).append(',').append(CsvTable.MAX_INFERRED_CLASSES - i).append('\n');
    }
    Dataset d = parse(text.toString()).toDataset(null, null);
    assertEquals(Task.CLASSIFICATION, d.task());
    assertEquals("1", d.classes().get(0));
    assertEquals(String.valueOf(CsvTable.MAX_INFERRED_CLASSES),
        d.classes().get(CsvTable.MAX_INFERRED_CLASSES - 1));
  }

  @Test
  void singleClassIsAnError() {
    CsvTable t = parse("a,species\n1,setosa\n2,setosa\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset(null, null));
    assertEquals("t.csv: column 2 (species): the label column has only one class 'setosa' in all 2 rows;"
        + " classification needs at least two", e.getMessage());
  }

  @Test
  void regressionLabelMustBeANumber() {
    CsvTable t = parse("a,y\n1,2.5\n2,high\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset(null, Task.REGRESSION));
    assertEquals("line 3, column 2 (y)", e.place());
  }

  @Test
  void modelSchemaMapsColumnsByName() {
    CsvTable t = parse("extra,b,species,a\nzzz,20,y,1\nqqq,10,x,2\n");
    Dataset d = t.toDataset(List.of("a", "b"), "species", Task.CLASSIFICATION, List.of("y", "x", "w"));
    assertEquals(List.of("a", "b"), d.featureNames());
    assertArrayEquals(new double[][] {{1, 20}, {2, 10}}, d.features().toArray());
    assertEquals(List.of("y", "x", "w"), d.classes());
    assertArrayEquals(new int[] {0, 1}, d.labels());
    Matrix x = t.features(List.of("b", "a"));
    assertArrayEquals(new double[][] {{20, 1}, {10, 2}}, x.toArray());
    assertTrue(t.hasColumn("extra"));
    assertFalse(t.hasColumn("c"));
  }

  @Test
  void modelSchemaRegression() {
    CsvTable t = parse("y,a\n1.5,3\n-2,4\n");
    Dataset d = t.toDataset(List.of("a"), "y", Task.REGRESSION, List.of());
    assertArrayEquals(new double[][] {{1.5}, {-2}}, d.targets().toArray());
  }

  @Test
  void modelSchemaMissingFeaturesAreListed() {
    CsvTable t = parse("a,species\n1,x\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> t.toDataset(List.of("a", "b", "c"), "species", Task.CLASSIFICATION, List.of("x", "y")));
    assertTrue(e.getMessage().contains("missing feature columns b, c"), e.getMessage());
    assertThrows(InvalidInputException.class, () -> t.features(List.of("b")));
  }

  @Test
  void modelSchemaMissingLabelColumn() {
    CsvTable t = parse("a,b\n1,2\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> t.toDataset(List.of("a"), "species", Task.CLASSIFICATION, List.of("x", "y")));
    assertTrue(e.getMessage().contains("no label column 'species'"), e.getMessage());
  }

  @Test
  void modelSchemaUnknownClassNamesLineColumnValueAndClasses() {
    CsvTable t = parse("a,species\n1,x\n2,y\n3,z\n");
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> t.toDataset(List.of("a"), "species", Task.CLASSIFICATION, List.of("x", "y")));
    assertEquals("t.csv: line 4, column 2 (species): 'z' is not one of the model's classes: x, y", e.getMessage());
  }

  @Test
  void builtInIrisParses() throws Exception {
    try (InputStream in = CsvTable.class.getResourceAsStream("iris.csv")) {
      Assumptions.assumeTrue(in != null, "iris.csv is not on the class path");
      CsvTable t = CsvTable.parse("iris", new InputStreamReader(in, StandardCharsets.UTF_8));
      Dataset d = t.toDataset("species", null);
      assertEquals(Task.CLASSIFICATION, d.task());
      assertEquals(4, d.featureCount());
      assertEquals(3, d.classes().size());
    }
  }
}

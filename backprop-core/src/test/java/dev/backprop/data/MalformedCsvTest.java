package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed CSV files read from disk: each rejection names the file, the 1-based line and column (and the
 * column's header name once the header is known), and the problem.
 */
class MalformedCsvTest {
  @TempDir
  Path dir;

  private Path file(String name, String text) throws IOException {
    return Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
  }

  /** Asserts the exception's whole message: the file, the place, the problem. */
  private static void assertMessage(InvalidInputException e, Path file, String place, String problem) {
    assertEquals(file.toString(), e.source());
    assertEquals(place, e.place());
    assertEquals(file + ": " + place + ": " + problem, e.getMessage());
  }

  @Test
  void aByteOrderMarkIsStrippedFromTheFirstHeaderName() throws IOException {
    Path file = Files.write(dir.resolve("bom.csv"), concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "x,label\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8)));
    CsvTable t = CsvTable.read(file);
    assertEquals(List.of("x", "label"), t.header());
    assertEquals(0, t.columnIndex("x"));
    // Only the first one: a second mark is text, and so not a number.
    Path twice = Files.write(dir.resolve("bom2.csv"), concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF},
        "x,label\n\uFEFF1,a\n2,b\n".getBytes(StandardCharsets.UTF_8)));
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CsvTable.read(twice).toDataset(null, null));
    assertMessage(e, twice, "line 2, column 1 (x)", "'\uFEFF1' is not a number");
  }

  @Test
  void emptyCellNamesLineAndColumn() throws IOException {
    Path file = file("empty-cell.csv", "a,b,label\n1,2,x\n3,,y\n");
    CsvTable t = CsvTable.read(file);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset(null, null));
    assertMessage(e, file, "line 3, column 2 (b)", "empty cell, expected a number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"NaN", "nan", "Inf", "-Infinity", "+inf"})
  void nonFiniteCellNamesLineAndColumn(String value) throws IOException {
    Path file = file("non-finite.csv", "a,b,label\n1,2,x\n\n3," + value + ",y\n");
    CsvTable t = CsvTable.read(file);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset(null, null));
    assertMessage(e, file, "line 4, column 2 (b)", "'" + value + "' is not a finite number");
    Path target = file("non-finite-target.csv", "a,y\n1,2\n\n3," + value + "\n");
    CsvTable r = CsvTable.read(target);
    InvalidInputException asTarget = assertThrows(InvalidInputException.class,
        () -> r.toDataset(null, Task.REGRESSION));
    assertMessage(asTarget, target, "line 4, column 2 (y)", "'" + value + "' is not a finite number");
  }

  @Test
  void duplicateHeaderNamesNameTheSecondColumn() throws IOException {
    Path file = file("duplicate.csv", "\n\nx,y,x\n1,2,3\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvTable.read(file));
    assertMessage(e, file, "line 3, column 3", "columns 1 and 3 are both named 'x'; header names must be unique");
  }

  @Test
  void missingHeaderNameNamesItsColumn() throws IOException {
    Path file = file("missing-name.csv", "x, ,label\n1,2,a\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvTable.read(file));
    assertMessage(e, file, "line 1, column 2", "the header name is empty; every column needs a name");
    Path quoted = file("missing-quoted-name.csv", "x,label,\"\"\n1,a,2\n");
    InvalidInputException q = assertThrows(InvalidInputException.class, () -> CsvTable.read(quoted));
    assertMessage(q, quoted, "line 1, column 3", "the header name is empty; every column needs a name");
  }

  @Test
  void aLabelColumnWithOneClassIsNotAClassification() throws IOException {
    Path file = file("one-class.csv", "kind,x\nsetosa,1\nsetosa,2\nsetosa,3\n");
    CsvTable t = CsvTable.read(file);
    for (Task task : new Task[] {null, Task.CLASSIFICATION}) {
      InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset("kind", task));
      assertMessage(e, file, "column 1 (kind)",
          "the label column has only one class 'setosa' in all 3 rows; classification needs at least two");
    }
    // As a regression target the same column is a text, which is not a number.
    InvalidInputException r = assertThrows(InvalidInputException.class, () -> t.toDataset("kind", Task.REGRESSION));
    assertMessage(r, file, "line 2, column 1 (kind)", "'setosa' is not a number");
  }

  @Test
  void quotedFieldsKeepCommasQuotesAndNewlinesAndLaterLinesStayRight() throws IOException {
    Path file = file("quoted.csv", "\"x, the first\",\"label \"\"quoted\"\"\"\n"
        + "1,\"a, b\"\n"
        + "2,\"say \"\"hi\"\"\"\n"
        + "3,\"two\nlines\"\n"
        + "4,\"crlf\r\ninside\"\r\n"
        + "oops,b\n");
    CsvTable t = CsvTable.read(file);
    assertEquals(List.of("x, the first", "label \"quoted\""), t.header());
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> t.toDataset(null, null));
    // Line 8, not 6: the two fields that hold line breaks moved the record down by two lines.
    assertMessage(e, file, "line 8, column 1 (x, the first)", "'oops' is not a number");
    Path good = file("quoted-good.csv", "x,label\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n");
    Dataset d = CsvTable.read(good).toDataset(null, null);
    assertEquals(List.of("a, b", "say \"hi\"", "two\nlines"), d.classes());
    assertArrayEquals(new int[] {0, 1, 2}, d.labels());
  }

  @Test
  void brokenQuotingNamesTheLineAndColumn() throws IOException {
    Path open = file("open.csv", "x,label\n1,a\n2,\"never\nclosed\n");
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvTable.read(open));
    assertMessage(e, open, "line 3, column 2 (label)",
        "the quoted field that opens on this line is never closed; expected a closing '\"'");
    Path after = file("after.csv", "x,label\n1,\"a\"b\n");
    InvalidInputException a = assertThrows(InvalidInputException.class, () -> CsvTable.read(after));
    assertMessage(a, after, "line 2, column 2 (label)", "unexpected 'b' after a closing quote; expected a comma or"
        + " the end of the line (write a quote inside a quoted field as \"\")");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = new byte[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}

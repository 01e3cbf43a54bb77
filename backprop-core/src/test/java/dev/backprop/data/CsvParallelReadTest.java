package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte parser over several blocks: the same table and the same first problem with one thread or two, quoted
 * line breaks across block ends, gzip files, and the number conversion against the JDK's.
 */
class CsvParallelReadTest {
  @TempDir
  Path dir;

  /** A table of several blocks with numbers, texts, gaps and quoted fields holding line breaks. */
  private static String bigCsv(int rows, long seed) {
    Random random = new Random(seed);
    StringBuilder s = new StringBuilder("a,b,\"c, quoted\",label\n");
    for (int i = 0; i < rows; i++) {
      s.append(random.nextGaussian() * 100).append(',');
      s.append(i % 97 == 0 ? "" : i % 89 == 0 ? "NA" : Integer.toString(random.nextInt(7))).append(',');
      s.append(i % 1013 == 0 ? "\"two\nlines, \"\"q\"\"\"" : i % 31 == 0 ? " text " : "1.5e" + random.nextInt(5));
      s.append(',').append("k").append(random.nextInt(4)).append(i % 3 == 0 ? "\r\n" : "\n");
    }
    return s.toString();
  }

  private static void assertSameTable(CsvTable one, CsvTable two) {
    assertEquals(one.header(), two.header());
    assertEquals(one.rowCount(), two.rowCount());
    for (int r = 0; r < one.rowCount(); r++) {
      for (int c = 0; c < one.header().size(); c++) {
        assertEquals(one.isNumber(r, c), two.isNumber(r, c));
        assertEquals(Double.doubleToRawLongBits(one.number(r, c)), Double.doubleToRawLongBits(two.number(r, c)));
        assertEquals(one.text(r, c), two.text(r, c));
      }
    }
  }

  @Test
  void oneAndTwoThreadsGiveTheSameTable() {
    byte[] bytes = bigCsv(400_000, 7).getBytes(StandardCharsets.UTF_8);
    assertTrue(bytes.length > 2 * CsvReader.BLOCK, "the table spans several blocks");
    CsvTable one = CsvTable.parse("t.csv", bytes, 1);
    CsvTable two = CsvTable.parse("t.csv", bytes, 2);
    assertEquals(400_000, one.rowCount());
    assertSameTable(one, two);
    // the cells as written
    assertEquals("", one.text(0, 1));
    assertFalse(one.isNumber(0, 1));
    assertTrue(Double.isNaN(one.number(89, 1)));
    assertEquals("NA", one.text(89, 1));
    assertEquals("two\nlines, \"q\"", one.text(1013, 2));
    assertEquals("text", one.text(31, 2));
    assertTrue(one.text(1, 2).startsWith("1.5e"), one.text(1, 2));
    assertTrue(one.isNumber(1, 0));
    // a column of more than a thousand distinct numbers spells them from their floats
    assertEquals(Float.toString((float) one.number(5, 0)), one.text(5, 0));
  }

  @Test
  void theFirstProblemInFileOrderIsReportedWithAnyThreadCount() {
    String good = bigCsv(300_000, 3);
    int cut = good.length() * 3 / 4;
    int lineStart = good.lastIndexOf('\n', cut) + 1;
    // an early problem near the end of the file and a later one in the first block: the early one wins
    String early = good.substring(0, 200) + "\n1,2,\"open" + good.substring(200);
    String bad = early.substring(0, lineStart + 11) + "1,2,3,4,5,6\n" + early.substring(lineStart + 11);
    for (String text : new String[] {bad, good.substring(0, lineStart) + "1,2,3\n" + good.substring(lineStart)}) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      InvalidInputException one = assertThrows(InvalidInputException.class, () -> CsvTable.parse("t.csv", bytes, 1));
      InvalidInputException two = assertThrows(InvalidInputException.class, () -> CsvTable.parse("t.csv", bytes, 2));
      assertEquals(one.getMessage(), two.getMessage());
    }
    String late = good.substring(0, lineStart) + "1,2,3\n" + good.substring(lineStart);
    InvalidInputException e = assertThrows(InvalidInputException.class,
        () -> CsvTable.parse("t.csv", late.getBytes(StandardCharsets.UTF_8), 2));
    long line = 1 + late.substring(0, lineStart).chars().filter(ch -> ch == '\n').count();
    assertEquals("line " + line, e.place());
    assertTrue(e.getMessage().endsWith("has 3 fields, expected 4 like the header"), e.getMessage());
  }

  @Test
  void gzipFilesReadLikeTheirText() throws IOException {
    String text = bigCsv(20_000, 11);
    Path plain = Files.writeString(dir.resolve("t.csv"), text);
    ByteArrayOutputStream packed = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(packed)) {
      gz.write(text.getBytes(StandardCharsets.UTF_8));
    }
    Path gzip = Files.write(dir.resolve("t.csv.gz"), packed.toByteArray());
    assertSameTable(CsvTable.read(plain, 2), CsvTable.read(gzip, 1));
    assertEquals(DataSources.sha256(gzip), CsvTable.read(gzip, 2).sha256());
    assertEquals(DataSources.sha256(plain), CsvTable.read(plain, 2).sha256());
    Path broken = Files.write(dir.resolve("broken.csv.gz"),
        java.util.Arrays.copyOf(packed.toByteArray(), packed.size() / 2));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> CsvTable.read(broken));
    assertEquals(broken.toString(), e.source());
  }

  private static void assertConverts(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    double expected = Double.parseDouble(text);
    double got = CsvNumbers.parse(b, 0, b.length);
    assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(got), text);
    assertEquals(Float.floatToRawIntBits((float) expected), Float.floatToRawIntBits((float) got), text);
  }

  @Test
  void numbersConvertExactlyAsTheJdkDoes() {
    for (String s : new String[] {"0", "-0", "+0.0", "1", "1.", ".5", "-.5e-3", "007", "1e0", "1E+22", "1e23",
        "123456789012345", "1234567890123456", "12345678901234567890123", "0.1", "3.4028235e38", "3.4028236e38",
        "1.4e-45", "7e-46", "1e-400", "9007199254740993", "0.000000000000000000000000001", "1e999999999999",
        "2.2250738585072011e-308", "16777217", "0.30000001192092896", "1.00000017881393432617187499"}) {
      assertConverts(s);
    }
    Random random = new Random(1);
    for (int i = 0; i < 200_000; i++) {
      String s;
      switch (i % 4) {
        case 0 -> s = Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(40) - 20));
        case 1 -> s = Float.toString(Float.intBitsToFloat(random.nextInt()) );
        case 2 -> s = String.format("%." + random.nextInt(9) + "f", (random.nextDouble() - 0.5) * 1000);
        default -> s = (random.nextLong() % 100_000_000_000_000_000L) + "e" + (random.nextInt(60) - 30);
      }
      if (s.contains("N") || s.contains("I")) {
        continue;
      }
      assertConverts(s);
    }
    for (String s : new String[] {"", "+", "-", ".", "e5", "1e", "1e+", "1.5f", "0x10", "1d", "1,5", "--1", "1 2"}) {
      byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
      assertTrue(Double.isNaN(CsvNumbers.parse(b, 0, b.length)), s);
    }
  }

  @Test
  void aQuotedLineBreakAtABlockEndIsNoBoundary() {
    StringBuilder s = new StringBuilder("x,label\n");
    String row = "1,a\n";
    while (s.length() < CsvReader.BLOCK - 5) {
      s.append(row);
    }
    s.append("2,\"lo\nng\"\n");   // the quoted line break falls around the end of the first block
    for (int i = 0; i < 1000; i++) {
      s.append(row);
    }
    byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
    CsvTable one = CsvTable.parse("t.csv", bytes, 1);
    CsvTable two = CsvTable.parse("t.csv", bytes, 2);
    assertSameTable(one, two);
    int quoted = (CsvReader.BLOCK - 5 - 8) / row.length() + 1;
    assertEquals("lo\nng", one.text(quoted, 1));
    assertEquals(-1, CsvReader.boundary("\"a\nb".getBytes(StandardCharsets.UTF_8), 0, 4));
  }
}

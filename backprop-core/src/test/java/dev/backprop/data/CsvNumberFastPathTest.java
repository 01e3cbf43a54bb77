package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.SeededRandom;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The parser's fast path for the usual cell (a short number read eight bytes at a time) against the JDK's reading
 * of the same text, and its word arithmetic (digits, line feeds) against a count byte by byte.
 */
class CsvNumberFastPathTest {
  private static byte[] word(String s) {
    byte[] b = new byte[16];
    byte[] t = s.getBytes(StandardCharsets.ISO_8859_1);
    System.arraycopy(t, 0, b, 0, Math.min(t.length, 16));
    return b;
  }

  @Test
  void leadingDigitsAndTheirValueMatchACountByHand() {
    long seed = 41;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    String alphabet = "0123456789.,-+e\n\r /:\u00ff";
    for (int trial = 0; trial < 200_000; trial++) {
      StringBuilder s = new StringBuilder();
      int digits = random.nextInt(9);
      for (int i = 0; i < digits; i++) {
        s.append((char) ('0' + random.nextInt(10)));
      }
      while (s.length() < 8) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      byte[] b = word(s.toString());
      long w = CsvNumbers.word(b, 0);
      int expected = 0;
      while (expected < 8 && b[expected] >= '0' && b[expected] <= '9') {
        expected++;
      }
      assertEquals(expected, CsvNumbers.leadingDigits(w), s.toString());
      if (expected > 0) {
        assertEquals(Long.parseLong(s.substring(0, expected)), CsvNumbers.digits(w, expected), s.toString());
      }
    }
  }

  @Test
  void everyCellReadsAsTheJdkReadsItsText() {
    long seed = 43;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < 660_000; i++) {
      cells.add(switch (i % 8) {
        case 0 -> String.format(Locale.ROOT, "%." + random.nextInt(8) + "f", random.nextDouble(-2e4, 2e4));
        case 1 -> Integer.toString(random.nextInt(Integer.MAX_VALUE) >> random.nextInt(31));
        case 2 -> (random.nextInt(2) == 0 ? "+" : "-") + "0".repeat(random.nextInt(4)) + "." + random.nextInt(1000);
        case 3 -> Double.toString(random.nextDouble(-1, 1) * Math.pow(10, random.nextInt(30) - 15));
        case 4 -> "12345678" + (random.nextInt(2) == 0 ? "" : ".5");
        case 5 -> "0." + "0123456789".substring(0, 1 + random.nextInt(9));
        case 6 -> random.nextInt(10) + "." + "9".repeat(random.nextInt(12));
        default -> List.of("1.", ".5", "-0", "+7", "00", "1.2.3", "1e5", "2E-3", "--1", "-", ".", "1e", "0x1", "7f")
            .get(random.nextInt(14));
      });
    }
    StringBuilder s = new StringBuilder("a,b,c\n");
    for (int i = 0; i + 2 < cells.size(); i += 3) {
      s.append(cells.get(i)).append(',').append(cells.get(i + 1)).append(',').append(cells.get(i + 2)).append('\n');
    }
    s.setLength(s.length() - 1);  // the last record without its line end, at the very end of the bytes
    byte[] bytes = s.toString().getBytes(StandardCharsets.US_ASCII);
    assertTrue(bytes.length > CsvReader.BLOCK, "the cells span several blocks");
    CsvTable table = CsvTable.parse("n.csv", bytes, 2);
    assertEquals(cells.size() / 3, table.rowCount());
    for (int r = 0; r < table.rowCount(); r++) {
      for (int c = 0; c < 3; c++) {
        String text = cells.get(3 * r + c);
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        double expected = CsvNumbers.parse(t, 0, t.length);
        float f = (float) expected;
        if (!Double.isNaN(expected)) {
          assertEquals(Double.doubleToRawLongBits(Double.parseDouble(text)), Double.doubleToRawLongBits(expected),
              text);
        }
        assertEquals(Float.isFinite(f), table.isNumber(r, c), text);
        if (Float.isFinite(f)) {
          assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((float) table.number(r, c)), text);
        } else {
          assertEquals(text, table.text(r, c));
        }
      }
    }
  }

  @Test
  void lineFeedsAreCountedAsByHand() {
    long seed = 47;
    System.out.println("seed " + seed);
    SeededRandom random = new SeededRandom(seed);
    for (int trial = 0; trial < 2000; trial++) {
      byte[] b = new byte[random.nextInt(200)];
      for (int i = 0; i < b.length; i++) {
        // line feeds among bytes that differ from one in a bit, and bytes with the top bit set
        b[i] = (byte) new int[] {'\n', '\r', 'a', ',', 0x0B, 0x8A, 0x0A | 0x80, 0}[random.nextInt(8)];
      }
      int from = b.length == 0 ? 0 : random.nextInt(b.length);
      int to = from + random.nextInt(b.length - from + 1);
      int expected = 0;
      for (int i = from; i < to; i++) {
        expected += b[i] == '\n' ? 1 : 0;
      }
      assertEquals(expected, CsvChunk.lineFeeds(b, from, to), "trial " + trial);
    }
  }
}

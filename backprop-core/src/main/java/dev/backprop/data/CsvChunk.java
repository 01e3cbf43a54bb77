package dev.backprop.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One piece of a CSV file that starts at a record boundary, parsed straight from its UTF-8 bytes into columns:
 * a float per cell (NaN where the cell is not a number) and, where the text is needed, a code into the column's
 * {@link CsvTexts}. Lines are counted from the chunk's start; the reader adds the lines of earlier chunks.
 *
 * <p>A problem does not throw here: the chunk stops at its first problem and keeps it, so that the reader can
 * report the first one in file order, whichever thread found it.
 */
final class CsvChunk {
  /**
   * Above this many distinct numbers in a column of a chunk, its numbers are no longer kept as texts (their
   * text is then the float's own spelling): a column of measurements would otherwise keep every cell twice.
   */
  static final int MAX_NUMBER_TEXTS = 1000;

  /** A problem at a line counted from the chunk's start; column -1 when the problem is the whole line. */
  record Problem(int line, int column, String message) {
  }

  /** 1 for the bytes '+' and '-', 0 for the others: a sign is skipped without a branch. */
  private static final byte[] SIGNS = new byte[256];

  static {
    SIGNS['+'] = 1;
    SIGNS['-'] = 1;
  }

  private final byte[] b;
  private final int end;
  private final int columns;
  private int p;
  private int line;

  int rows;
  float[][] values;
  /** Per column, code + 1 of each row's text (0: the number's own spelling); null when no row needs one. */
  int[][] codes;
  CsvTexts[] texts;
  boolean[] numbersDropped;
  /** Per row, the line where its record starts, counted from the chunk's start (0 for its first line). */
  int[] recordLines;
  int lines;
  Problem problem;

  // the field last scanned: its (unescaped, not yet trimmed) content and where it opened
  private byte[] fieldBytes;
  private int fieldFrom;
  private int fieldTo;
  private boolean fieldNonAscii;
  private int fieldLine;
  private byte[] scratch = new byte[64];

  private CsvChunk(byte[] b, int from, int end, int columns) {
    this.b = b;
    this.p = from;
    this.end = end;
    this.columns = columns;
  }

  /** The header: its fields as written (unquoted ones stripped), or a problem, or null when the bytes end first. */
  record Header(List<String> names, int line, int end, int lines, Problem problem) {
  }

  /**
   * Parses the header record at the start of the input (after a byte order mark and empty lines). Returns null
   * when {@code b[0, end)} ends inside the header and more input follows ({@code atEof} false).
   */
  static Header header(byte[] b, int end, boolean atEof) {
    CsvChunk c = new CsvChunk(b, 0, end, 0);
    if (end >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
      c.p = 3;
    }
    c.skipEmptyLines();
    if (c.p == end) {
      return atEof ? new Header(null, c.line, end, c.line, null) : null;
    }
    int start = c.line;
    List<String> names = new ArrayList<>();
    while (true) {
      boolean quoted = c.field(names.size());
      if (c.problem != null) {
        return c.p == end && !atEof ? null : new Header(null, start, c.p, c.line, c.problem);
      }
      String name = c.fieldString(false);
      if (c.problem != null) {
        return new Header(null, start, c.p, c.line, c.problem);
      }
      names.add(quoted ? name : name.strip());
      if (c.p < end && b[c.p] == ',') {
        c.p++;
        continue;
      }
      break;
    }
    if (c.p == end && !atEof) {
      return null;
    }
    c.endLine();
    return new Header(names, start, c.p, c.line, null);
  }

  /** Parses the records in {@code b[from, end)}, which starts at a record boundary. */
  static CsvChunk parse(byte[] b, int from, int end, int columns) {
    CsvChunk c = new CsvChunk(b, from, end, columns);
    c.records();
    return c;
  }

  private void records() {
    // Every record but the last ends with a line feed, so this many rows fit: no array grows or is copied.
    int capacity = (p < end && b[end - 1] != '\n' ? 1 : 0) + lineFeeds(b, p, end);
    values = new float[columns][capacity];
    codes = new int[columns][];
    texts = new CsvTexts[columns];
    numbersDropped = new boolean[columns];
    recordLines = new int[capacity];
    for (int c = 0; c < columns; c++) {
      texts[c] = new CsvTexts();
    }
    while (true) {
      skipEmptyLines();
      if (p >= end) {
        break;
      }
      if (rows == recordLines.length) {
        grow();
      }
      if (!record()) {
        return;
      }
    }
    lines = line;
    trim();
  }

  /** The number of line feeds in b[from, to), counted eight bytes at a time. */
  static int lineFeeds(byte[] b, int from, int to) {
    int n = 0;
    int i = from;
    for (; i + 8 <= to; i += 8) {
      // a byte of x is zero where the byte is a line feed; its top bit stays clear after the sum only then
      long x = CsvNumbers.word(b, i) ^ 0x0A0A0A0A0A0A0A0AL;
      long nonZero = ((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x;
      n += Long.bitCount(~nonZero & 0x8080808080808080L);
    }
    for (; i < to; i++) {
      n += b[i] == '\n' ? 1 : 0;
    }
    return n;
  }

  /**
   * Parses the record at p into row {@code rows}; false after a problem. (One record a call: the JIT compiles this
   * once, as a method called many times, where a loop over all the records was compiled twice, while running and
   * again whole.)
   */
  private boolean record() {
    int recordLine = line;
    int field = 0;
    while (true) {
      // the usual cells first, as long as they come: short numbers (see shortNumber)
      int at = p;
      boolean ended = false;
      while (field < columns && at + SHORT_ROOM <= end) {
        int after = shortNumber(b, at, values[field], rows);
        if (after < 0) {
          break;
        }
        if (!numbersDropped[field]) {
          keepText(field, b, at, after, true);
        }
        field++;
        at = after;
        if (b[at] != ',') {
          ended = true;
          break;
        }
        at++;
      }
      p = at;
      if (ended) {
        break;
      }
      if (field < columns && number(field)) {
        field++;
        if (p < end && b[p] == ',') {
          p++;
          continue;
        }
        break;
      }
      field(field);
      if (problem != null) {
        return false;
      }
      if (field < columns) {
        cell(field);
        if (problem != null) {
          return false;
        }
      }
      field++;
      if (p < end && b[p] == ',') {
        p++;
        continue;
      }
      break;
    }
    endLine();
    if (field != columns) {
      problem = new Problem(recordLine, -1, "has " + field + " field" + (field == 1 ? "" : "s") + ", expected "
          + columns + " like the header");
      return false;
    }
    recordLines[rows++] = recordLine;
    return true;
  }

  private void skipEmptyLines() {
    while (p < end && (b[p] == '\n' || b[p] == '\r')) {
      endLine();
    }
  }

  /** Consumes a line end (LF, CRLF or a lone CR) if there is one. */
  private void endLine() {
    if (p < end) {
      if (b[p] == '\r' && p + 1 < end && b[p + 1] == '\n') {
        p++;
      }
      p++;
      line++;
    }
    lines = line;
  }

  /** Scans one field at p; returns whether it was quoted. Leaves p at the comma, line end or end. */
  private boolean field(int column) {
    fieldLine = line;
    fieldNonAscii = false;
    if (p < end && b[p] == '"') {
      quoted(column);
      return true;
    }
    int start = p;
    boolean nonAscii = false;
    byte c;
    while (p < end && (c = b[p]) != ',' && c != '\n' && c != '\r') {
      nonAscii |= c < 0;
      p++;
    }
    fieldBytes = b;
    fieldFrom = start;
    fieldTo = p;
    fieldNonAscii = nonAscii;
    return false;
  }

  private void quoted(int column) {
    int openLine = line;
    p++;
    int start = p;
    boolean escapes = false;
    boolean nonAscii = false;
    while (true) {
      if (p >= end) {
        problem = new Problem(openLine, column,
            "the quoted field that opens on this line is never closed; expected a closing '\"'");
        return;
      }
      byte c = b[p];
      if (c == '"') {
        if (p + 1 < end && b[p + 1] == '"') {
          escapes = true;
          p += 2;
          continue;
        }
        break;
      }
      if (c == '\n' || (c == '\r' && (p + 1 >= end || b[p + 1] != '\n'))) {
        line++;
      }
      nonAscii |= c < 0;
      p++;
    }
    int close = p++;
    while (p < end && (b[p] == ' ' || b[p] == '\t')) {
      p++;
    }
    if (p < end && b[p] != ',' && b[p] != '\n' && b[p] != '\r') {
      String found = charAt(p);
      problem = found == null ? notUtf8(line) : new Problem(line, column, "unexpected '" + found
          + "' after a closing quote; expected a comma or the end of the line (write a quote inside a"
          + " quoted field as \"\")");
      return;
    }
    if (escapes) {
      if (scratch.length < close - start) {
        scratch = new byte[Math.max(2 * scratch.length, close - start)];
      }
      int n = 0;
      for (int i = start; i < close; i++) {
        scratch[n++] = b[i];
        if (b[i] == '"') {
          i++;
        }
      }
      fieldBytes = scratch;
      fieldFrom = 0;
      fieldTo = n;
    } else {
      fieldBytes = b;
      fieldFrom = start;
      fieldTo = close;
    }
    fieldNonAscii = nonAscii;
  }

  /** The field's text as a String, checked as UTF-8; unstripped. */
  private String fieldString(boolean unused) {
    if (fieldNonAscii && Utf8.firstInvalid(fieldBytes, fieldFrom, fieldTo) >= 0) {
      problem = notUtf8(fieldLine);
      return null;
    }
    return new String(fieldBytes, fieldFrom, fieldTo - fieldFrom, StandardCharsets.UTF_8);
  }

  /** Stores the field last scanned as row {@code rows}'s cell of {@code column}. */
  private void cell(int column) {
    byte[] t = fieldBytes;
    int from = fieldFrom;
    int to = fieldTo;
    if (fieldNonAscii) {
      // Unicode whitespace is stripped as String.strip does; such cells are rare enough to go through a String.
      String text = fieldString(false);
      if (text == null) {
        return;
      }
      t = text.strip().getBytes(StandardCharsets.UTF_8);
      from = 0;
      to = t.length;
    } else {
      while (from < to && isSpace(t[from])) {
        from++;
      }
      while (to > from && isSpace(t[to - 1])) {
        to--;
      }
    }
    keep(column, t, from, to, (float) CsvNumbers.parse(t, from, to));
  }

  /**
   * Reads the field at p when it is a plain number that a comma, a line end or the end follows: scanned and
   * converted in one pass, stored, and p left after it. Returns false, with nothing consumed, for any other field
   * (quoted, spaced, text, a malformed number), which the general path then reads.
   */
  private boolean number(int column) {
    int i = p;
    if (i < end && (b[i] == '-' || b[i] == '+')) {
      i++;
    }
    long m = 0;
    int digits = 0;
    byte c;
    for (; i < end && (c = b[i]) >= '0' && c <= '9'; i++, digits++) {
      m = m * 10 + (c - '0');
    }
    int fraction = 0;
    if (i < end && b[i] == '.') {
      for (i++; i < end && (c = b[i]) >= '0' && c <= '9'; i++, fraction++) {
        m = m * 10 + (c - '0');
      }
    }
    if (digits + fraction == 0) {
      return false;
    }
    long exponent = 0;
    if (i < end && (b[i] == 'e' || b[i] == 'E')) {
      i++;
      boolean negative = i < end && b[i] == '-';
      if (i < end && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      int first = i;
      for (; i < end && (c = b[i]) >= '0' && c <= '9'; i++) {
        if (exponent < 1_000_000_000L) {
          exponent = exponent * 10 + (c - '0');
        }
      }
      if (i == first) {
        return false;
      }
      exponent = negative ? -exponent : exponent;
    }
    if (i < end && (c = b[i]) != ',' && c != '\n' && c != '\r') {
      return false;
    }
    int from = p;
    p = i;
    keep(column, b, from, i, (float) CsvNumbers.value(b, from, i, m, digits + fraction, exponent - fraction));
    return true;
  }

  /** The bytes {@link #shortNumber} may read from a field's start on. */
  private static final int SHORT_ROOM = 20;

  /**
   * The usual cell: a number with fewer than eight digits before its point and after it and no exponent, that a
   * comma or a line end follows. Read eight bytes at a time: where its digits end is found from the bytes' bits,
   * not by a branch per digit whose outcome changes from cell to cell. Stores its float into column[row] and
   * returns the position after it, or -1 (nothing stored) for any other field. {@link #SHORT_ROOM} bytes from p on
   * must lie in the chunk.
   */
  private static int shortNumber(byte[] b, int p, float[] column, int row) {
    int i = p + SIGNS[b[p] & 0xff];
    long word = CsvNumbers.word(b, i);
    int whole = CsvNumbers.leadingDigits(word);
    if (whole == 8) {
      return -1;
    }
    long m = whole == 0 ? 0 : CsvNumbers.digits(word, whole);
    i += whole;
    int fraction = 0;
    if (b[i] == '.') {
      long next = CsvNumbers.word(b, i + 1);
      fraction = CsvNumbers.leadingDigits(next);
      if (fraction == 8) {
        return -1;
      }
      if (fraction > 0) {
        m = m * CsvNumbers.powerOfTen(fraction) + CsvNumbers.digits(next, fraction);
      }
      i += 1 + fraction;
    }
    byte c = b[i];
    if (whole + fraction == 0 || (c != ',' && c != '\n' && c != '\r')) {
      return -1;
    }
    column[row] = (float) CsvNumbers.value(b, p, i, m, whole + fraction, -fraction);
    return i;
  }

  /** Stores a cell's float and, where the column keeps them, its text b[from, to) (already trimmed). */
  private void keep(int column, byte[] t, int from, int to, float value) {
    values[column][rows] = value;
    boolean finite = Float.isFinite(value);
    if (!(finite && numbersDropped[column])) {
      keepText(column, t, from, to, finite);
    }
  }

  /** Keeps the text of row {@code rows}'s cell of {@code column}, b[from, to); {@code finite}: it is a number. */
  private void keepText(int column, byte[] t, int from, int to, boolean finite) {
    int code = texts[column].intern(t, from, to, finite);
    int[] c = codes[column];
    if (c == null || rows >= c.length) {
      // grown as needed: a column of numbers usually stops keeping texts after about a thousand rows
      int length = c == null ? 1024 : 2 * c.length;
      c = codes[column] = Arrays.copyOf(c == null ? new int[0] : c, Math.min(values[column].length, Math.max(length, rows + 1)));
    }
    c[rows] = code + 1;
    if (texts[column].numericSize() > MAX_NUMBER_TEXTS) {
      numbersDropped[column] = true;
    }
  }

  /** Whitespace as Character.isWhitespace sees it, among ASCII bytes. */
  private static boolean isSpace(byte c) {
    return c == ' ' || (c >= 9 && c <= 13) || (c >= 28 && c <= 31);
  }

  /** The character that starts at byte i, or null if the bytes there are not UTF-8. */
  private String charAt(int i) {
    if (b[i] >= 0) {
      return String.valueOf((char) b[i]);
    }
    int n = (b[i] & 0xE0) == 0xC0 ? 2 : (b[i] & 0xF0) == 0xE0 ? 3 : (b[i] & 0xF8) == 0xF0 ? 4 : 1;
    int to = Math.min(end, i + n);
    if (Utf8.firstInvalid(b, i, to) >= 0 || to - i != n) {
      return null;
    }
    return new String(b, i, n, StandardCharsets.UTF_8);
  }

  private static Problem notUtf8(int line) {
    return new Problem(line, -1, "the text is not valid UTF-8");
  }

  private void grow() {
    // only when lone CRs end the lines
    int capacity = Math.max(16, 2 * recordLines.length);
    recordLines = Arrays.copyOf(recordLines, capacity);
    for (int c = 0; c < columns; c++) {
      values[c] = Arrays.copyOf(values[c], capacity);
    }
  }

  /** Cuts the arrays to the rows, and drops the codes of a column whose every text is its number's spelling. */
  private void trim() {
    if (recordLines.length != rows) {
      recordLines = Arrays.copyOf(recordLines, rows);
    }
    for (int c = 0; c < columns; c++) {
      if (values[c].length != rows) {
        values[c] = Arrays.copyOf(values[c], rows);
      }
      if (codes[c] != null) {
        codes[c] = numbersDropped[c] && texts[c].numericSize() == texts[c].size() ? null
            : codes[c].length == rows ? codes[c] : Arrays.copyOf(codes[c], rows);
      }
    }
  }
}

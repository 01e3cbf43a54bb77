package dev.backprop.data;

import dev.backprop.InvalidInputException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits RFC 4180 text into records, one at a time, remembering the 1-based line where each record starts.
 *
 * <p>Fields are separated by commas and may be enclosed in double quotes; inside quotes {@code ""} stands for
 * one quote, and commas and line breaks are part of the field. Lines end with LF, CRLF or a lone CR. A UTF-8
 * byte order mark at the very start is skipped, and completely empty lines are skipped. Unquoted fields are
 * stripped of surrounding whitespace; quoted fields are kept exactly as written. Problems throw an
 * {@link InvalidInputException} naming the source and the line.
 */
final class CsvParser {
  private static final int EOF = -1;
  private static final int NONE = -2;
  private static final char BOM = '\uFEFF';

  /** One record: the line it starts on and its fields. */
  record Record(int line, String[] fields) {
  }

  private final String source;
  private final Reader in;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;
  private int pushedBack = NONE;
  private boolean started;
  private int line = 1;
  private List<String> names = List.of();

  /** Reads from {@code in}, which is not closed; {@code source} names the input in messages. */
  CsvParser(String source, Reader in) {
    this.source = source;
    this.in = in;
  }

  /** Column names to show in messages about later records (the header, once it is known). */
  void names(List<String> columnNames) {
    this.names = List.copyOf(columnNames);
  }

  /** The next record, or null at the end of the input. */
  Record next() {
    int c = read();
    if (!started) {
      started = true;
      if (c == BOM) {
        c = read();
      }
    }
    while (c == '\n' || c == '\r') {
      endLine(c);
      c = read();
    }
    if (c == EOF) {
      return null;
    }
    int startLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    while (true) {
      text.setLength(0);
      if (c == '"') {
        c = quoted(text, fields.size());
        fields.add(text.toString());
      } else {
        while (c != ',' && c != '\n' && c != '\r' && c != EOF) {
          text.append((char) c);
          c = read();
        }
        fields.add(text.toString().strip());
      }
      if (c != ',') {
        break;
      }
      c = read();
    }
    endLine(c);
    return new Record(startLine, fields.toArray(new String[0]));
  }

  /** Reads a quoted field after its opening quote; returns the character after the field. */
  private int quoted(StringBuilder text, int column) {
    int openLine = line;
    while (true) {
      int c = read();
      if (c == EOF) {
        throw new InvalidInputException(source, place(openLine, column),
            "the quoted field that opens on this line is never closed; expected a closing '\"'");
      }
      if (c == '"') {
        c = read();
        if (c == '"') {
          text.append('"');
          continue;
        }
        while (c == ' ' || c == '\t') {
          c = read();
        }
        if (c != ',' && c != '\n' && c != '\r' && c != EOF) {
          throw new InvalidInputException(source, place(line, column), "unexpected '" + (char) c
              + "' after a closing quote; expected a comma or the end of the line (write a quote inside a"
              + " quoted field as \"\")");
        }
        return c;
      }
      if (c == '\n' || (c == '\r' && peek() != '\n')) {
        line++;
      }
      text.append((char) c);
    }
  }

  private void endLine(int c) {
    if (c == '\r' && peek() == '\n') {
      read();
    }
    if (c == '\n' || c == '\r') {
      line++;
    }
  }

  private String place(int atLine, int column) {
    String place = "line " + atLine + ", column " + (column + 1);
    return column < names.size() ? place + " (" + names.get(column) + ")" : place;
  }

  private int peek() {
    if (pushedBack == NONE) {
      pushedBack = fill();
    }
    return pushedBack;
  }

  private int read() {
    if (pushedBack != NONE) {
      int c = pushedBack;
      pushedBack = NONE;
      return c;
    }
    return fill();
  }

  private int fill() {
    if (position == limit) {
      try {
        int n;
        do {
          n = in.read(buffer);
        } while (n == 0);
        if (n < 0) {
          return EOF;
        }
        position = 0;
        limit = n;
      } catch (CharacterCodingException e) {
        throw new InvalidInputException(source, "line " + line, "the text is not valid UTF-8");
      } catch (IOException e) {
        throw new InvalidInputException(source, "line " + line, "cannot read further: " + e.getMessage());
      }
    }
    return buffer[position++];
  }
}

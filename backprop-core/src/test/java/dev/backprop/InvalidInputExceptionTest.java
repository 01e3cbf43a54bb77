package dev.backprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** Messages of input errors stay on one line whatever the user's data holds. */
class InvalidInputExceptionTest {
  @Test
  void controlCharactersAreWrittenOut() {
    assertEquals("a\\nb\\r\\tc\\u0000\\u001b[1m\\u007f\\u0085", InvalidInputException.escape(
        "a\nb\r\tc\u0000\u001b[1m\u007f\u0085"));
  }

  @Test
  void textWithoutControlCharactersIsReturnedAsItIs() {
    String text = "C:\\data\\x.csv: 'é' is not a number";
    assertSame(text, InvalidInputException.escape(text));
    String once = InvalidInputException.escape("two\nlines");
    assertEquals(once, InvalidInputException.escape(once));
  }

  @Test
  void theMessageEscapesSourcePlaceAndProblem() {
    InvalidInputException e = new InvalidInputException("odd\nname.csv", "line 2, column 1 (a\tb)",
        "'1\r\n2' is not a number");
    assertEquals("odd\\nname.csv: line 2, column 1 (a\\tb): '1\\r\\n2' is not a number", e.getMessage());
    assertEquals("odd\nname.csv", e.source(), "the accessors keep the text as given");
  }
}

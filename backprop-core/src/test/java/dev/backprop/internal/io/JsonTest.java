package dev.backprop.internal.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.InvalidInputException;
import dev.backprop.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTest {
  private static Object parse(String text) {
    return Json.parse("test.json", text);
  }

  private static Map<String, Object> map(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  @Test
  void nestedValuesRoundTripWithTypesAndOrder() {
    List<Object> list = new ArrayList<>(Arrays.asList(1L, -2.5, "x", null, true, false, new ArrayList<>(), map()));
    Map<String, Object> value = map("z", 1L, "a", list, "nested", map("deep", map("deeper", List.of("é", "\u2603"))),
        "text", "quote \" backslash \\ slash / tab\t newline\n cr\r bell\u0007 emoji \uD83D\uDE00");
    String json = Json.write(value);
    Object back = parse(json);
    assertEquals(value, back);
    assertEquals(List.of("z", "a", "nested", "text"), new ArrayList<>(((Map<?, ?>) back).keySet()));
    assertEquals(value, parse(Json.writePretty(value)));
    assertTrue(json.contains("\\u0007"), json);
    assertEquals("{\"a\":[1,{\"b\":null}],\"c\":{}}", Json.write(map("a", List.of(1L, map("b", null)), "c", map())));
  }

  @Test
  void unicodeEscapesAndSurrogatePairsDecode() {
    assertEquals("é\u2603\uD83D\uDE00\n/", parse("\"\\u00e9\\u2603\\uD83D\\uDE00\\n\\/\""));
    assertEquals("\uD83D\uDE00", parse("\"\\ud83d\\ude00\""));
    assertEquals("\uD83D\uDE00", parse("\"\uD83D\uDE00\""));
    assertEquals("\"\uD83D\uDE00\"", Json.write("\uD83D\uDE00"));
  }

  @Test
  void numbersAreLongWhenIntegralElseDouble() {
    assertEquals(42L, parse("42"));
    assertEquals(-7L, parse("-7"));
    assertEquals(Long.MAX_VALUE, parse("9223372036854775807"));
    assertEquals(Long.MIN_VALUE, parse("-9223372036854775808"));
    assertEquals(9.223372036854775808e18, parse("9223372036854775808"));
    assertEquals(2.0, parse("2.0"));
    assertEquals(100.0, parse("1e2"));
    assertEquals(100.0, parse("1E+2"));
    assertEquals(0.015, parse("1.5e-2"));
    assertEquals(1e300, parse("1e300"));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) parse("-0")));
    assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits((Double) parse("-0.0")));
    assertEquals(0L, parse("0"));
  }

  @Test
  void numbersAreWrittenToReadBackExactly() {
    assertEquals("2.0", Json.write(2.0));
    assertEquals("-0.0", Json.write(-0.0));
    assertEquals("1.0E300", Json.write(1e300));
    assertEquals("0.1", Json.write(0.1f));
    assertEquals("[0.1,-0.0,3.0]", Json.write(new float[] {0.1f, -0.0f, 3f}));
    assertEquals("[1.5,2.0]", Json.write(new double[] {1.5, 2}));
    assertEquals("[1,-2]", Json.write(new int[] {1, -2}));
    assertEquals("[9223372036854775807]", Json.write(new long[] {Long.MAX_VALUE}));
    assertEquals("[7,3]", Json.write(List.of(7, (short) 3)));
    assertEquals(1e300, parse(Json.write(1e300)));
    assertEquals(Double.MIN_VALUE, parse(Json.write(Double.MIN_VALUE)));
    assertEquals(-Double.MAX_VALUE, parse(Json.write(-Double.MAX_VALUE)));
  }

  @Test
  void randomDoublesRoundTripBitForBit() {
    SeededRandom random = new SeededRandom(20240611L);
    int checked = 0;
    while (checked < 20_000) {
      double d = Double.longBitsToDouble(random.nextLong());
      if (!Double.isFinite(d)) {
        continue;
      }
      Object back = parse(Json.write(List.of(d)));
      assertEquals(Double.doubleToRawLongBits(d), Double.doubleToRawLongBits((Double) ((List<?>) back).get(0)),
          () -> "double " + d);
      checked++;
    }
  }

  @Test
  void randomFloatsReadBackAsTheSameFloat() {
    SeededRandom random = new SeededRandom(99L);
    for (int i = 0; i < 20_000; i++) {
      float f = Float.intBitsToFloat((int) random.nextLong());
      if (!Float.isFinite(f)) {
        continue;
      }
      double back = (Double) ((List<?>) parse(Json.write(new float[] {f}))).get(0);
      assertEquals(Float.floatToRawIntBits(f), Float.floatToRawIntBits((float) back), () -> "float " + f);
    }
  }

  @Test
  void writingRefusesWhatCannotBeRead() {
    assertThrows(IllegalArgumentException.class, () -> Json.write(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Json.write(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> Json.write(new float[] {1f, Float.NEGATIVE_INFINITY}));
    assertThrows(IllegalArgumentException.class, () -> Json.write(Map.of(1, "x")));
    assertThrows(IllegalArgumentException.class, () -> Json.write("lone \uD800 surrogate"));
    assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    List<Object> cycle = new ArrayList<>();
    cycle.add(cycle);
    assertThrows(IllegalArgumentException.class, () -> Json.write(cycle));
  }

  @Test
  void prettyOutputIsIndentedByTwoSpaces() {
    Map<String, Object> value = map("name", "mlp", "mean", new double[] {1.0, 2.5}, "layers",
        List.of(map("units", 4L), map()), "empty", List.of(), "none", null);
    String expected = """
        {
          "name": "mlp",
          "mean": [1.0, 2.5],
          "layers": [
            {
              "units": 4
            },
            {}
          ],
          "empty": [],
          "none": null
        }""";
    assertEquals(expected, Json.writePretty(value));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "`\"abc`| 4 | unterminated string",
      "`\"a\\qb\"`| 2 | invalid escape",
      "`\"\\u12G4\"`| 5 | hexadecimal digits",
      "`\"\\uD800\"`| 1 | unpaired high surrogate",
      "`\"\\uD800\\u0041\"`| 7 | expected a low surrogate",
      "`\"\\uDC00\"`| 1 | unpaired low surrogate",
      "`[1,2,]`| 5 | trailing comma",
      "`{\"a\":1,}`| 7 | trailing comma",
      "`01`| 0 | leading zeros",
      "`[-012]`| 1 | leading zeros",
      "`NaN`| 0 | NaN and Infinity",
      "`[Infinity]`| 1 | NaN and Infinity",
      "`-Infinity`| 0 | NaN and Infinity",
      "`{\"a\":1,\"a\":2}`| 7 | duplicate key",
      "`{} x`| 3 | end of the input",
      "`[1] [2]`| 4 | end of the input",
      "``| 0 | expected a JSON value",
      "`   `| 3 | expected a JSON value",
      "`1.`| 2 | decimal point",
      "`1.e5`| 2 | decimal point",
      "`1e`| 2 | exponent",
      "`-`| 1 | digit after '-'",
      "`+1`| 0 | expected a JSON value",
      "`.5`| 0 | expected a JSON value",
      "`tru`| 0 | expected a JSON value",
      "`nul`| 0 | expected a JSON value",
      "`{\"a\" 1}`| 5 | expected ':'",
      "`{1:2}`| 1 | string key",
      "`[1 2]`| 3 | expected ',' or ']'",
      "`{\"a\":1 \"b\":2}`| 7 | expected ',' or '}'",
      "`1e400`| 0 | beyond the range of a double",
      "`'a'`| 0 | expected a JSON value",
      "`[1,2`| 4 | expected ',' or ']'",
      "`{\"a\":1`| 6 | expected ',' or '}'",
  })
  void malformedInputNamesTheOffset(String text, int offset, String problem) {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(text));
    assertEquals("test.json", e.source());
    assertEquals("JSON offset " + offset, e.place(), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertTrue(e.getMessage().startsWith("test.json: JSON offset " + offset + ": "), e.getMessage());
  }

  @Test
  void controlCharactersMustBeEscaped() {
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse("\"a\nb\""));
    assertEquals("JSON offset 2", e.place());
    assertTrue(e.getMessage().contains("U+000A"), e.getMessage());
  }

  @Test
  void nestingIsLimitedTo64Levels() {
    Object deepest = parse("[".repeat(64) + "]".repeat(64));
    for (int i = 0; i < 63; i++) {
      deepest = ((List<?>) deepest).get(0);
    }
    assertEquals(List.of(), deepest);
    InvalidInputException arrays = assertThrows(InvalidInputException.class,
        () -> parse("[".repeat(65) + "]".repeat(65)));
    assertEquals("JSON offset 64", arrays.place());
    assertTrue(arrays.getMessage().contains("deeper than 64"), arrays.getMessage());

    String objects = "{\"a\":".repeat(65) + "1" + "}".repeat(65);
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> parse(objects));
    assertEquals("JSON offset " + 64 * 5, e.place());
    assertEquals(1, JsonObject.parse("x", "{\"a\":".repeat(64) + "1" + "}".repeat(64)).members().size());
  }

  @Test
  void writerRefusesNestingTheReaderWouldRefuse() {
    Object nested = List.of();
    for (int i = 1; i < 64; i++) {
      nested = List.of(nested);
    }
    Object ok = nested;
    assertEquals(ok, parse(Json.write(ok)));
    assertThrows(IllegalArgumentException.class, () -> Json.write(List.of(ok)));
  }

  @Test
  void whitespaceAroundValuesIsAllowed() {
    assertEquals(map("a", List.of(1L, 2L)), parse(" \t\r\n{ \"a\" : [ 1 , 2 ] } \n"));
    assertNull(parse("null"));
    assertEquals(Boolean.TRUE, parse("true"));
  }

  private static final String DOC = """
      {"name": "net", "epochs": 10, "big": 3000000000, "rate": 0.5, "flag": true, "nothing": null,
       "normalization": {"mean": [1, 2.5, 3, "x"], "count": "3", "labels": ["a", "b"]},
       "layers": [{"units": 4}, {"units": "x"}]}""";

  @Test
  void typedAccessorsReturnValues() {
    JsonObject o = JsonObject.parse("model.json", DOC);
    assertEquals("net", o.string("name"));
    assertEquals(10, o.intValue("epochs"));
    assertEquals(3_000_000_000L, o.integer("big"));
    assertEquals(0.5, o.number("rate"));
    assertEquals(10.0, o.number("epochs"));
    assertTrue(o.bool("flag"));
    assertTrue(o.has("nothing"));
    assertFalse(o.has("missing"));
    assertEquals("default", o.optionalString("missing", "default"));
    assertEquals("net", o.optionalString("name", "default"));
    assertEquals(7, o.optionalIntValue("missing", 7));
    assertEquals(0.25, o.optionalNumber("missing", 0.25));
    assertFalse(o.optionalBool("missing", false));
    JsonObject n = o.object("normalization");
    assertEquals("normalization", n.path());
    assertEquals(List.of("a", "b"), n.stringList("labels"));
    assertEquals(4, o.objectList("layers").get(0).intValue("units"));
    assertEquals(4, n.array("mean").size());
    assertArrayEquals(new long[] {1, 2}, JsonObject.parse("x", "{\"v\":[1,2]}").longArray("v"));
    assertArrayEquals(new double[] {1, 2.5}, JsonObject.parse("x", "{\"v\":[1,2.5]}").doubleArray("v"));
  }

  private static void assertFieldError(String field, String problem, Runnable access) {
    InvalidInputException e = assertThrows(InvalidInputException.class, access::run);
    assertEquals("model.json", e.source());
    assertEquals("field '" + field + "'", e.place(), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
  }

  @Test
  void typedAccessorErrorsNameTheNestedPath() {
    JsonObject o = JsonObject.parse("model.json", DOC);
    JsonObject n = o.object("normalization");
    assertFieldError("normalization.mean[3]", "expected a number, found a string", () -> n.doubleArray("mean"));
    assertFieldError("normalization.mean[1]", "expected an integer", () -> n.longArray("mean"));
    assertFieldError("normalization.count", "expected an integer, found a string", () -> n.integer("count"));
    assertFieldError("normalization.mean", "expected a string, found an array", () -> n.string("mean"));
    assertFieldError("normalization.labels", "expected an object, found an array", () -> n.object("labels"));
    assertFieldError("normalization.missing", "missing", () -> n.number("missing"));
    assertFieldError("layers[1].units", "expected an integer, found a string",
        () -> o.objectList("layers").get(1).intValue("units"));
    assertFieldError("big", "expected an integer from", () -> o.intValue("big"));
    assertFieldError("rate", "found a number (0.5)", () -> o.integer("rate"));
    assertFieldError("name", "expected a number, found a string", () -> o.number("name"));
    assertFieldError("nothing", "expected a boolean, found null", () -> o.bool("nothing"));
    assertFieldError("flag", "expected an array, found a boolean", () -> o.array("flag"));
    assertFieldError("name", "expected an array", () -> o.stringList("name"));
    assertFieldError("missing", "missing", () -> o.string("missing"));
    assertFieldError("name", "expected an integer, found a string", () -> o.optionalIntValue("name", 3));
    assertFieldError("epochs", "unexpected field", () -> o.requireOnly("name"));
  }

  @Test
  void labelAndTopLevelTypeAreChecked() {
    JsonObject o = JsonObject.of("m.safetensors", "header field", parse("{\"w\":{\"shape\":[1,\"x\"]}}"));
    InvalidInputException e = assertThrows(InvalidInputException.class, () -> o.object("w").longArray("shape"));
    assertEquals("header field 'w.shape[1]'", e.place());
    InvalidInputException top = assertThrows(InvalidInputException.class, () -> JsonObject.parse("a.json", "[1]"));
    assertTrue(top.getMessage().contains("expected a JSON object at the top level, found an array"),
        top.getMessage());
    assertThrows(UnsupportedOperationException.class, () -> o.members().put("x", 1L));
  }

  @Test
  void jsonObjectWritesAsItsMembers() {
    JsonObject o = JsonObject.parse("x", "{\"b\":1,\"a\":[true,null]}");
    assertEquals("{\"b\":1,\"a\":[true,null]}", Json.write(o));
    assertInstanceOf(String.class, o.toString());
  }
}

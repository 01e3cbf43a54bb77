package dev.backprop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backprop.InvalidSettingException;
import dev.backprop.nn.init.Initializer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One rule for every enum's ids, and a parse error that lists them. */
class EnumIdsTest {
  @Test
  void idsAreLowerCaseAndDashed() {
    assertEquals("he-uniform", EnumIds.id(Initializer.HE_UNIFORM));
    assertEquals(List.of("glorot-uniform", "glorot-normal", "he-uniform", "he-normal", "fan-in-uniform"),
        EnumIds.ids(Initializer.class));
  }

  @Test
  void parseIsTheInverseOfId() {
    for (Initializer i : Initializer.values()) {
      assertEquals(i, EnumIds.parse(Initializer.class, "initializer", EnumIds.id(i)));
    }
  }

  @Test
  void anUnknownIdNamesTheSettingTheValueAndEveryId() {
    InvalidSettingException e = assertThrows(InvalidSettingException.class,
        () -> EnumIds.parse(Initializer.class, "initializer", "HE_UNIFORM"));
    assertEquals("initializer", e.setting());
    assertEquals("'HE_UNIFORM'", e.value());
    assertEquals("initializer must be one of glorot-uniform, glorot-normal, he-uniform, he-normal, "
        + "fan-in-uniform, got 'HE_UNIFORM'", e.getMessage());
  }
}

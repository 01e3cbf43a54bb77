package dev.backprop.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the rows of the vector kernels' micro-tile are chosen: the property when it is valid, else by JDK release
 * and float lanes.
 */
class TileRowsTest {
  private final String before = System.getProperty(Kernels.ROWS_PROPERTY);

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty(Kernels.ROWS_PROPERTY);
    } else {
      System.setProperty(Kernels.ROWS_PROPERTY, before);
    }
  }

  private static int byRelease() {
    return Runtime.version().feature() >= 25 ? 4 : 6;
  }

  @Test
  void sixteenLanesTakeTwelveRowsOnEveryRelease() {
    System.clearProperty(Kernels.ROWS_PROPERTY);
    assertEquals(12, Kernels.tileRows(16));
    assertEquals(6, Kernels.tileRows(4));
  }

  @Test
  void withoutThePropertyTheJdkReleaseDecides() {
    System.clearProperty(Kernels.ROWS_PROPERTY);
    assertEquals(byRelease(), Kernels.tileRows(8));
  }

  @Test
  void thePropertyChoosesFourSixOrTwelve() {
    System.setProperty(Kernels.ROWS_PROPERTY, "4");
    assertEquals(4, Kernels.tileRows(8));
    assertEquals(4, Kernels.tileRows(16));
    System.setProperty(Kernels.ROWS_PROPERTY, " 6 ");
    assertEquals(6, Kernels.tileRows(8));
    assertEquals(6, Kernels.tileRows(16));
    System.setProperty(Kernels.ROWS_PROPERTY, "12");
    assertEquals(12, Kernels.tileRows(8));
  }

  @Test
  void anyOtherValueIsIgnored() {
    for (String bad : new String[] {"5", "8", "10", "", "four", "-4"}) {
      System.setProperty(Kernels.ROWS_PROPERTY, bad);
      assertEquals(byRelease(), Kernels.tileRows(8), bad);
    }
  }
}

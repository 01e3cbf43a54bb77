package dev.backprop.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bundled tables' recorded SHA-256 is that of the files in the jar, and what a run records as their source. */
class BundledFingerprintTest {
  @ParameterizedTest
  @ValueSource(strings = {"digits", "iris", "diabetes"})
  void recordedHashIsTheFilesHash(String name) throws Exception {
    byte[] bytes;
    try (InputStream in = DataSources.class.getResourceAsStream("/dev/backprop/data/" + name + ".csv")) {
      assertNotNull(in, name + ".csv is bundled");
      bytes = in.readAllBytes();
    }
    String computed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    assertEquals(computed, DataSources.BUNDLED_SHA256.get(name),
        "update DataSources.BUNDLED_SHA256 after changing " + name + ".csv");
    assertEquals(computed, DataSources.open(name).sha256());
  }
}

package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.io.ModelFile;
import dev.backprop.onnx.OnnxExport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code backprop export}, as a user runs it: the file it writes is the library's export of the loaded model
 * (which OnnxExportRuntimeTest runs in ONNX Runtime), and every refusal is one line, its exit code and no file.
 */
class ExportCommandTest {
  @TempDir Path dir;

  private Path train(String data, String name) {
    Path model = dir.resolve(name);
    Cli r = Cli.run("train", "--data", data, "--epochs", "3", "--quiet", "--out", model.toString());
    assertEquals(0, r.code, r::toString);
    return model;
  }

  @Test
  void exportsAClassifierAndARegression() throws IOException {
    Path iris = train("iris", "iris.safetensors");
    Path onnx = dir.resolve("iris.onnx");
    Cli r = Cli.run("export", "--model", iris.toString(), "--format", "onnx", "--out", onnx.toString());
    assertEquals(0, r.code, r::toString);
    assertEquals("ONNX model written to " + onnx + " (input 'input' [N, 4], output 'probabilities' [N, 3])\n", r.out);
    assertArrayEquals(OnnxExport.toBytes(ModelFile.load(iris)), Files.readAllBytes(onnx));

    Path diabetes = train("diabetes", "diabetes.safetensors");
    Path regression = dir.resolve("diabetes.onnx");
    r = Cli.run("export", "--model", diabetes.toString(), "--format=onnx", "--out", regression.toString());
    assertEquals(0, r.code, r::toString);
    assertTrue(r.out.contains("output 'output' [N, 1]"), r::toString);
    assertArrayEquals(OnnxExport.toBytes(ModelFile.load(diabetes)), Files.readAllBytes(regression));
  }

  @Test
  void anUnknownFormatIsAUsageError() throws IOException {
    Path model = train("iris", "m.safetensors");
    Cli r = Cli.run("export", "--model", model.toString(), "--format", "pmml", "--out", dir.resolve("m.pmml")
        .toString());
    assertRefused(r, 2, "backprop: --format pmml is not supported; supported: onnx (see --help)");
    assertEquals(List.of(model), files());
  }

  @Test
  void theModelFileItselfIsNotAnOutput() throws IOException {
    Path model = train("iris", "m.safetensors");
    byte[] before = Files.readAllBytes(model);
    Cli r = Cli.run("export", "--model", model.toString(), "--format", "onnx", "--out", model.toString());
    assertRefused(r, 2, "backprop: --out " + model + " is the model file itself; give another file name such as "
        + "model.onnx (see --help)");
    assertArrayEquals(before, Files.readAllBytes(model));
  }

  @Test
  void aMissingFolderIsAUsageError() {
    Path out = dir.resolve("no-such-folder").resolve("m.onnx");
    Cli r = Cli.run("export", "--model", dir.resolve("m.safetensors").toString(), "--format", "onnx", "--out",
        out.toString());
    assertEquals(2, r.code, r::toString);
    assertEquals(1, r.err.lines().count(), r::toString);
  }

  @Test
  void aBrokenModelIsAnInputErrorAndLeavesTheOldExport() throws IOException {
    Path model = dir.resolve("broken.safetensors");
    Files.write(model, new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
    Path out = dir.resolve("old.onnx");
    Files.writeString(out, "the previous export");
    Cli r = Cli.run("export", "--model", model.toString(), "--format", "onnx", "--out", out.toString());
    assertEquals(3, r.code, r::toString);
    assertEquals(1, r.err.lines().count(), r::toString);
    assertTrue(r.err.startsWith("backprop: " + model), r::toString);
    assertEquals("the previous export", Files.readString(out));
    assertEquals(List.of(model, out), files());
  }

  @Test
  void aMissingModelIsAnInputError() {
    Cli r = Cli.run("export", "--model", dir.resolve("absent.safetensors").toString(), "--format", "onnx", "--out",
        dir.resolve("m.onnx").toString());
    assertEquals(3, r.code, r::toString);
    assertEquals(1, r.err.lines().count(), r::toString);
    assertEquals("", r.out);
  }

  private static void assertRefused(Cli r, int code, String line) {
    assertEquals(code, r.code, r::toString);
    assertEquals(line + "\n", r.err, r::toString);
    assertEquals("", r.out);
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}

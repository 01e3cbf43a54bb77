package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.internal.io.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in regression data, {@code --data diabetes}, through eval, predict and report. */
class DiabetesCommandsTest {
  @TempDir static Path dir;
  static Path model;
  static JsonObject trained;

  @BeforeAll
  static void trainDiabetes() {
    model = dir.resolve("diabetes.safetensors");
    Cli r = Cli.run("train", "--data", "diabetes", "--epochs", "200", "--lr", "0.01", "--json", "--out",
        model.toString());
    assertEquals(0, r.code, r::toString);
    trained = JsonObject.parse("stdout", r.out);
  }

  @Test
  void evalScoresTheHeldOutPatientsAsTrainDid() {
    Cli r = Cli.run("eval", "--model", model.toString(), "--data", "diabetes", "--json");
    assertEquals(0, r.code, r::toString);
    JsonObject j = JsonObject.parse("stdout", r.out);
    assertEquals(88, j.intValue("rows"), "20% of 442 patients, the rows training held out");
    assertEquals(trained.number("test_r2"), j.number("r2"), 1e-9, r::toString);
    assertEquals(trained.number("test_mse"), j.number("mse"), 1e-6, r::toString);
    assertTrue(j.number("mae") > 0, r::toString);
    assertFalse(j.has("accuracy"), r::toString);
  }

  @Test
  void predictGivesOneProgressionPerPatient() {
    Cli r = Cli.run("predict", "--model", model.toString(), "--data", "diabetes");
    assertEquals(0, r.code, r::toString);
    List<String> lines = r.out.lines().toList();
    assertEquals("progression", lines.get(0));
    assertEquals(443, lines.size(), "a header and 442 patients");
    double sum = 0;
    for (String line : lines.subList(1, lines.size())) {
      sum += Double.parseDouble(line);
    }
    assertEquals(152.1, sum / 442, 15, "the mean prediction is near the mean progression, 152.1");
  }

  @Test
  void reportDrawsPredictedAgainstTrueAndResiduals() throws Exception {
    Path out = dir.resolve("diabetes.html");
    Cli r = Cli.run("report", "--model", model.toString(), "--data", "diabetes", "--out", out.toString());
    assertEquals(0, r.code, r::toString);
    String html = Files.readString(out);
    assertTrue(html.contains("aria-label=\"Predicted against true\""));
    assertTrue(html.contains("aria-label=\"Residuals\""));
    assertTrue(html.contains("progression"), "the label's name");
  }

  @Test
  void trainReportHasTheCurvesAndTheScatter() throws Exception {
    Path page = dir.resolve("run.html");
    Path m = dir.resolve("run.safetensors");
    Cli r = Cli.run("train", "--data", "diabetes", "--epochs", "20", "--lr", "0.01", "--validation-split", "0.1",
        "--quiet", "--out", m.toString(), "--report", page.toString());
    assertEquals(0, r.code, r::toString);
    String html = Files.readString(page);
    assertTrue(html.contains("aria-label=\"Loss per epoch\""), "no loss curve");
    assertTrue(html.contains("aria-label=\"Predicted against true\""), "no scatter");
    assertTrue(html.contains("aria-label=\"Residuals\""), "no residuals");
  }
}

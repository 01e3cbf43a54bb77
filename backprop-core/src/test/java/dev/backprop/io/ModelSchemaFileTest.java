package dev.backprop.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backprop.data.CsvTable;
import dev.backprop.data.DataSources;
import dev.backprop.data.Normalization;
import dev.backprop.data.SchemaOptions;
import dev.backprop.data.TableSchema;
import dev.backprop.data.Task;
import dev.backprop.loss.CrossEntropyLoss;
import dev.backprop.nn.Network;
import dev.backprop.nn.activation.Activations;
import dev.backprop.tensor.Matrix;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table schema in the model file (format version 2), and files of version 1 written before it existed. */
class ModelSchemaFileTest {
  @TempDir Path dir;

  private static Path resource(String name) throws Exception {
    return Path.of(ModelSchemaFileTest.class.getResource(name).toURI());
  }

  @Test
  void schemaRoundTripsThroughTheModelFile() throws Exception {
    CsvTable t = CsvTable.parse("t.csv", new StringReader("""
        island,bill,sex,species
        Torgersen,39.1,male,Adelie
        Torgersen,NA,female,Adelie
        Biscoe,46.1,,Gentoo
        Dream,46.5,female,Chinstrap
        Dream,50.0,male,Chinstrap
        Biscoe,48.7,male,Gentoo
        """));
    TableSchema schema = TableSchema.fit(t, "species", IntStream.range(0, 6).toArray(), SchemaOptions.defaults());
    int inputs = schema.inputNames().size();
    Network net = Network.builder(inputs).dense(4, Activations.relu()).dense(3, Activations.softmax()).seed(1).build();
    ModelInfo info = new ModelInfo(Task.CLASSIFICATION, schema.inputNames(), "species",
        List.of("Adelie", "Chinstrap", "Gentoo"), Normalization.none(inputs), Map.of(), schema);
    Path file = dir.resolve("m.safetensors");
    ModelFile.save(new Model(net, new CrossEntropyLoss(), info), file);
    Model loaded = ModelFile.load(file);
    assertEquals(schema, loaded.info().schema());
    assertTrue(SafeTensors.read(file).metadata().get(ModelFile.METADATA_KEY).matches("(?s).*\"format_version\"\\s*:\\s*2\\b.*"));
    // raw text rows, columns in another order, a gap and an unseen island: one prediction per row
    Matrix p = loaded.predictRows(List.of("sex", "bill", "island"),
        List.of(new String[] {"male", "", "Atlantis"}, new String[] {"NA", "45", "Dream"}));
    assertEquals(2, p.rows());
    for (int r = 0; r < 2; r++) {
      double sum = p.get(r, 0) + p.get(r, 1) + p.get(r, 2);
      assertEquals(1.0, sum, 1e-5);
    }
    Path copy = dir.resolve("copy.safetensors");
    ModelFile.save(loaded, copy);
    assertTrue(java.util.Arrays.equals(Files.readAllBytes(file), Files.readAllBytes(copy)));
  }

  @Test
  void versionOneFilesLoadAndPredictAsBefore() throws Exception {
    CsvTable iris = DataSources.open("iris").table();
    for (String name : List.of("iris", "diabetes")) {
      Model m = ModelFile.load(resource("model-v1-" + name + ".safetensors"));
      assertNull(m.info().schema(), "version 1 has no schema");
      CsvTable data = name.equals("iris") ? iris : DataSources.open("diabetes").table();
      List<String> expected = Files.readAllLines(resource("model-v1-" + name + "-predictions.csv"));
      Matrix out = m.predict(data.features(m.info().featureNames()));
      Matrix rows = m.predictRows(data.header(), IntStream.range(0, data.rowCount()).mapToObj(r ->
          data.header().stream().map(h -> data.text(r, data.columnIndex(h))).toArray(String[]::new)).toList());
      assertEquals(out, rows, "the raw-rows entry encodes a version 1 model's numeric columns");
      assertEquals(expected.size() - 1, out.rows());
      for (int r = 0; r < out.rows(); r++) {
        String[] cells = expected.get(r + 1).split(",");
        int first = name.equals("iris") ? 1 : 0;
        for (int c = first; c < cells.length; c++) {
          assertEquals(Float.parseFloat(cells[c]), (float) out.get(r, c - first), "row " + r + ", output " + c);
        }
      }
    }
  }
}

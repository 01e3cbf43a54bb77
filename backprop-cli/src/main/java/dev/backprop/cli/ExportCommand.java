package dev.backprop.cli;

import dev.backprop.InvalidInputException;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.onnx.OnnxExport;
import dev.backprop.onnx.UnsupportedModelException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backprop export}: a model file in another format, for other runtimes. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Writes a model for other runtimes: ONNX (opset 13, IR version 7) with the feature scaling in the "
        + "graph, input 'input' [N, features] and output 'probabilities' [N, classes] or 'output' [N, targets].")
final class ExportCommand implements Callable<Integer> {
  /** The formats --format accepts. */
  static final List<String> FORMATS = List.of("onnx");

  @Option(names = "--model", paramLabel = "M", required = true, description = "The model file.")
  Path model;

  @Option(names = "--format", paramLabel = "F", required = true, description = "The format: onnx.")
  String format;

  @Option(names = "--out", paramLabel = "F.onnx", required = true, description = "Where to write the export.")
  Path out;

  @Mixin CommonOptions.Verbose common = new CommonOptions.Verbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (!FORMATS.contains(format)) {
      throw new UsageException("--format " + format + " is not supported; supported: " + String.join(", ", FORMATS));
    }
    ReportCommand.checkOutput("--out", out);
    if (out.toAbsolutePath().normalize().equals(model.toAbsolutePath().normalize())) {
      throw new UsageException("--out " + out + " is the model file itself; give another file name such as "
          + "model.onnx");
    }
    Model m = ModelFile.load(model);
    try {
      OnnxExport.write(m, out);
    } catch (UnsupportedModelException e) {
      throw new InvalidInputException(model, "", "cannot be exported to ONNX: " + e.getMessage());
    }
    spec.commandLine().getOut().println("ONNX model written to " + out + " (input '" + OnnxExport.INPUT + "' [N, "
        + m.network().inputSize() + "], output '" + OnnxExport.outputName(m) + "' [N, " + m.network().outputSize()
        + "])");
    return Main.OK;
  }
}

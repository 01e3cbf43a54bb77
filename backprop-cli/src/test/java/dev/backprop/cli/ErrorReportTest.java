package dev.backprop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.backprop.InvalidSettingException;
import dev.backprop.train.DivergenceException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** How the command line reports what the library rejects: the flag instead of the API name, one line, its code. */
class ErrorReportTest {
  /** A command whose work is to fail the way the library fails on a bad setting. */
  @Command(name = "reject")
  static final class Rejecting implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new InvalidSettingException("learningRate", -0.5, "a finite number > 0");
    }
  }

  @Test
  void aSettingTheLibraryRejectsIsAUsageErrorNamedByItsFlag() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine(null).addSubcommand("reject", new Rejecting());
    int code = Main.execute(cli, new String[] {"reject"}, new PrintWriter(out, true), new PrintWriter(err, true));
    assertEquals(Main.USAGE_ERROR, code, err::toString);
    assertEquals("backprop: --lr must be a finite number > 0, got -0.5 (see --help)\n", err.toString());
    assertEquals("", out.toString());
  }

  @Test
  void everySettingOfTheLibraryHasItsFlag() {
    Map<String, String> vocabulary = Map.ofEntries(Map.entry("epochs", "--epochs"),
        Map.entry("batchSize", "--batch-size"), Map.entry("seed", "--seed"), Map.entry("optimizer", "--optimizer"),
        Map.entry("learningRate", "--lr"), Map.entry("momentum", "--momentum"),
        Map.entry("weightDecay", "--weight-decay"), Map.entry("schedule", "--schedule"),
        Map.entry("warmupEpochs", "--warmup-epochs"), Map.entry("stepEpochs", "--lr-step"),
        Map.entry("gamma", "--lr-gamma"), Map.entry("clipNorm", "--clip-norm"),
        Map.entry("patience", "--early-stopping"), Map.entry("minDelta", "--min-delta"),
        Map.entry("dropout", "--dropout"), Map.entry("units", "--layers"),
        Map.entry("activation", "--activation"), Map.entry("outputActivation", "--output-activation"),
        Map.entry("loss", "--loss"), Map.entry("threads", "--threads"),
        Map.entry("validationShare", "--validation-split"), Map.entry("testShare", "--test-split"),
        Map.entry("normalization", "--normalize"), Map.entry("task", "--task"),
        Map.entry("checkpointEvery", "--checkpoint-every"));
    assertEquals(vocabulary, Flags.BY_SETTING);
    CommandLine.Model.CommandSpec train = Main.commandLine(null).getSubcommands().get("train").getCommandSpec();
    Flags.BY_SETTING.forEach((setting, flag) ->
        assertNotNull(train.findOption(flag), () -> setting + ": train has no flag " + flag));
  }

  @Test
  void aSettingWithoutAFlagKeepsItsApiName() {
    InvalidSettingException e = new InvalidSettingException("betas", "(1, 0.999)", "each in [0, 1)");
    assertEquals(e.getMessage(), Flags.message(e));
    assertEquals("--momentum must be in [0, 1), got 2",
        Flags.message(new InvalidSettingException("momentum", 2, "in [0, 1)")));
  }

  @Test
  void aDivergenceNamesTheLearningRateFlag() {
    StringWriter err = new StringWriter();
    int code = Main.report(new DivergenceException(2, 7, "the loss", Double.NaN), new PrintWriter(err, true), false);
    assertEquals(Main.DIVERGED, code);
    assertEquals("backprop: training diverged at epoch 2, step 7: the loss became NaN; try a lower learning rate "
        + "(--lr)\n", err.toString());
  }

  @Test
  void controlCharactersInAnyMessageAreWrittenOut() {
    StringWriter err = new StringWriter();
    int code = Main.report(new UsageException("--data 'a\nb\u001b[2J': no such thing"), new PrintWriter(err, true),
        false);
    assertEquals(Main.USAGE_ERROR, code);
    assertEquals("backprop: --data 'a\\nb\\u001b[2J': no such thing (see --help)\n", err.toString());
  }
}

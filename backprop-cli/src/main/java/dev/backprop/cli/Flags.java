package dev.backprop.cli;

import static java.util.Map.entry;

import dev.backprop.InvalidSettingException;
import java.util.Map;

/**
 * The command-line flag of each setting the library names in an {@link InvalidSettingException}: the one place
 * where the Java API's names ({@code learningRate}) meet the flags ({@code --lr}).
 */
final class Flags {
  /** Setting name in the Java API to flag. */
  static final Map<String, String> BY_SETTING = Map.ofEntries(
      entry("epochs", "--epochs"),
      entry("batchSize", "--batch-size"),
      entry("seed", "--seed"),
      entry("optimizer", "--optimizer"),
      entry("learningRate", "--lr"),
      entry("momentum", "--momentum"),
      entry("weightDecay", "--weight-decay"),
      entry("schedule", "--schedule"),
      entry("warmupEpochs", "--warmup-epochs"),
      entry("stepEpochs", "--lr-step"),
      entry("gamma", "--lr-gamma"),
      entry("clipNorm", "--clip-norm"),
      entry("patience", "--early-stopping"),
      entry("minDelta", "--min-delta"),
      entry("dropout", "--dropout"),
      entry("units", "--layers"),
      entry("activation", "--activation"),
      entry("outputActivation", "--output-activation"),
      entry("loss", "--loss"),
      entry("threads", "--threads"),
      entry("validationShare", "--validation-split"),
      entry("testShare", "--test-split"),
      entry("normalization", "--normalize"),
      entry("task", "--task"),
      entry("checkpointEvery", "--checkpoint-every"));

  /**
   * The settings of training on several shards or machines, kept apart from {@link #BY_SETTING} (whose contents a
   * test pins) and looked up after it.
   */
  static final Map<String, String> SCALE_OUT = Map.of("shards", "--shards");

  private Flags() {}

  private static String flagOf(String setting) {
    String flag = BY_SETTING.get(setting);
    return flag != null ? flag : SCALE_OUT.get(setting);
  }

  /** The flag of a setting, e.g. {@code --lr} for {@code learningRate}. */
  static String of(String setting) {
    String flag = flagOf(setting);
    if (flag == null) {
      throw new IllegalArgumentException("no flag for the setting " + setting);
    }
    return flag;
  }

  /**
   * The exception's message in the command line's terms: the setting's flag instead of its API name (the API
   * name stays when the table has no flag for it, which a test forbids for the names the library uses).
   */
  static String message(InvalidSettingException e) {
    String flag = flagOf(e.setting());
    return flag == null ? e.getMessage() : e.messageFor(flag);
  }

  /**
   * A rejection by the library of the value of {@code flag}, as a usage error: an {@link InvalidSettingException}
   * as it is (its message is rebuilt with the flag when reported), anything else with the flag before its message.
   */
  static RuntimeException usageError(String flag, IllegalArgumentException e) {
    return e instanceof InvalidSettingException ? e : new UsageException(flag + ": " + e.getMessage());
  }
}

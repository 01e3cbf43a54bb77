package dev.backprop.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line as a child JVM, for tests that signal or kill a real process. */
final class ChildCli {
  private ChildCli() {}

  /** The command that runs {@code backprop ARGS} in a new JVM on this test's class path and kernel choice. */
  static List<String> command(String... cliArgs) {
    return command(List.of(), cliArgs);
  }

  /** The same with {@code jvmOptions} added before the class path. */
  static List<String> command(List<String> jvmOptions, String... cliArgs) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--add-modules");
    command.add("jdk.incubator.vector");
    String kernel = System.getProperty("backprop.kernel");
    if (kernel != null) {
      command.add("-Dbackprop.kernel=" + kernel);
    }
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(cliArgs));
    return command;
  }
}

package dev.backprop.cli;

import picocli.CommandLine.Option;

/** Flags every command has: --json (where a command prints results) and --verbose. */
final class CommonOptions {
  /** --verbose alone, for commands without JSON output. */
  static final class Verbose {
    @Option(names = "--verbose", description = "Print stack traces of errors and routine log lines.")
    boolean verbose;
  }

  /** --json and --verbose. */
  static final class JsonAndVerbose {
    @Option(names = "--json", description = "Print one JSON object with the results on stdout (progress, if any, "
        + "goes to stderr).")
    boolean json;

    @Option(names = "--verbose", description = "Print stack traces of errors and routine log lines.")
    boolean verbose;
  }
}

package dev.backprop.cli;

import dev.backprop.InvalidInputException;
import dev.backprop.InvalidSettingException;
import dev.backprop.Version;
import dev.backprop.train.DivergenceException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code backprop} command. Exit codes (see the command-line contract): 0 success, 1 internal failure,
 * 2 invalid usage, 3 invalid input file, 4 training diverged, 130 interrupted (Ctrl-C or SIGTERM). Every error, from parsing the arguments or from
 * running a command, is reported by {@link #report} as one line on stderr.
 */
@Command(
    name = "backprop",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    description = "Trains neural networks by backpropagation.")
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int INTERNAL_ERROR = 1;
  public static final int USAGE_ERROR = 2;
  public static final int INPUT_ERROR = 3;
  public static final int DIVERGED = 4;
  /** 128 + SIGINT, as shells report a process ended by Ctrl-C. */
  public static final int INTERRUPTED = 130;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
  }

  public static void main(String[] args) {
    Timings.mark("main");
    // before the parser, which takes a good part of the first second: C2 can compile the kernels meanwhile
    EarlyWarmup.startFor(args);
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** The commands, in the order of the help's list. */
  static final List<String> COMMANDS = List.of("train", "eval", "predict", "gradcheck", "explain", "summary", "report",
      "export", "bench", "serve");

  /** Runs the command line with the given streams and returns the exit code (for tests). */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    String first = args.length > 0 ? args[0] : null;
    return execute(commandLine(first != null && COMMANDS.contains(first) ? first : null), args, out, err);
  }

  /**
   * The command line with every command, or with only {@code only} when it names one: picocli reads a command's
   * annotations when it is added, in the interpreter at the start of a run, so a run adds only the command it runs.
   * Help, a mistyped command and no command at all get every command, for the list and the suggestions.
   */
  static CommandLine commandLine(String only) {
    CommandLine cli = new CommandLine(new Main());
    for (String name : COMMANDS) {
      if (only == null || only.equals(name)) {
        cli.addSubcommand(name, newCommand(name));
      }
    }
    if (only == null) {
      cli.addSubcommand("help", new CommandLine.HelpCommand());
    }
    return cli;
  }

  /** A new instance of the command {@code name} (a switch rather than constructor references, which the JVM would
   * turn into generated classes at the start of every run). */
  private static Object newCommand(String name) {
    switch (name) {
      case "train":
        return new TrainCommand();
      case "eval":
        return new EvalCommand();
      case "predict":
        return new PredictCommand();
      case "gradcheck":
        return new GradcheckCommand();
      case "explain":
        return new ExplainCommand();
      case "summary":
        return new SummaryCommand();
      case "report":
        return new ReportCommand();
      case "export":
        return new ExportCommand();
      case "bench":
        return new BenchCommand();
      case "serve":
        return new ServeCommand();
      default:
        throw new IllegalArgumentException("no command " + name);
    }
  }

  /** Runs {@code cli} (this command, or a test's variant of it) with every error reported by {@link #report}. */
  static int execute(CommandLine cli, String[] args, PrintWriter out, PrintWriter err) {
    boolean verbose = Arrays.asList(args).contains("--verbose");
    if (verbose) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }
    cli.setOut(out);
    cli.setErr(err);
    cli.setParameterExceptionHandler((ex, arguments) -> report(ex, err, verbose));
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> report(ex, err, verbose));
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * The one place where errors meet the user: prints {@code ex} as one line on {@code err} (and its stack trace
   * when {@code verbose}) and returns the exit code of its kind.
   */
  static int report(Exception ex, PrintWriter err, boolean verbose) {
    int code = exitCodeOf(ex);
    err.println("backprop: " + InvalidInputException.escape(messageOf(ex, code)));
    if (verbose) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static int exitCodeOf(Exception ex) {
    if (ex instanceof InvalidInputException) {
      return INPUT_ERROR;
    }
    if (ex instanceof DivergenceException) {
      return DIVERGED;
    }
    if (ex instanceof UsageException || ex instanceof InvalidSettingException
        || ex instanceof CommandLine.ParameterException) {
      return USAGE_ERROR;
    }
    return INTERNAL_ERROR;
  }

  private static String messageOf(Exception ex, int code) {
    if (code == INTERNAL_ERROR) {
      return "internal error: " + ex + " (a bug in Backprop; rerun with --verbose for the stack trace)";
    }
    if (ex instanceof InvalidSettingException setting) {
      return Flags.message(setting) + " (see --help)";
    }
    if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
      return ex.getMessage() + "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "? (see --help)";
    }
    if (code == USAGE_ERROR) {
      return ex.getMessage() + " (see --help)";
    }
    if (code == DIVERGED) {
      return ex.getMessage() + "; try a lower learning rate (" + Flags.of("learningRate") + ")";
    }
    return ex.getMessage();
  }

  /** Reports Backprop's version. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"backprop " + Version.VERSION, "Java " + Runtime.version()};
    }
  }
}

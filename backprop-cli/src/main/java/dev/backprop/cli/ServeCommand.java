package dev.backprop.cli;

import dev.backprop.InvalidSettingException;
import dev.backprop.io.Model;
import dev.backprop.io.ModelFile;
import dev.backprop.serve.ModelServer;
import dev.backprop.serve.ServeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code backprop serve}: serves models over HTTP (the Open Inference Protocol and MLflow's /invocations) until
 * SIGTERM or Ctrl-C, which let the requests in flight finish and end with exit code 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Serves models over HTTP: the Open Inference Protocol (KServe V2) and MLflow's /invocations. "
        + "Prints the address it listens on; SIGTERM or Ctrl-C finishes the requests in flight and exits 0.")
final class ServeCommand implements Callable<Integer> {
  private static final Map<String, String> FLAGS = Map.of("host", "--host", "port", "--port", "threads", "--threads",
      "maxBodyBytes", "--max-body", "timeout", "--timeout");

  @Option(names = "--model", paramLabel = "[NAME=]M", required = true,
      description = "A model file to serve, named by its file name without the extension or by NAME; repeatable.")
  List<String> models;

  @Option(names = "--host", paramLabel = "H", description = "The address to listen on (default: ${DEFAULT-VALUE}, "
      + "this machine only; 0.0.0.0 for every interface).")
  String host = ServeConfig.DEFAULT_HOST;

  @Option(names = "--port", paramLabel = "N", description = "The port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port = ServeConfig.DEFAULT_PORT;

  @Option(names = "--threads", paramLabel = "N", description = "Requests served at once (default: the cores).")
  Integer threads;

  @Option(names = "--max-body", paramLabel = "BYTES", description = "The largest request body; larger ones get 413 "
      + "unread (default: ${DEFAULT-VALUE}, 16 MiB).")
  int maxBody = ServeConfig.DEFAULT_MAX_BODY_BYTES;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long a client may take to send a request "
      + "or take its response, and how long stopping waits for the requests in flight (default: ${DEFAULT-VALUE}).")
  long timeout = ServeConfig.DEFAULT_TIMEOUT.toSeconds();

  @Mixin CommonOptions.Verbose common = new CommonOptions.Verbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ServeConfig config;
    try {
      config = new ServeConfig(host, port, threads != null ? threads : Runtime.getRuntime().availableProcessors(),
          maxBody, Duration.ofSeconds(timeout));
    } catch (InvalidSettingException e) {
      // serve's own flags: Flags holds the vocabulary of the training settings only
      throw new UsageException(e.messageFor(FLAGS.getOrDefault(e.setting(), e.setting())));
    }
    Map<String, Model> loaded = load(models);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ModelServer server;
    try {
      server = ModelServer.start(loaded, config, err::println);
    } catch (IOException e) {
      throw new UsageException("cannot listen on " + host + " port " + port + ": " + e.getMessage());
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signal.handle(new Signal("TERM"), signal -> stop.countDown());
    Signal.handle(new Signal("INT"), signal -> stop.countDown());
    out.println("listening on " + server.uri() + " (models: " + String.join(", ", loaded.keySet()) + ")");
    out.flush();
    stop.await();
    server.stop();
    err.println("backprop: stopped");
    return Main.OK;
  }

  /** The models by name, in the order given. */
  static Map<String, Model> load(List<String> specs) {
    Map<String, Model> loaded = new LinkedHashMap<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      Path file = Path.of(eq >= 0 ? s.substring(eq + 1) : s);
      String name = eq >= 0 ? s.substring(0, eq) : nameOf(file);
      if (name.isEmpty() || name.contains("/")) {
        throw new UsageException("--model " + s + ": a model's name must be non-empty and without '/'");
      }
      if (loaded.containsKey(name)) {
        throw new UsageException("--model " + s + ": a second model named '" + name + "'; name one of them with "
            + "NAME=PATH");
      }
      loaded.put(name, ModelFile.load(file));
    }
    return loaded;
  }

  /** The file name without its extension: {@code models/iris.safetensors} is {@code iris}. */
  private static String nameOf(Path file) {
    Path last = file.getFileName();
    String name = last == null ? "" : last.toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}

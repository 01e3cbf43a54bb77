package dev.backprop.cli;

import dev.backprop.check.GradientCheck;
import dev.backprop.check.SeedNetwork;
import dev.backprop.report.SeedStepReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code backprop explain}: one gradient-descent step of the seed network, quantity by quantity. */
@Command(name = "explain", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Walks one gradient-descent step of the seed's two-layer sigmoid network on a tiny example: "
        + "every quantity of the equations with its formula and value, and the finite-difference check of each "
        + "gradient.", "Rows are samples (batch-first); W1 is inputs x hidden, W2 is hidden x outputs."})
final class ExplainCommand implements Callable<Integer> {
  /** The example: two samples of two inputs, two hidden units, two outputs. */
  static final double[][] A0 = {{0.05, 0.10}, {0.60, 0.20}};
  static final double[][] Y = {{0.01, 0.99}, {0.90, 0.10}};
  static final double[][] W1 = {{0.15, 0.25}, {0.20, 0.30}};
  static final double[] B1 = {0.35, 0.35};
  static final double[][] W2 = {{0.40, 0.50}, {0.45, 0.55}};
  static final double[] B2 = {0.60, 0.60};

  @Option(names = "--lr", paramLabel = "ETA", defaultValue = "0.5",
      description = "The learning rate eta of the step (default: ${DEFAULT-VALUE}).")
  double eta;

  @Option(names = "--report", paramLabel = "F.html",
      description = "Also write the step as a self-contained HTML page: the network drawn with every weight and its "
          + "gradient, beside the equations and their values.")
  Path report;

  @Mixin CommonOptions.Verbose common = new CommonOptions.Verbose();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private PrintWriter out;

  @Override
  public Integer call() throws IOException {
    if (!(eta > 0) || Double.isInfinite(eta)) {
      throw new UsageException("--lr must be a positive finite number, got " + eta);
    }
    if (report != null) {
      ReportCommand.checkOutput("--report", report);
    }
    out = spec.commandLine().getOut();
    SeedNetwork net = new SeedNetwork(W1, B1, W2, B2);
    out.println("The seed network: 2 inputs -> 2 sigmoid hidden units -> 2 sigmoid outputs, a batch of 2 samples.");
    out.println("Cost C = 1/2 sum over samples and outputs of (a2 - y)^2;  sigma(x) = 1 / (1 + e^-x).");
    out.println();
    show("a0 (inputs)", "given", A0);
    show("y (targets)", "given", Y);
    show("W1", "given", net.w1());
    show("b1", "given", new double[][] {net.b1()});
    show("W2", "given", net.w2());
    show("b2", "given", new double[][] {net.b2()});

    out.println("Forward pass");
    SeedNetwork.Forward f = net.forward(A0);
    show("z1", "a0 W1 + b1", f.z1());
    show("a1", "sigma(z1)", f.a1());
    show("z2", "a1 W2 + b2", f.z2());
    show("a2", "sigma(z2)", f.a2());
    double cost = net.cost(A0, Y);
    out.printf(Locale.ROOT, "  C = 1/2 sum (a2 - y)^2 = %.10f%n%n", cost);

    out.println("Backward pass   (sigma'(z) = sigma(z) (1 - sigma(z)); (.) multiplies element by element)");
    SeedNetwork.Gradients g = net.gradients(f, Y);
    show("delta2", "(a2 - y) (.) sigma'(z2)", g.delta2());
    showChecked("dC/dW2", "a1^T delta2", g.dW2(), net, 2);
    showChecked("dC/db2", "sum of delta2 over the batch", new double[][] {g.db2()}, net, 3);
    show("delta1", "(delta2 W2^T) (.) sigma'(z1)", g.delta1());
    showChecked("dC/dW1", "a0^T delta1", g.dW1(), net, 0);
    showChecked("dC/db1", "sum of delta1 over the batch", new double[][] {g.db1()}, net, 1);

    out.printf(Locale.ROOT, "Update   (eta = %s)%n", Format.number(eta));
    net.update(g, eta);
    show("W1", "W1 - eta dC/dW1", net.w1());
    show("b1", "b1 - eta dC/db1", new double[][] {net.b1()});
    show("W2", "W2 - eta dC/dW2", net.w2());
    show("b2", "b2 - eta dC/db2", new double[][] {net.b2()});
    double after = net.cost(A0, Y);
    out.printf(Locale.ROOT, "  C after the step = %.10f (%s by %.3e)%n", after, after < cost ? "down" : "up",
        Math.abs(cost - after));
    if (report != null) {
      SeedStepReport.of(new SeedNetwork(W1, B1, W2, B2), A0, Y, eta).write(report);
      out.println("report written to " + report);
    }
    return Main.OK;
  }

  private void show(String name, String formula, double[][] m) {
    out.printf(Locale.ROOT, "  %-7s = %s%n", name, formula);
    for (double[] row : m) {
      out.println("            [" + Format.row(row, "%+.10f") + "]");
    }
  }

  /** A gradient, then the finite-difference estimate of each element and the relative error. */
  private void showChecked(String name, String formula, double[][] grad, SeedNetwork net, int tensor) {
    show(name, formula, grad);
    int cols = grad[0].length;
    double[][] numeric = new double[grad.length][cols];
    double worst = 0;
    for (int i = 0; i < grad.length; i++) {
      for (int j = 0; j < cols; j++) {
        numeric[i][j] = GradientCheck.numericSeed(net, tensor, i * cols + j, A0, Y, GradientCheck.DEFAULT_STEP);
        worst = Math.max(worst, GradientCheck.relativeError(grad[i][j], numeric[i][j]));
      }
    }
    show("check", "(C(w + h) - C(w - h)) / 2h, as a five-point difference", numeric);
    out.printf(Locale.ROOT, "            max relative error %.2e %s%n%n", worst, worst <= 1e-6 ? "ok" : "MISMATCH");
  }
}

package dev.backprop.train;

import dev.backprop.InvalidSettingException;
import dev.backprop.internal.EnumIds;
import java.util.Objects;

/**
 * How the learning rate changes from epoch to epoch: the rate of epoch e (1-based) out of E is
 * <pre>
 *   constant      lr
 *   step          lr * gamma^floor((e - 1) / stepSize)              (PyTorch's StepLR, gamma 0.1)
 *   exponential   lr * gamma^(e - 1)                                (PyTorch's ExponentialLR, gamma 0.95)
 *   cosine        lr (1 + cos(pi (e - 1) / E)) / 2                  (PyTorch's CosineAnnealingLR, T_max = E, eta_min 0)
 * </pre>
 * With a linear warm-up of W epochs, epoch e &lt;= W trains at lr * e / W, and the schedule then runs over
 * the remaining E - W epochs as if they were epochs 1 to E - W. The rate is fixed within an epoch and
 * recorded in each {@link EpochResult}.
 *
 * @param kind the shape of the decay
 * @param stepSize epochs between two decays of the step schedule
 * @param gamma the decay factor of the step and exponential schedules
 * @param warmupEpochs epochs of linear warm-up before the schedule, 0 for none
 */
public record Schedule(Kind kind, int stepSize, double gamma, int warmupEpochs) {
  /** The shapes of decay. */
  public enum Kind {
    CONSTANT, STEP, EXPONENTIAL, COSINE;

    public String id() {
      return EnumIds.id(this);
    }

    /** The kind whose {@link #id()} is {@code id}; throws InvalidSettingException listing every id. */
    public static Kind parse(String id) {
      return EnumIds.parse(Kind.class, "schedule", id);
    }
  }

  /** The default decay factor of {@code kind}: 0.1 for step, 0.95 for exponential, 1 otherwise. */
  public static double defaultGamma(Kind kind) {
    return kind == Kind.STEP ? 0.1 : kind == Kind.EXPONENTIAL ? 0.95 : 1;
  }

  public Schedule {
    Objects.requireNonNull(kind, "kind");
    if (stepSize < 1) {
      throw new InvalidSettingException("stepEpochs", stepSize, "1 or more epochs between two decays");
    }
    if (!(gamma > 0 && gamma <= 1)) {
      throw new InvalidSettingException("gamma", gamma, "in (0, 1] (1 never decays)");
    }
    if (warmupEpochs < 0) {
      throw new InvalidSettingException("warmupEpochs", warmupEpochs, "0 (no warm-up) or more");
    }
  }

  /** The same rate in every epoch. */
  public static Schedule constant() {
    return new Schedule(Kind.CONSTANT, 1, 1, 0);
  }

  /** The learning rate of epoch {@code epoch} (1-based) of {@code epochs}, from the base rate {@code lr}. */
  public double rate(double lr, int epoch, int epochs) {
    if (epoch <= warmupEpochs) {
      return lr * epoch / warmupEpochs;
    }
    int e = epoch - warmupEpochs;
    int total = Math.max(1, epochs - warmupEpochs);
    switch (kind) {
      case STEP:
        return lr * StrictMath.pow(gamma, (e - 1) / stepSize);
      case EXPONENTIAL:
        return lr * StrictMath.pow(gamma, e - 1);
      case COSINE:
        return lr * (1 + StrictMath.cos(Math.PI * (e - 1) / total)) / 2;
      case CONSTANT:
      default:
        return lr;
    }
  }

  /** e.g. {@code cosine}, {@code step(10, 0.1)}, {@code constant after 2 warm-up epochs}. */
  public String describe() {
    String base = kind == Kind.STEP ? "step(" + stepSize + ", " + gamma + ")"
        : kind == Kind.EXPONENTIAL ? "exponential(" + gamma + ")" : kind.id();
    return warmupEpochs > 0 ? base + " after " + warmupEpochs + " warm-up epochs" : base;
  }
}

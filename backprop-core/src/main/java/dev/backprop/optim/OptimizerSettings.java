package dev.backprop.optim;

import dev.backprop.InvalidSettingException;
import dev.backprop.internal.EnumIds;
import dev.backprop.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which optimizer to build and its hyper-parameters: an immutable description that the trainer turns into
 * an {@link Optimizer} bound to a network's parameters. Every optimizer follows PyTorch's torch.optim
 * formulas (see each class); the settings not carried here (Adam's betas and epsilon, RMSProp's alpha and
 * epsilon) take PyTorch's defaults.
 *
 * @param kind which optimizer
 * @param learningRate lr &gt; 0
 * @param momentum mu in [0, 1) for the kinds that have one ({@link Kind#hasMomentum()}), otherwise 0
 * @param weightDecay wd &gt;= 0: PyTorch's {@code weight_decay}, coupled (g + wd w) except for AdamW
 */
public record OptimizerSettings(Kind kind, double learningRate, double momentum, double weightDecay) {
  /** The optimizers Backprop has; {@link #id()} is the name on the command line and in model files. */
  public enum Kind {
    /** {@link Sgd}: W = W - lr dC/dW, the seed's update. */
    SGD,
    /** {@link Sgd} with heavy-ball momentum, PyTorch's form. */
    MOMENTUM,
    /** {@link Sgd} with Nesterov momentum, PyTorch's form. */
    NESTEROV,
    /** {@link Adam}, in PyTorch's form. */
    ADAM,
    /** {@link AdamW}: Adam with decoupled weight decay. */
    ADAMW,
    /** {@link RmsProp}, in PyTorch's form. */
    RMSPROP;

    public String id() {
      return EnumIds.id(this);
    }

    /** Whether this kind uses a momentum coefficient: MOMENTUM, NESTEROV and RMSPROP. */
    public boolean hasMomentum() {
      return this == MOMENTUM || this == NESTEROV || this == RMSPROP;
    }

    /** The kind whose {@link #id()} is {@code id}; throws InvalidSettingException listing every id. */
    public static Kind parse(String id) {
      return EnumIds.parse(Kind.class, "optimizer", id);
    }
  }

  /** The default learning rate of SGD and its momentum variants. */
  public static final double DEFAULT_SGD_LEARNING_RATE = 0.1;
  /** The default momentum of the MOMENTUM and NESTEROV kinds. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  public OptimizerSettings {
    Objects.requireNonNull(kind, "kind");
    requireLearningRate(learningRate);
    requireMomentum(kind, momentum);
    requireWeightDecay(weightDecay);
  }

  /** {@code kind} with learning rate {@code learningRate} and the kind's default momentum and weight decay. */
  public OptimizerSettings(Kind kind, double learningRate) {
    this(kind, learningRate, defaultMomentum(kind), defaultWeightDecay(kind));
  }

  /** {@code kind} with all its defaults. */
  public static OptimizerSettings defaults(Kind kind) {
    return new OptimizerSettings(kind, defaultLearningRate(kind));
  }

  /**
   * The learning rate of {@code kind} when none is given: 0.1 for SGD and its momentum variants (the
   * project's choice), 1e-3 for Adam and AdamW and 1e-2 for RMSProp (PyTorch's).
   */
  public static double defaultLearningRate(Kind kind) {
    switch (kind) {
      case ADAM:
      case ADAMW:
        return Adam.DEFAULT_LEARNING_RATE;
      case RMSPROP:
        return RmsProp.DEFAULT_LEARNING_RATE;
      default:
        return DEFAULT_SGD_LEARNING_RATE;
    }
  }

  /** The momentum of {@code kind} when none is given: 0.9 for MOMENTUM and NESTEROV, 0 otherwise (PyTorch's RMSProp). */
  public static double defaultMomentum(Kind kind) {
    return kind == Kind.MOMENTUM || kind == Kind.NESTEROV ? DEFAULT_MOMENTUM : 0;
  }

  /** The weight decay of {@code kind} when none is given: 0.01 for AdamW (PyTorch's), 0 otherwise. */
  public static double defaultWeightDecay(Kind kind) {
    return kind == Kind.ADAMW ? AdamW.DEFAULT_WEIGHT_DECAY : 0;
  }

  /** Adam with the given learning rate and PyTorch's other defaults. */
  public static OptimizerSettings adam(double learningRate) {
    return new OptimizerSettings(Kind.ADAM, learningRate);
  }

  /** Plain SGD with the given learning rate. */
  public static OptimizerSettings sgd(double learningRate) {
    return new OptimizerSettings(Kind.SGD, learningRate);
  }

  public OptimizerSettings withLearningRate(double value) {
    return new OptimizerSettings(kind, value, momentum, weightDecay);
  }

  /** These settings with momentum {@code value}; only for the kinds that {@linkplain Kind#hasMomentum() have one}. */
  public OptimizerSettings withMomentum(double value) {
    return new OptimizerSettings(kind, learningRate, value, weightDecay);
  }

  public OptimizerSettings withWeightDecay(double value) {
    return new OptimizerSettings(kind, learningRate, momentum, value);
  }

  /**
   * The settings for model metadata, in this order: {@code optimizer} (the kind's id), {@code learning_rate},
   * {@code momentum} (only for the kinds that have one) and {@code weight_decay}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("optimizer", kind.id());
    map.put("learning_rate", learningRate);
    if (kind.hasMomentum()) {
      map.put("momentum", momentum);
    }
    map.put("weight_decay", weightDecay);
    return map;
  }

  /** A new optimizer for {@code parameters}. */
  public Optimizer create(List<Parameter> parameters) {
    switch (kind) {
      case ADAM:
        return new Adam(parameters, learningRate, Adam.DEFAULT_BETA1, Adam.DEFAULT_BETA2, Adam.DEFAULT_EPSILON,
            weightDecay);
      case ADAMW:
        return new AdamW(parameters, learningRate, weightDecay);
      case RMSPROP:
        return new RmsProp(parameters, learningRate, RmsProp.DEFAULT_ALPHA, RmsProp.DEFAULT_EPSILON, momentum,
            weightDecay);
      case SGD:
      case MOMENTUM:
      case NESTEROV:
      default:
        return new Sgd(parameters, learningRate, kind, momentum, weightDecay);
    }
  }

  static void requireLearningRate(double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new InvalidSettingException("learningRate", value, "a finite number > 0");
    }
  }

  /**
   * Checks the momentum mu of {@code kind}: in [0, 1); 0 for the kinds without one, so that a momentum is
   * never silently ignored; above 0 for NESTEROV, as PyTorch requires.
   */
  static void requireMomentum(Kind kind, double value) {
    if (!(value >= 0 && value < 1)) {
      throw new InvalidSettingException("momentum", value, "in [0, 1) (0.9 is the usual choice)");
    }
    if (!kind.hasMomentum() && value != 0) {
      throw new InvalidSettingException("momentum", value, "0 (" + kind.id()
          + " has no momentum; the optimizers momentum, nesterov and rmsprop have one)");
    }
    if (kind == Kind.NESTEROV && value == 0) {
      throw new InvalidSettingException("momentum", value, "above 0 for nesterov, as PyTorch requires (use sgd for "
          + "no momentum)");
    }
  }

  static void requireWeightDecay(double value) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new InvalidSettingException("weightDecay", value, "a finite number >= 0 (0 turns it off)");
    }
  }
}

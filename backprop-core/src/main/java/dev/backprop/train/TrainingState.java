package dev.backprop.train;

import dev.backprop.tensor.Matrix;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a run needs to continue where it stopped, as a checkpoint holds it: after its last completed epoch,
 * or within the next one when a stop request ended it after a batch. Nothing else is needed: the data order of
 * epoch e and the dropout masks of step s derive from the seed alone.
 *
 * @param signature what the run trains and how ({@link Trainer#signature}); a resumed run must match it
 * @param epoch the epochs completed
 * @param stopped whether the run had ended (early stopping) after that epoch
 * @param parameters the network's parameter values by name (copies)
 * @param optimizerState the optimizer's state ({@code Optimizer.exportState})
 * @param history the results of the completed epochs
 * @param bestEpoch the epoch of the lowest validation loss so far (0 when there is no validation data)
 * @param bestLoss that loss (NaN when there is none)
 * @param badEpochs epochs since the best one
 * @param bestParameters the parameter values after the best epoch, or null without early stopping
 * @param partial what was done of epoch {@code epoch + 1} ({@link EpochProgress#NONE} at an epoch's end)
 */
public record TrainingState(String signature, int epoch, boolean stopped, Map<String, Matrix> parameters,
    Map<String, Matrix> optimizerState, List<EpochResult> history, int bestEpoch, double bestLoss, int badEpochs,
    Map<String, Matrix> bestParameters, EpochProgress partial) {
  public TrainingState {
    Objects.requireNonNull(signature, "signature");
    Objects.requireNonNull(partial, "partial");
    parameters = Map.copyOf(parameters);
    optimizerState = Map.copyOf(optimizerState);
    history = List.copyOf(history);
    bestParameters = bestParameters == null ? null : Map.copyOf(bestParameters);
  }

  /** The state at the end of epoch {@code epoch}. */
  public TrainingState(String signature, int epoch, boolean stopped, Map<String, Matrix> parameters,
      Map<String, Matrix> optimizerState, List<EpochResult> history, int bestEpoch, double bestLoss, int badEpochs,
      Map<String, Matrix> bestParameters) {
    this(signature, epoch, stopped, parameters, optimizerState, history, bestEpoch, bestLoss, badEpochs,
        bestParameters, EpochProgress.NONE);
  }
}

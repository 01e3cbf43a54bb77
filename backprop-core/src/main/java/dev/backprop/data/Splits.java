package dev.backprop.data;

import dev.backprop.InvalidInputException;
import dev.backprop.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Seeded train/test splits. Classification splits are stratified: each class gives round(fraction x its
 * rows) to the held-out part (at least one when it has two rows or more), so class shares are kept. Row
 * order inside each part follows the original order.
 */
public final class Splits {
  /** Stream id of splits under the seed. */
  public static final long SPLIT_STREAM = 3;
  /** Stream id of the validation split (taken from the training rows) under the seed. */
  public static final long VALIDATION_STREAM = 5;

  private Splits() {}

  /** The two parts of a split. */
  public record Split(Dataset train, Dataset heldOut) {}

  /**
   * Holds out {@code fraction} of the rows of {@code data}, chosen from {@code seed}.
   *
   * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
   * @throws InvalidInputException naming the data's source when it has too few rows for two non-empty parts
   */
  public static Split split(Dataset data, double fraction, long seed) {
    return split(data, fraction, seed, SPLIT_STREAM);
  }

  /**
   * Holds out {@code fraction} of the rows of {@code data}, chosen from the sub-stream {@code stream} of seed.
   *
   * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
   * @throws InvalidInputException naming the data's source when it has too few rows for two non-empty parts
   */
  public static Split split(Dataset data, double fraction, long seed, long stream) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("the held-out fraction must be between 0 and 1, got " + fraction);
    }
    boolean[] heldOut = new boolean[data.size()];
    if (data.task() == Task.CLASSIFICATION) {
      List<List<Integer>> byClass = new ArrayList<>();
      for (int c = 0; c < data.classes().size(); c++) {
        byClass.add(new ArrayList<>());
      }
      for (int i = 0; i < data.size(); i++) {
        byClass.get(data.label(i)).add(i);
      }
      for (int c = 0; c < byClass.size(); c++) {
        List<Integer> rows = byClass.get(c);
        int take = (int) Math.round(fraction * rows.size());
        if (take == 0 && rows.size() >= 2) {
          take = 1;
        }
        markRandom(rows, take, SeededRandom.derive(seed, stream, c), heldOut);
      }
    } else {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        rows.add(i);
      }
      markRandom(rows, (int) Math.round(fraction * rows.size()), SeededRandom.derive(seed, stream), heldOut);
    }
    int[] trainRows = new int[data.size()];
    int[] testRows = new int[data.size()];
    int nTrain = 0;
    int nTest = 0;
    for (int i = 0; i < heldOut.length; i++) {
      if (heldOut[i]) {
        testRows[nTest++] = i;
      } else {
        trainRows[nTrain++] = i;
      }
    }
    if (nTest == 0) {
      throw new InvalidInputException(data.source(), "", "holding out " + fraction + " of " + rows(data.size())
          + " leaves no rows held out: " + (data.task() == Task.CLASSIFICATION
              ? "a class gives held-out rows from two rows on, and no class here has two; use more rows"
              : fraction + " x " + data.size() + " rounds to 0; use more rows or hold out a larger share"));
    }
    if (nTrain == 0) {
      throw new InvalidInputException(data.source(), "", "holding out " + fraction + " of " + rows(data.size())
          + " leaves no rows to train on; use more rows or hold out a smaller share");
    }
    return new Split(data.subset(Arrays.copyOf(trainRows, nTrain)), data.subset(Arrays.copyOf(testRows, nTest)));
  }

  private static String rows(int n) {
    return n == 1 ? "1 row" : n + " rows";
  }

  private static void markRandom(List<Integer> rows, int take, SeededRandom random, boolean[] marks) {
    int[] order = random.permutation(rows.size());
    for (int i = 0; i < take; i++) {
      marks[rows.get(order[i])] = true;
    }
  }
}

package dev.backprop.data;

import dev.backprop.InvalidInputException;
import dev.backprop.SeededRandom;
import java.util.Arrays;

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
    boolean classification = data.task() == Task.CLASSIFICATION;
    Rows rows = rows(data.source(), data.size(), classification ? data.labels() : null,
        classification ? data.classes().size() : 0, fraction, seed, stream);
    return new Split(data.subset(rows.train()), data.subset(rows.heldOut()));
  }

  /** The row numbers of the two parts of a split, each in ascending order. */
  public record Rows(int[] train, int[] heldOut) {}

  /**
   * The rows that {@link #split(Dataset, double, long, long)} puts in each part, drawn from the labels alone: for
   * a dataset that is not built yet, so that only the rows of each part need to be.
   *
   * @param source the data's name in messages
   * @param n the number of rows
   * @param labels each row's class index, for a stratified split; null for regression
   * @param classes the number of classes (ignored for regression)
   * @throws IllegalArgumentException if {@code fraction} is not between 0 and 1
   * @throws InvalidInputException naming {@code source} when there are too few rows for two non-empty parts
   */
  public static Rows rows(String source, int n, int[] labels, int classes, double fraction, long seed, long stream) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("the held-out fraction must be between 0 and 1, got " + fraction);
    }
    boolean classification = labels != null;
    boolean[] heldOut = new boolean[n];
    int nTest = 0;
    if (classification) {
      // each class's rows in row order, side by side (a counting sort by class)
      int[] first = new int[classes + 1];
      for (int label : labels) {
        first[label + 1]++;
      }
      for (int c = 0; c < classes; c++) {
        first[c + 1] += first[c];
      }
      int[] byClass = byClass(labels, first, classes);
      for (int c = 0; c < classes; c++) {
        int size = first[c + 1] - first[c];
        int take = (int) Math.round(fraction * size);
        if (take == 0 && size >= 2) {
          take = 1;
        }
        mark(SeededRandom.derive(seed, stream, c).permutation(size), take, byClass, first[c], heldOut);
        nTest += take;
      }
    } else {
      int take = (int) Math.round(fraction * n);
      int[] all = new int[n];
      Arrays.setAll(all, i -> i);
      mark(SeededRandom.derive(seed, stream).permutation(n), take, all, 0, heldOut);
      nTest = take;
    }
    int nTrain = n - nTest;
    if (nTest == 0) {
      throw new InvalidInputException(source, "", "holding out " + fraction + " of " + count(n)
          + " leaves no rows held out: " + (classification
              ? "a class gives held-out rows from two rows on, and no class here has two; use more rows"
              : fraction + " x " + n + " rounds to 0; use more rows or hold out a larger share"));
    }
    if (nTrain == 0) {
      throw new InvalidInputException(source, "", "holding out " + fraction + " of " + count(n)
          + " leaves no rows to train on; use more rows or hold out a smaller share");
    }
    int[] trainRows = new int[nTrain];
    int[] testRows = new int[nTest];
    for (int i = 0, a = 0, b = 0; i < n; i++) {
      if (heldOut[i]) {
        testRows[b++] = i;
      } else {
        trainRows[a++] = i;
      }
    }
    return new Rows(trainRows, testRows);
  }

  /** The rows of each class in row order, class after class; {@code first} says where each class starts. */
  private static int[] byClass(int[] labels, int[] first, int classes) {
    int[] byClass = new int[labels.length];
    int[] next = Arrays.copyOf(first, classes);
    for (int i = 0; i < labels.length; i++) {
      byClass[next[labels[i]]++] = i;
    }
    return byClass;
  }

  /** Holds out rows[from + order[i]] for the first {@code take} entries of a permutation. */
  private static void mark(int[] order, int take, int[] rows, int from, boolean[] heldOut) {
    for (int i = 0; i < take; i++) {
      heldOut[rows[from + order[i]]] = true;
    }
  }

  private static String count(int n) {
    return n == 1 ? "1 row" : n + " rows";
  }
}

package dev.backprop.train;

import dev.backprop.train.Evaluation;

/**
 * What one epoch did.
 *
 * @param epoch 1-based
 * @param learningRate the learning rate the epoch used
 * @param trainLoss the mean per-sample loss over the epoch's mini-batches, each measured before its update
 * @param trainAccuracy the share of training rows classified correctly during the epoch (NaN for regression)
 * @param validation the evaluation on the validation rows (held out of the training data for early stopping)
 *     after the epoch, or null when there are none
 * @param test the evaluation on the held-out test data after the epoch, or null when there is none
 * @param seconds wall time of the epoch's training (without the evaluations)
 */
public record EpochResult(int epoch, double learningRate, double trainLoss, double trainAccuracy,
    Evaluation validation, Evaluation test, double seconds) {}

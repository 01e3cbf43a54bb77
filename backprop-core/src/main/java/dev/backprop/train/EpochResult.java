package dev.backprop.train;

import dev.backprop.metrics.Evaluation;

/**
 * What one epoch did.
 *
 * @param epoch 1-based
 * @param learningRate the learning rate the epoch used
 * @param trainLoss the mean per-sample loss over the epoch's mini-batches, each measured before its update
 * @param trainAccuracy the share of training rows classified correctly during the epoch (NaN for regression)
 * @param test the evaluation on the held-out data after the epoch, or null when there is none
 * @param seconds wall time of the epoch's training (without the evaluation)
 */
public record EpochResult(int epoch, double learningRate, double trainLoss, double trainAccuracy, Evaluation test,
    double seconds) {}

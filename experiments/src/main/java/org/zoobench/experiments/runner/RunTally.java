package org.zoobench.experiments.runner;

import org.zoobench.experiments.results.EpochStats;

import java.util.ArrayList;
import java.util.List;

/**
 * What a run's epochs add up to as they finish: each epoch's statistics, the training time, when test top-1 first
 * reached the target, and how the run ended: with a final test evaluation, or diverged (and then without one).
 */
final class RunTally {

    private final double targetAccuracy;
    private final List<EpochStats> epochs = new ArrayList<>();
    private double trainSeconds;
    private Double timeToTarget;
    private String divergence;
    private Evaluation finalTest;

    /** @param targetAccuracy test top-1 in percent whose time of first reaching is recorded */
    RunTally(double targetAccuracy) {
        this.targetAccuracy = targetAccuracy;
    }

    /** Continues from a checkpoint: its epochs, training time and time to target. */
    void restore(List<EpochStats> done, double seconds, Double toTarget) {
        epochs.addAll(done);
        trainSeconds = seconds;
        timeToTarget = toTarget;
    }

    void trained(long nanos) {
        trainSeconds += nanos / 1e9;
    }

    /** Ends the run as diverged: no final evaluation stands. */
    void diverged(String reason) {
        divergence = reason;
        finalTest = null;
    }

    /** An epoch that ended with finite losses, evaluated on a training sample and on the test set. */
    void epoch(int epoch, double trainingLoss, Evaluation onTrain, Evaluation onTest, double learningRate) {
        finalTest = onTest; // the last epoch's test pass is the final evaluation
        epochs.add(new EpochStats(epoch, trainingLoss, onTrain.loss(), 100 * onTrain.top1(), onTest.loss(),
                100 * onTest.top1(), trainSeconds, learningRate));
        if (timeToTarget == null && 100 * onTest.top1() >= targetAccuracy) {
            timeToTarget = trainSeconds;
        }
    }

    boolean hasDiverged() {
        return divergence != null;
    }

    /** Why the run diverged, or null. */
    String divergence() {
        return divergence;
    }

    /** The last epoch's test evaluation; null if the run diverged (or ran no epoch). */
    Evaluation finalTest() {
        return finalTest;
    }

    List<EpochStats> epochs() {
        return List.copyOf(epochs);
    }

    double trainSeconds() {
        return trainSeconds;
    }

    /** Training seconds until test top-1 first reached the target; null if it never did. */
    Double timeToTarget() {
        return timeToTarget;
    }
}

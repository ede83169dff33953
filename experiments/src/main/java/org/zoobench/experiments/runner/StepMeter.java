package org.zoobench.experiments.runner;

import me.tongfei.progressbar.ProgressBar;

import java.util.Locale;

/**
 * The training steps of a run as they finish, however they were computed: how many, the time spent waiting for
 * data and in all, the throughput once the first {@link Trainer#WARM_UP_STEPS} are past, each epoch's mean loss,
 * the progress bar, and the first loss that is NaN or infinite.
 */
final class StepMeter {

    private final ProgressBar bar;
    private final MemoryMonitor memory;
    private final int epochs;
    private long steps;
    private long timedSamples;
    private long timedNanos;
    private long waitNanos;
    private long stepNanos;
    private double lossSum;
    private int lossCount;
    private String divergence;

    StepMeter(ProgressBar bar, MemoryMonitor memory, int epochs) {
        this.bar = bar;
        this.memory = memory;
        this.epochs = epochs;
    }

    /** The counts behind the throughput and data-wait figures, for a checkpoint. */
    record Counts(long steps, long timedSamples, long timedNanos, long waitNanos, long stepNanos) {
    }

    Counts counts() {
        return new Counts(steps, timedSamples, timedNanos, waitNanos, stepNanos);
    }

    /** Continues from a checkpoint's counts. */
    void restore(Counts c) {
        steps = c.steps();
        timedSamples = c.timedSamples();
        timedNanos = c.timedNanos();
        waitNanos = c.waitNanos();
        stepNanos = c.stepNanos();
    }

    void startEpoch() {
        lossSum = 0;
        lossCount = 0;
    }

    /**
     * One finished step of {@code examples} examples that took {@code nanos} in all, {@code waitNanos} of them
     * waiting for its batch; false when its loss is not finite, which ends the run.
     */
    boolean step(int epoch, int examples, long waitNanos, long nanos, double loss) {
        memory.sample();
        steps++;
        this.waitNanos += waitNanos;
        stepNanos += nanos;
        if (steps > Trainer.WARM_UP_STEPS) {
            timedSamples += examples;
            timedNanos += nanos;
        }
        if (!Double.isFinite(loss)) {
            divergence = String.format(Locale.ROOT, "loss became %s at epoch %d, step %d", loss, epoch, steps);
            return false;
        }
        lossSum += loss;
        lossCount++;
        Progress.step(bar, String.format(Locale.ROOT, "epoch %d/%d loss %.3f", epoch, epochs, lossSum / lossCount));
        return true;
    }

    long steps() {
        return steps;
    }

    double epochLoss() {
        return lossSum / lossCount;
    }

    /** Why the run stopped early, or null. */
    String divergence() {
        return divergence;
    }

    /** Examples a second after warm-up (over all steps when there were no more than the warm-up's). */
    double samplesPerSec(int batchSize, long examplesInAllEpochs) {
        long samples = timedSamples;
        long nanos = timedNanos;
        if (samples == 0) {
            nanos = stepNanos;
            samples = Math.min(steps * batchSize, examplesInAllEpochs);
        }
        return nanos > 0 ? samples / (nanos / 1e9) : Double.NaN;
    }

    /** The share of step time spent waiting for the next batch. */
    double loadingShare() {
        return stepNanos > 0 ? (double) waitNanos / stepNanos : Double.NaN;
    }
}

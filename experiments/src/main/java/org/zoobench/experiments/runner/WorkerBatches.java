package org.zoobench.experiments.runner;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.data.ForwardingBatches;
import org.zoobench.parallel.ParallelTraining;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;

/**
 * An epoch's batches for ParallelWrapper, each split into one part per worker, so that a step of the workers is a
 * step of the run: the same batch, the same number of steps. ParallelWrapper takes {@code workers} parts, hands
 * one to each worker, waits for all, averages or shares, and only then asks for the next part; so the call that
 * asks for a new batch marks the end of the previous step, which is reported to the {@link StepMeter} with the
 * time spent waiting for the source's batches.
 */
final class WorkerBatches extends ForwardingBatches {

    private final int workers;
    private final int epoch;
    private final StepMeter meter;
    private final WorkerLosses losses;
    private final Deque<DataSet> parts = new ArrayDeque<>();
    /** When the step being measured started (its first wait for data); negative before the first. */
    private long stepStart = -1;
    private long waitNanos;
    /** Examples of the batch whose parts are out; 0 before the first. */
    private int examples;

    WorkerBatches(DataSetIterator source, int workers, int epoch, StepMeter meter, WorkerLosses losses) {
        super(source, "the source's batches come prepared");
        this.workers = workers;
        this.epoch = epoch;
        this.meter = meter;
        this.losses = losses;
    }

    /** False once a worker's loss is NaN or infinite: that step is the run's last. */
    @Override
    public boolean hasNext() {
        if (losses.notFinite()) {
            return false;
        }
        return !parts.isEmpty() || waitFor(source::hasNext);
    }

    @Override
    public DataSet next() {
        if (parts.isEmpty()) {
            endStep(System.nanoTime());
            DataSet batch = waitFor(source::next);
            examples = batch.numExamples();
            parts.addAll(ParallelTraining.split(batch, workers));
        }
        return parts.poll();
    }

    /** Reports the last step, once ParallelWrapper has finished it. */
    void finish() {
        endStep(System.nanoTime());
    }

    /**
     * Reports the step of the batch whose parts are out. Its loss is finite here unless this is the last step:
     * ParallelWrapper asks {@link #hasNext()} before every part.
     */
    private void endStep(long now) {
        if (examples == 0) {
            return; // the first batch: its step starts with the first wait for data
        }
        meter.step(epoch, examples, waitNanos, now - stepStart, losses.takeStepLoss());
        examples = 0;
        waitNanos = 0;
        stepStart = now;
    }

    private <T> T waitFor(Supplier<T> call) {
        long start = System.nanoTime();
        if (stepStart < 0) {
            stepStart = start;
        }
        T result = call.get();
        waitNanos += System.nanoTime() - start;
        return result;
    }

    @Override
    public boolean resetSupported() {
        return false; // one epoch; the runner resets the source for the next
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("one epoch of batches; reset the source instead");
    }
}

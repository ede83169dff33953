package org.zoobench.experiments.runner;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/**
 * An epoch's batches for ParallelWrapper, each split into one part per worker, so that a step of the workers is a
 * step of the run: the same batch, the same number of steps. ParallelWrapper takes {@code workers} parts, hands
 * one to each worker, waits for all, averages or shares, and only then asks for the next part; so the call that
 * asks for a new batch marks the end of the previous step, which is reported to the {@link StepMeter} with the
 * time spent waiting for the source's batches.
 */
final class WorkerBatches implements DataSetIterator {

    private final DataSetIterator source;
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
    private boolean stopped;

    WorkerBatches(DataSetIterator source, int workers, int epoch, StepMeter meter, WorkerLosses losses) {
        this.source = source;
        this.workers = workers;
        this.epoch = epoch;
        this.meter = meter;
        this.losses = losses;
    }

    @Override
    public boolean hasNext() {
        if (stopped || losses.notFinite()) {
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
            parts.addAll(split(batch, workers));
        }
        return parts.poll();
    }

    /** Reports the last step, once ParallelWrapper has finished it. */
    void finish() {
        endStep(System.nanoTime());
    }

    private void endStep(long now) {
        if (examples == 0) {
            return; // the first batch: its step starts with the first wait for data
        }
        if (!meter.step(epoch, examples, waitNanos, now - stepStart, losses.takeStepLoss())) {
            stopped = true;
        }
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

    /** {@code batch} cut along its examples into {@code workers} parts (fewer if it has fewer examples). */
    static List<DataSet> split(DataSet batch, int workers) {
        int n = batch.numExamples();
        int count = Math.min(workers, n);
        List<DataSet> split = new ArrayList<>(count);
        int from = 0;
        for (int i = 0; i < count; i++) {
            int to = from + n / count + (i < n % count ? 1 : 0);
            split.add(new DataSet(rows(batch.getFeatures(), from, to), rows(batch.getLabels(), from, to),
                    rows(batch.getFeaturesMaskArray(), from, to), rows(batch.getLabelsMaskArray(), from, to)));
            from = to;
        }
        return split;
    }

    /** Examples {@code from} to {@code to} (exclusive) of {@code x}, copied so that each worker owns its part. */
    private static INDArray rows(INDArray x, int from, int to) {
        if (x == null) {
            return null;
        }
        INDArrayIndex[] index = new INDArrayIndex[x.rank()];
        Arrays.fill(index, NDArrayIndex.all());
        index[0] = NDArrayIndex.interval(from, to);
        return x.get(index).dup(x.ordering());
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("ParallelWrapper takes the parts one at a time");
    }

    @Override
    public int inputColumns() {
        return source.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return source.totalOutcomes();
    }

    @Override
    public boolean resetSupported() {
        return false; // one epoch; the runner resets the source for the next
    }

    /** The source prefetches on its own thread already: ParallelWrapper need not wrap this in another. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public void reset() {
        throw new UnsupportedOperationException("one epoch of batches; reset the source instead");
    }

    @Override
    public int batch() {
        return source.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("the source's batches come prepared");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }
}

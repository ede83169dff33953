package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The iterator {@link DataPipeline} hands out: batches ready for the model, produced ahead of time on a
 * background thread when prefetching is on, and timed so the runner can
 * report how much of each step was spent waiting for data ({@link #stats()}). {@link #reset()} starts the
 * next epoch (with a new shuffle for training data). Call {@link #close()} when done to stop the prefetch thread.
 * Reports {@code asyncSupported() == false} so DL4J does not wrap it in its own prefetcher.
 */
public final class PipelineIterator extends ForwardingBatches implements AutoCloseable {

    private final AtomicLong producedNanos;
    private final int size;
    private long batches;
    private long examples;
    private long waitedNanos;
    private long elapsedNanos;
    private long passStart = -1;
    private long lastCall;

    PipelineIterator(DataSetIterator batches, int prefetch, AtomicLong producedNanos, int size) {
        super(prefetch > 0 ? new Prefetcher(batches, prefetch) : batches, DataPipeline.PREPARED);
        this.producedNanos = producedNanos;
        this.size = size;
    }

    /** Examples per pass. */
    public int numExamples() {
        return size;
    }

    /** Time and counts since this iterator was made. */
    public synchronized LoadingStats stats() {
        long elapsed = elapsedNanos + (passStart >= 0 ? lastCall - passStart : 0);
        return new LoadingStats(batches, examples, producedNanos.get(), waitedNanos, elapsed);
    }

    @Override
    public boolean hasNext() {
        long start = System.nanoTime();
        boolean more = source.hasNext(); // may block until the prefetcher knows whether a batch follows
        long end = System.nanoTime();
        synchronized (this) {
            if (passStart >= 0) {
                waitedNanos += end - start;
                lastCall = end;
                if (!more) {
                    endPass();
                }
            }
        }
        return more;
    }

    @Override
    public DataSet next() {
        long start = System.nanoTime();
        DataSet batch = source.next();
        long end = System.nanoTime();
        synchronized (this) {
            if (passStart < 0) {
                passStart = start;
            }
            waitedNanos += end - start;
            lastCall = end;
            batches++;
            examples += batch.numExamples();
        }
        return batch;
    }

    private void endPass() {
        elapsedNanos += lastCall - passStart;
        passStart = -1;
    }

    @Override
    public void reset() {
        synchronized (this) {
            if (passStart >= 0) {
                lastCall = System.nanoTime();
                endPass();
            }
        }
        source.reset();
    }

    @Override
    public void close() {
        if (source instanceof Prefetcher prefetcher) {
            prefetcher.stop();
        }
    }
}

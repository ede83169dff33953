package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.zoobench.zoo.PreparedBatches;

import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches of a fixed set of examples, each gathered only when asked for. With shuffling, pass {@code e} (counting
 * resets from 0) visits the examples in an order drawn from {@code seed} and {@code e} alone, so a run is repeatable
 * and every epoch differs. The last batch may be smaller. Time spent gathering is added to {@code producedNanos}.
 */
abstract class OrderedBatches extends PreparedBatches {

    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final AtomicLong producedNanos;
    private final int[] order;
    /** The pass's random stream: its order is drawn first, then whatever the batches draw (crops, flips). */
    private Random random;
    private int epoch;
    private int cursor;

    OrderedBatches(int examples, int batchSize, boolean shuffle, long seed, AtomicLong producedNanos,
                   String preparedBy) {
        super(preparedBy);
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.producedNanos = producedNanos;
        this.order = new int[examples];
        arrange();
    }

    /** The batch of these examples (indices into the set), in this order. */
    abstract DataSet gather(int[] rows, Random random);

    private void arrange() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        random = new Random(seed * 1_000_003L + epoch);
        if (shuffle) {
            Subsets.shuffle(order, random);
        }
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long start = System.nanoTime();
        int n = Math.min(num, order.length - cursor);
        int[] rows = new int[n];
        System.arraycopy(order, cursor, rows, 0, n);
        cursor += n;
        DataSet batch = gather(rows, random);
        producedNanos.addAndGet(System.nanoTime() - start);
        return batch;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** Gathering is the slow part: DL4J may run it ahead on its own thread. */
    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        epoch++;
        arrange();
    }

    @Override
    public int batch() {
        return batchSize;
    }
}

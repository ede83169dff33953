package org.zoobench.experiments.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches of an in-memory {@link DataSet}, each gathered and transformed only when asked for. With shuffling,
 * pass {@code e} (counting resets from 0) visits the examples in an order drawn from {@code seed} and {@code e}
 * alone, so a run is repeatable and every epoch differs. The last batch may be smaller.
 */
final class ShuffledBatches implements DataSetIterator {

    private final DataSet data;
    private final int batchSize;
    private final boolean shuffle;
    private final long seed;
    private final BatchTransform transform;
    private final int inputColumns;
    private final List<String> labels;
    private final AtomicLong producedNanos;
    private final int[] order;
    private int epoch;
    private int cursor;
    private DataSetPreProcessor preProcessor;

    ShuffledBatches(DataSet data, int batchSize, boolean shuffle, long seed, BatchTransform transform,
                    int inputColumns, List<String> labels, AtomicLong producedNanos) {
        this.data = data;
        this.batchSize = batchSize;
        this.shuffle = shuffle;
        this.seed = seed;
        this.transform = transform;
        this.inputColumns = inputColumns;
        this.labels = labels;
        this.producedNanos = producedNanos;
        this.order = new int[data.numExamples()];
        arrange();
    }

    private void arrange() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (shuffle) {
            Subsets.shuffle(order, new Random(seed * 1_000_003L + epoch));
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
        INDArray features = transform.apply(gather(data.getFeatures(), rows));
        INDArray labelRows = gather(data.getLabels(), rows);
        DataSet batch = new DataSet(features, labelRows,
                data.getFeaturesMaskArray() == null ? null : gather(data.getFeaturesMaskArray(), rows),
                data.getLabelsMaskArray() == null ? null : gather(data.getLabelsMaskArray(), rows));
        if (preProcessor != null) {
            preProcessor.preProcess(batch);
        }
        producedNanos.addAndGet(System.nanoTime() - start);
        return batch;
    }

    /** The given examples (first dimension) of an array of any rank, as a new array. */
    private static INDArray gather(INDArray source, int[] rows) {
        long[] shape = source.shape().clone();
        INDArray flat = source.reshape('c', shape[0], source.length() / shape[0]);
        INDArray picked = Nd4j.pullRows(flat, 1, rows);
        shape[0] = rows.length;
        return picked.reshape('c', shape);
    }

    @Override
    public int inputColumns() {
        return inputColumns;
    }

    @Override
    public int totalOutcomes() {
        return labels.size();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

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

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labels;
    }
}

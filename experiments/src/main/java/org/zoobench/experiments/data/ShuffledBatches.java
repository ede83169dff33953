package org.zoobench.experiments.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

import java.nio.FloatBuffer;
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

    private final Source features;
    private final Source labelArray;
    private final Source featuresMask;
    private final Source labelsMask;
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

    ShuffledBatches(DataSet data, int batchSize, boolean shuffle, long seed, BatchTransform transform,
                    int inputColumns, List<String> labels, AtomicLong producedNanos) {
        this.features = Source.of(data.getFeatures());
        this.labelArray = Source.of(data.getLabels());
        this.featuresMask = Source.of(data.getFeaturesMaskArray());
        this.labelsMask = Source.of(data.getLabelsMaskArray());
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
        DataSet batch = new DataSet(transform.apply(features.buffer, features.shape, rows), labelArray.rows(rows),
                featuresMask == null ? null : featuresMask.rows(rows), labelsMask == null ? null : labelsMask.rows(rows));
        producedNanos.addAndGet(System.nanoTime() - start);
        return batch;
    }

    /**
     * An array held as contiguous floats, for gathering examples without ND4J op overhead. The record keeps the
     * array itself: the buffer is only a view of its native memory, which is freed once the array is collected
     * (the prefetch thread then read freed memory: corrupt batches, or a SIGSEGV).
     */
    private record Source(INDArray array, FloatBuffer buffer, long[] shape) {
        static Source of(INDArray array) {
            if (array == null) {
                return null;
            }
            INDArray contiguous = array.dataType() == DataType.FLOAT && !array.isView() && array.ordering() == 'c'
                    ? array : array.castTo(DataType.FLOAT).dup('c');
            return new Source(contiguous, BatchTransform.floats(contiguous), contiguous.shape());
        }

        INDArray rows(int[] rows) {
            return Gather.rows(buffer, shape, rows);
        }
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
        throw new UnsupportedOperationException("DataPipeline already normalises; add transforms there");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return labels;
    }
}

package org.zoobench.experiments.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches of an in-memory {@link DataSet}, each gathered and transformed only when asked for, in the seeded order
 * of {@link OrderedBatches}.
 */
final class ShuffledBatches extends OrderedBatches {

    private final Source features;
    private final Source labelArray;
    private final Source featuresMask;
    private final Source labelsMask;
    private final BatchTransform transform;
    private final int inputColumns;
    private final List<String> labels;

    ShuffledBatches(DataSet data, int batchSize, boolean shuffle, long seed, BatchTransform transform,
                    int inputColumns, List<String> labels, AtomicLong producedNanos) {
        super(data.numExamples(), batchSize, shuffle, seed, producedNanos, DataPipeline.PREPARED);
        this.features = Source.of(data.getFeatures());
        this.labelArray = Source.of(data.getLabels());
        this.featuresMask = Source.of(data.getFeaturesMaskArray());
        this.labelsMask = Source.of(data.getLabelsMaskArray());
        this.transform = transform;
        this.inputColumns = inputColumns;
        this.labels = labels;
    }

    @Override
    DataSet gather(int[] rows, Random random) {
        return new DataSet(transform.apply(features.buffer, features.shape, rows, random), labelArray.rows(rows),
                featuresMask == null ? null : featuresMask.rows(rows), labelsMask == null ? null : labelsMask.rows(rows));
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
    public List<String> getLabels() {
        return labels;
    }
}

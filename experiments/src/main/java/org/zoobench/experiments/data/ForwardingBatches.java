package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.zoo.PreparedBatches;

import java.util.List;

/** Prepared batches of another iterator, passed on with its shape and labels and a say in how they flow. */
public abstract class ForwardingBatches extends PreparedBatches {

    protected final DataSetIterator source;

    protected ForwardingBatches(DataSetIterator source, String preparedBy) {
        super(preparedBy);
        this.source = source;
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
    public int batch() {
        return source.batch();
    }

    @Override
    public List<String> getLabels() {
        return source.getLabels();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** These batches are produced ahead already, or must not be: DL4J is not to wrap this in its own prefetcher. */
    @Override
    public boolean asyncSupported() {
        return false;
    }
}

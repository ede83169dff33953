package org.zoobench.zoo;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Base of the iterators whose batches come ready for the model: they take no pre-processor (the refusal says where
 * the batches are prepared instead), and hand out batches whole unless a subclass gathers any size.
 */
public abstract class PreparedBatches implements DataSetIterator {

    private final String preparedBy;

    /** @param preparedBy why a pre-processor has no place here, e.g. "DataPipeline already normalises" */
    protected PreparedBatches(String preparedBy) {
        this.preparedBy = preparedBy;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("batches come at the size they were prepared at");
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException(preparedBy);
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }
}

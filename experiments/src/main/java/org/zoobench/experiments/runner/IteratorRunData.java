package org.zoobench.experiments.runner;

import org.zoobench.experiments.data.PipelineIterator;

import java.util.List;

/** A run's three prefetching iterators and the set sizes behind them, however they were built. */
record IteratorRunData(PipelineIterator trainBatches, PipelineIterator trainSample, PipelineIterator test,
                       int trainSize, int testSize) implements RunData {

    @Override
    public void close() {
        List.of(trainBatches, trainSample, test).forEach(PipelineIterator::close);
    }
}

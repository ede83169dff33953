package org.zoobench.experiments.runner;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.data.PipelineIterator;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A run's prefetching iterators and the set sizes behind them, however they were built; the whole training set
 * as evaluated is opened only when asked for (most runs never are).
 */
final class IteratorRunData implements RunData {

    private final PipelineIterator trainBatches;
    private final PipelineIterator trainSample;
    private final PipelineIterator test;
    private final Supplier<PipelineIterator> openTrainingSet;
    private final int trainSize;
    private final int testSize;
    private PipelineIterator trainingSet;

    IteratorRunData(PipelineIterator trainBatches, PipelineIterator trainSample, PipelineIterator test,
                    Supplier<PipelineIterator> openTrainingSet, int trainSize, int testSize) {
        this.trainBatches = trainBatches;
        this.trainSample = trainSample;
        this.test = test;
        this.openTrainingSet = openTrainingSet;
        this.trainSize = trainSize;
        this.testSize = testSize;
    }

    @Override
    public int trainSize() {
        return trainSize;
    }

    @Override
    public int testSize() {
        return testSize;
    }

    @Override
    public DataSetIterator trainBatches() {
        return trainBatches;
    }

    @Override
    public DataSetIterator trainSample() {
        return trainSample;
    }

    @Override
    public DataSetIterator test() {
        return test;
    }

    @Override
    public synchronized DataSetIterator trainingSet() {
        if (trainingSet == null) {
            trainingSet = openTrainingSet.get();
        }
        return trainingSet;
    }

    @Override
    public synchronized void close() {
        Stream.of(trainBatches, trainSample, test, trainingSet).filter(Objects::nonNull)
                .forEach(PipelineIterator::close);
    }
}

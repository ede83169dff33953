package org.zoobench.experiments.runner;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.data.ImageFolderStream;
import org.zoobench.experiments.data.PipelineIterator;
import org.zoobench.zoo.InputShape;

import java.util.List;

/**
 * A run's batches decoded from an image folder on disk ({@link ImageFolderStream}): random crops and flips for
 * training; centre crops of the validation images (the test set here) and of a fixed training sample.
 */
final class StreamRunData implements RunData {

    private final PipelineIterator train;
    private final PipelineIterator trainSample;
    private final PipelineIterator test;
    private final int trainSize;
    private final int testSize;

    StreamRunData(ImageFolderStream stream, InputShape input, int batchSize, long seed) {
        this.train = stream.train(input, batchSize, seed);
        this.trainSample = stream.trainSample(input, batchSize, TRAIN_SAMPLE);
        this.test = stream.val(input, batchSize);
        this.trainSize = stream.trainSize();
        this.testSize = stream.valSize();
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
        return train;
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
    public void close() {
        List.of(train, trainSample, test).forEach(PipelineIterator::close);
    }
}

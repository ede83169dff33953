package org.zoobench.experiments.runner;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.experiments.data.DataPipeline;
import org.zoobench.experiments.data.LoadedDataset;
import org.zoobench.experiments.data.PipelineIterator;
import org.zoobench.zoo.InputShape;

import java.util.ArrayList;
import java.util.List;

/**
 * A run's batches through the data pipeline (resize, channels, normalisation by training-set statistics,
 * seeded shuffling, prefetching). The training sample is evaluated through a second pipeline over the same
 * training set, so it is normalised exactly like the training batches.
 */
final class PipelineRunData implements RunData {

    static final int EVAL_BATCH = 250;

    private final PipelineIterator train;
    private final PipelineIterator trainSample;
    private final PipelineIterator test;
    private final int trainSize;
    private final int testSize;
    private final List<PipelineIterator> open = new ArrayList<>();

    PipelineRunData(LoadedDataset data, InputShape input, DataPipeline.Resize resize, int batchSize, long seed) {
        LoadedDataset sampleAsTest = new LoadedDataset(data.name(), data.train(), first(data.train(), TRAIN_SAMPLE),
                data.shape(), data.classNames());
        DataPipeline training = pipeline(data, input, resize, batchSize, seed);
        DataPipeline evaluation = pipeline(data, input, resize, EVAL_BATCH, seed);
        DataPipeline sample = pipeline(sampleAsTest, input, resize, EVAL_BATCH, seed);
        this.train = keep(training.train());
        this.test = keep(evaluation.test());
        this.trainSample = keep(sample.test());
        this.trainSize = training.trainSize();
        this.testSize = training.testSize();
    }

    private static DataPipeline pipeline(LoadedDataset data, InputShape input, DataPipeline.Resize resize, int batch,
                                         long seed) {
        return DataPipeline.builder(data, input).resize(resize).batchSize(batch).seed(seed).build();
    }

    private PipelineIterator keep(PipelineIterator iterator) {
        open.add(iterator);
        return iterator;
    }

    private static DataSet first(DataSet all, int n) {
        int k = Math.min(n, all.numExamples());
        return new DataSet(all.getFeatures().get(NDArrayIndex.interval(0, k)).dup(),
                all.getLabels().get(NDArrayIndex.interval(0, k)).dup());
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
        open.forEach(PipelineIterator::close);
    }
}

package org.zoobench.experiments.runner;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.experiments.data.DataPipeline;
import org.zoobench.experiments.data.LoadedDataset;
import org.zoobench.experiments.data.PipelineIterator;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.zoo.InputShape;

/**
 * A run's batches through the data pipeline (resize, channels, normalisation by training-set statistics,
 * seeded shuffling, prefetching). The training sample is evaluated through a second pipeline over the same
 * training set, so it is normalised exactly like the training batches, as is the whole training set where a run
 * evaluates it; crops and flips, if any, touch the training batches only.
 */
final class PipelineRunData {

    static final int EVAL_BATCH = 250;

    private PipelineRunData() {
    }

    static RunData open(LoadedDataset data, InputShape input, DataPipeline.Resize resize, int batchSize, long seed,
                        Augmentation augmentation) {
        LoadedDataset sampleAsTest = new LoadedDataset(data.name(), data.train(),
                first(data.train(), RunData.TRAIN_SAMPLE), data.shape(), data.classNames());
        DataPipeline training = DataPipeline.builder(data, input).resize(resize).batchSize(batchSize).seed(seed)
                .augmentation(augmentation).build();
        DataPipeline evaluation = pipeline(data, input, resize, EVAL_BATCH, seed);
        DataPipeline sample = pipeline(sampleAsTest, input, resize, EVAL_BATCH, seed);
        PipelineIterator train = training.train();
        PipelineIterator test = evaluation.test();
        LoadedDataset trainingAsTest = new LoadedDataset(data.name(), data.train(), data.train(), data.shape(),
                data.classNames());
        return new IteratorRunData(train, sample.test(), test,
                () -> pipeline(trainingAsTest, input, resize, EVAL_BATCH, seed).test(), training.trainSize(),
                training.testSize());
    }

    private static DataPipeline pipeline(LoadedDataset data, InputShape input, DataPipeline.Resize resize, int batch,
                                         long seed) {
        return DataPipeline.builder(data, input).resize(resize).batchSize(batch).seed(seed).build();
    }

    private static DataSet first(DataSet all, int n) {
        int k = Math.min(n, all.numExamples());
        return new DataSet(all.getFeatures().get(NDArrayIndex.interval(0, k)).dup(),
                all.getLabels().get(NDArrayIndex.interval(0, k)).dup());
    }
}

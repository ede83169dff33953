package org.zoobench.experiments.runner;

import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.data.LoadedDataset;

import java.util.List;
import java.util.Random;

/**
 * Batches from a data set held in memory at the model's input shape. The training subset is drawn once with a
 * fixed seed, so every model and every run seed of a suite sees the same examples; only the order differs.
 */
public final class InMemoryRunData implements RunData {

    /** Seed of the training subset and the training-sample draw: part of the recipe, not of the run. */
    static final long SUBSET_SEED = 20131112L;
    /** Size of the training sample evaluated after every epoch. */
    static final int TRAIN_SAMPLE = 500;
    static final int EVAL_BATCH = 250;

    private final int numClasses;
    private final DataSet train;
    private final DataSet trainSample;
    private final DataSet test;
    private final int batchSize;

    public InMemoryRunData(LoadedDataset data, int trainLimit, int testLimit, int batchSize) {
        this.numClasses = data.numClasses();
        this.train = subset(data.train(), trainLimit, SUBSET_SEED);
        this.trainSample = subset(train, Math.min(TRAIN_SAMPLE, train.numExamples()), SUBSET_SEED + 1);
        this.test = first(data.test(), testLimit);
        this.batchSize = batchSize;
    }

    /** {@code limit} examples drawn without replacement (all of them, in order, when limit is 0 or too big). */
    static DataSet subset(DataSet all, int limit, long seed) {
        int n = all.numExamples();
        if (limit <= 0 || limit >= n) {
            return all;
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = 0; i < limit; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(order, limit);
        java.util.Arrays.sort(chosen);
        return select(all, chosen);
    }

    static DataSet first(DataSet all, int limit) {
        int n = all.numExamples();
        if (limit <= 0 || limit >= n) {
            return all;
        }
        int[] chosen = new int[limit];
        for (int i = 0; i < limit; i++) {
            chosen[i] = i;
        }
        return select(all, chosen);
    }

    private static DataSet select(DataSet all, int[] rows) {
        long[] shape = all.getFeatures().shape().clone();
        shape[0] = rows.length;
        return new DataSet(all.getFeatures().reshape(all.numExamples(), -1).getRows(rows).reshape(shape),
                all.getLabels().getRows(rows));
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public int trainSize() {
        return train.numExamples();
    }

    @Override
    public int testSize() {
        return test.numExamples();
    }

    @Override
    public DataSetIterator trainEpoch(long seed, int epoch) {
        DataSet shuffled = train.copy();
        shuffled.shuffle(seed * 1_000_003L + epoch);
        return iterator(shuffled, batchSize);
    }

    @Override
    public DataSetIterator trainSample() {
        return iterator(trainSample, EVAL_BATCH);
    }

    @Override
    public DataSetIterator test() {
        return iterator(test, EVAL_BATCH);
    }

    private static DataSetIterator iterator(DataSet data, int batch) {
        List<DataSet> batches = data.batchBy(batch);
        return new ExistingDataSetIterator(batches);
    }
}

package org.zoobench.experiments.runner;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The batches one run trains and evaluates on, already shaped for the model. */
public interface RunData {

    int numClasses();

    int trainSize();

    int testSize();

    /** The training set in an order shuffled by {@code seed} and {@code epoch}. */
    DataSetIterator trainEpoch(long seed, int epoch);

    /** A fixed sample of the training set, for epoch-end training loss and accuracy in inference mode. */
    DataSetIterator trainSample();

    DataSetIterator test();

    /** Fraction of the last epoch's batch time spent waiting for data, or NaN if the source does not measure it. */
    default double dataLoadingShare() {
        return Double.NaN;
    }
}

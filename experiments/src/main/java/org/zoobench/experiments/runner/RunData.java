package org.zoobench.experiments.runner;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The batches one run trains and evaluates on, already shaped and normalised for the model. */
public interface RunData extends AutoCloseable {

    /** Training examples evaluated after every epoch for the training loss and accuracy curves. */
    int TRAIN_SAMPLE = 500;

    int trainSize();

    int testSize();

    /** The training batches; every reset starts a new epoch in a new order, seeded by the run's seed. */
    DataSetIterator trainBatches();

    /** A fixed sample of the training set, for epoch-end training loss and accuracy in inference mode. */
    DataSetIterator trainSample();

    DataSetIterator test();

    /**
     * Every training example as the test set is evaluated (no crops or flips), for a run's final training error;
     * prepared on first use.
     */
    DataSetIterator trainingSet();

    /** Stops any background batch preparation. */
    @Override
    void close();
}

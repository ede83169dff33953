package org.zoobench.experiments.runner;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.results.RunConfig;

/** How an epoch's batches train the network: one worker stepping it, or ParallelWrapper's workers sharing each step. */
interface EpochFitter extends AutoCloseable {

    static EpochFitter of(ComputationGraph net, RunConfig config) {
        return config.dataParallel() == null ? new SingleWorkerFitter(net) : new ParallelFitter(net, config);
    }

    /** Trains on every batch of {@code batches}, reporting each step to {@code meter}; stops at a diverged loss. */
    void fit(DataSetIterator batches, int epoch, StepMeter meter);

    @Override
    void close();
}

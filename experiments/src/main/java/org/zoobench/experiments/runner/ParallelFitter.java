package org.zoobench.experiments.runner;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.parallel.ParallelTraining;

import java.util.ArrayList;
import java.util.List;

/**
 * An epoch trained by ParallelWrapper's workers, each step's batch split among them ({@link WorkerBatches}).
 * ParallelWrapper copies the network into fresh replicas at every fit, so what the runner changes between epochs
 * (a learning rate divided on a plateau) reaches all of them; the network itself is the first worker's replica and
 * holds the trained parameters after each epoch.
 */
final class ParallelFitter implements EpochFitter {

    private final ParallelWrapper wrapper;
    private final WorkerLosses losses = new WorkerLosses();
    private final int workers;

    ParallelFitter(ComputationGraph net, RunConfig config) {
        workers = config.workers();
        wrapper = ParallelTraining.wrap(net, workers, config.dataParallel().mode(), config.layers(),
                config.seed());
        // ParallelWrapper gives its workers its own listeners only, in place of the network's: the run's (--ui's
        // statistics, one worker each in the same session) go with them
        List<TrainingListener> listeners = new ArrayList<>(net.getListeners());
        listeners.add(losses);
        wrapper.setListeners(listeners);
    }

    @Override
    public void fit(DataSetIterator batches, int epoch, StepMeter meter) {
        WorkerBatches parts = new WorkerBatches(batches, workers, epoch, meter, losses);
        try {
            wrapper.fit(parts);
        } catch (RuntimeException e) {
            // ParallelWrapper rethrows a worker's failure wrapped twice; the runner reports the worker's own
            throw workerFailure(e);
        }
        parts.finish();
    }

    private static RuntimeException workerFailure(RuntimeException e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause
                && cause.getClass() == RuntimeException.class) {
            cause = cause.getCause();
        }
        return cause instanceof RuntimeException r ? r : e;
    }

    @Override
    public void close() {
        wrapper.shutdown();
    }
}

package org.zoobench.zoo.parallel;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.zoobench.zoo.layers.LayerImpl;

/**
 * DL4J's ParallelWrapper around a graph: {@code workers} replicas, each on its own device where the backend has
 * several (CUDA: worker i on GPU i), all sharing the CPU otherwise. Each {@code fit} hands one data set to each
 * worker per step, waits for all of them, then averages or shares (see {@link WorkerMode}); the graph passed in is
 * the first worker's replica, so it holds the trained parameters after every {@code fit}.
 */
public final class ParallelTraining {

    private ParallelTraining() {
    }

    /**
     * @param impl the layer implementation the graph runs, given to every replica too
     * @param seed where the replicas' random generators (dropout) start
     */
    public static ParallelWrapper wrap(ComputationGraph graph, int workers, WorkerMode mode, LayerImpl impl,
                                       long seed) {
        ParallelWrapper wrapper = new ParallelWrapper.Builder<>(graph)
                .workers(workers)
                .trainingMode(mode.trainingMode())
                .averagingFrequency(1)
                // the caller's iterator prepares batches on its own thread already: no second prefetch queue
                .prefetchBuffer(0)
                .workspaceMode(graph.getConfiguration().getTrainingWorkspaceMode())
                .build();
        wrapper.setTrainerContext(new ReplicaContext(mode, impl, seed));
        return wrapper;
    }
}

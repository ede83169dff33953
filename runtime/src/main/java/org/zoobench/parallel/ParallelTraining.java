package org.zoobench.parallel;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.layers.LayerImpl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

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
                // batches arrive prepared (the runner prefetches on a thread of its own): no second prefetch queue
                .prefetchBuffer(0)
                .workspaceMode(graph.getConfiguration().getTrainingWorkspaceMode())
                .build();
        wrapper.setTrainerContext(new ReplicaContext(workers, mode, impl, seed));
        return wrapper;
    }

    /**
     * {@code batch} cut along its examples into one part per worker (fewer if it has fewer examples), sizes
     * differing by one example at most: a step of the workers is then a step on the whole batch.
     */
    public static List<DataSet> split(DataSet batch, int workers) {
        int n = batch.numExamples();
        int count = Math.min(workers, n);
        List<DataSet> split = new ArrayList<>(count);
        int from = 0;
        for (int i = 0; i < count; i++) {
            int to = from + n / count + (i < n % count ? 1 : 0);
            split.add(new DataSet(rows(batch.getFeatures(), from, to), rows(batch.getLabels(), from, to),
                    rows(batch.getFeaturesMaskArray(), from, to), rows(batch.getLabelsMaskArray(), from, to)));
            from = to;
        }
        return split;
    }

    /** Examples {@code from} to {@code to} (exclusive) of {@code x}, copied so that each worker owns its part. */
    private static INDArray rows(INDArray x, int from, int to) {
        if (x == null) {
            return null;
        }
        INDArrayIndex[] index = new INDArrayIndex[x.rank()];
        Arrays.fill(index, NDArrayIndex.all());
        index[0] = NDArrayIndex.interval(from, to);
        return x.get(index).dup(x.ordering());
    }
}

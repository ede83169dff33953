package org.zoobench.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.factory.TrainerContext;
import org.deeplearning4j.parallelism.trainer.Trainer;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.layers.LayerImpl;

import java.util.concurrent.CountDownLatch;

/**
 * Creates ParallelWrapper's worker threads (DL4J's own trainers for the mode) so that every replica trains like the
 * model it copies. DL4J rebuilds replicas from the configuration's JSON, which does not carry what is plugged in
 * after a graph is built: the layer implementation ({@link LayerImpl#FAST}'s helpers) is applied to each replica,
 * and each worker thread's random generator (dropout) gets a seed of its own that a rerun repeats.
 */
final class ReplicaContext implements TrainerContext {

    private final int workers;
    private final WorkerMode mode;
    private final LayerImpl impl;
    private final long seed;
    /** Replicas created so far: ParallelWrapper creates a new set on every fit, on the calling thread. */
    private long created;
    /** The current set's copies of the parameters still to be made (see {@link ReplicaSteps}). */
    private CountDownLatch othersCopied;

    ReplicaContext(int workers, WorkerMode mode, LayerImpl impl, long seed) {
        this.workers = workers;
        this.mode = mode;
        this.impl = impl;
        this.seed = seed;
    }

    @Override
    public void init(Model model, Object... args) {
        // nothing to set up before the replicas
    }

    @Override
    public Trainer create(String uuid, int threadId, Model model, int rootDevice, boolean useMDS,
                          ParallelWrapper wrapper, WorkspaceMode workspaceMode, int averagingFrequency) {
        long replicaSeed = seed + 0x9E3779B97F4A7C15L * ++created;
        boolean first = threadId == 0; // DL4J's worker 0 trains the original network itself
        if (first) {
            othersCopied = new CountDownLatch(workers - 1);
        }
        ReplicaSteps steps = new ReplicaSteps(replica -> {
            impl.apply((ComputationGraph) replica);
            Nd4j.getRandom().setSeed(replicaSeed);
        }, first, othersCopied);
        return mode == WorkerMode.AVERAGING
                ? new AveragingReplica(model, uuid, threadId, workspaceMode, wrapper, averagingFrequency, steps)
                : new SharingReplica(model, uuid, threadId, workspaceMode, wrapper, steps);
    }

    @Override
    public void finalizeRound(Model originalModel, Model... models) {
        // ParallelWrapper averages (or shares updates) itself
    }

    @Override
    public void finalizeTraining(Model originalModel, Model... models) {
        // the first worker trains the original model itself
    }
}

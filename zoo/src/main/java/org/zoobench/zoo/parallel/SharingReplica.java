package org.zoobench.zoo.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.SymmetricTrainer;
import org.nd4j.linalg.dataset.api.DataSet;

/** DL4J's trainer for {@link WorkerMode#SHARED_GRADIENTS}, on a prepared replica. */
final class SharingReplica extends SymmetricTrainer {

    private final ReplicaContext context;
    private final long replicaSeed;

    SharingReplica(Model original, String wrapperId, int threadId, WorkspaceMode workspaceMode,
                   ParallelWrapper wrapper, ReplicaContext context, long replicaSeed) {
        super(original, wrapperId, threadId, workspaceMode, wrapper, false);
        this.context = context;
        this.replicaSeed = replicaSeed;
    }

    @Override
    protected void postInit() {
        super.postInit();
        context.prepare(replicatedModel, replicaSeed);
    }

    @Override
    protected void fit(DataSet dataSet) {
        ReplicaContext.step(() -> super.fit(dataSet));
    }
}

package org.zoobench.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.SymmetricTrainer;
import org.nd4j.linalg.dataset.api.DataSet;

/** DL4J's trainer for {@link WorkerMode#SHARED_GRADIENTS}, on a prepared replica. */
final class SharingReplica extends SymmetricTrainer {

    private final ReplicaSteps steps;

    SharingReplica(Model original, String wrapperId, int threadId, WorkspaceMode workspaceMode,
                   ParallelWrapper wrapper, ReplicaSteps steps) {
        super(original, wrapperId, threadId, workspaceMode, wrapper, false);
        this.steps = steps;
    }

    @Override
    protected void fit(DataSet dataSet) {
        steps.step(replicatedModel, () -> super.fit(dataSet));
    }

    /** Runs after this worker's replica has copied the original parameters, before its first step. */
    @Override
    protected void postInit() {
        super.postInit();
        steps.copyDone();
    }

    @Override
    public void run() {
        steps.thread(super::run);
    }
}

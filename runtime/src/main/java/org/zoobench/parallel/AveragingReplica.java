package org.zoobench.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.DefaultTrainer;
import org.nd4j.linalg.dataset.api.DataSet;

/** DL4J's trainer for {@link WorkerMode#AVERAGING}, set up as DL4J's own context does, on a prepared replica. */
final class AveragingReplica extends DefaultTrainer {

    private final ReplicaSteps steps;

    AveragingReplica(Model original, String wrapperId, int threadId, WorkspaceMode workspaceMode,
                     ParallelWrapper wrapper, int averagingFrequency, ReplicaSteps steps) {
        this.originalModel = original;
        this.replicatedModel = original;
        this.threadId = threadId;
        this.parallelWrapper = wrapper;
        this.workspaceMode = workspaceMode;
        this.uuid = wrapperId + "_thread_" + threadId;
        this.averagingFrequency = averagingFrequency;
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

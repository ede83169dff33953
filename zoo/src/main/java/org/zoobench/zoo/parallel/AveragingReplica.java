package org.zoobench.zoo.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.DefaultTrainer;
import org.nd4j.linalg.dataset.api.DataSet;

import java.util.function.Consumer;

/** DL4J's trainer for {@link WorkerMode#AVERAGING}, set up as DL4J's own context does, on a prepared replica. */
final class AveragingReplica extends DefaultTrainer {

    private final Consumer<Model> prepare;

    AveragingReplica(Model original, String wrapperId, int threadId, WorkspaceMode workspaceMode,
                     ParallelWrapper wrapper, int averagingFrequency, Consumer<Model> prepare) {
        this.originalModel = original;
        this.replicatedModel = original;
        this.threadId = threadId;
        this.parallelWrapper = wrapper;
        this.workspaceMode = workspaceMode;
        this.uuid = wrapperId + "_thread_" + threadId;
        this.averagingFrequency = averagingFrequency;
        this.prepare = prepare;
    }

    @Override
    protected void postInit() {
        super.postInit();
        prepare.accept(replicatedModel);
    }

    @Override
    protected void fit(DataSet dataSet) {
        ReplicaContext.step(() -> super.fit(dataSet));
    }
}

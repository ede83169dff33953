package org.zoobench.zoo.parallel;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.parallelism.ParallelWrapper;
import org.deeplearning4j.parallelism.trainer.SymmetricTrainer;
import org.nd4j.linalg.dataset.api.DataSet;

import java.util.function.Consumer;

/** DL4J's trainer for {@link WorkerMode#SHARED_GRADIENTS}, on a prepared replica. */
final class SharingReplica extends SymmetricTrainer {

    private final Consumer<Model> prepare;

    SharingReplica(Model original, String wrapperId, int threadId, WorkspaceMode workspaceMode,
                   ParallelWrapper wrapper, Consumer<Model> prepare) {
        super(original, wrapperId, threadId, workspaceMode, wrapper, false);
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

package org.zoobench.parallel;

import org.deeplearning4j.nn.api.Model;

import java.util.function.Consumer;

/**
 * What both kinds of replica add to DL4J's trainers, on the worker's own thread: the replica is prepared before its
 * first step, and a step's Error surfaces. DL4J's trainer thread records only Exceptions for ParallelWrapper to
 * rethrow; an Error (an OutOfMemoryError above all) would end the thread unseen and leave ParallelWrapper waiting
 * for it forever.
 */
final class ReplicaSteps {

    private final Consumer<Model> prepare;
    private boolean prepared;

    ReplicaSteps(Consumer<Model> prepare) {
        this.prepare = prepare;
    }

    void step(Model replica, Runnable fit) {
        try {
            if (!prepared) {
                prepare.accept(replica);
                prepared = true;
            }
            fit.run();
        } catch (Error e) {
            throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }
}

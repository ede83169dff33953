package org.zoobench.parallel;

import org.deeplearning4j.nn.api.Model;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * What both kinds of replica add to DL4J's trainers, on the worker's own thread: the replica is prepared before its
 * first step, the workers start from the same parameters, and a step's Error surfaces.
 * <p>
 * The first worker trains the original network in place; the others copy its parameters when their threads start,
 * which DL4J does not order before the first worker's first step, so a replica could start from parameters that
 * step had already changed, or was changing. The first worker's first step therefore waits until every other
 * worker of its round has copied them.
 * <p>
 * DL4J's trainer thread records only Exceptions for ParallelWrapper to rethrow; an Error (an OutOfMemoryError
 * above all) would end the thread unseen and leave ParallelWrapper waiting for it forever.
 */
final class ReplicaSteps {

    private final Consumer<Model> prepare;
    private final boolean first;
    /** Counted down once by each other worker of the round, when its copy of the parameters is made. */
    private final CountDownLatch othersCopied;
    private final AtomicBoolean copied = new AtomicBoolean();
    private boolean prepared;

    /**
     * @param first        whether this is the round's first worker, the one that trains the original network
     * @param othersCopied shared by a round's workers, counting the other workers' copies still to be made
     */
    ReplicaSteps(Consumer<Model> prepare, boolean first, CountDownLatch othersCopied) {
        this.prepare = prepare;
        this.first = first;
        this.othersCopied = othersCopied;
    }

    /**
     * Tells the round's first worker that this one no longer reads the original parameters: once its copy is made,
     * or its thread has ended without one. Later calls change nothing.
     */
    void copyDone() {
        if (!first && copied.compareAndSet(false, true)) {
            othersCopied.countDown();
        }
    }

    /** The worker's thread, {@code run} being DL4J's: it builds the replica, copies, then steps until stopped. */
    void thread(Runnable run) {
        try {
            run.run();
        } finally {
            copyDone(); // a replica that failed before its copy must not hold the first worker forever
        }
    }

    void step(Model replica, Runnable fit) {
        try {
            if (!prepared) {
                if (first) {
                    awaitCopies();
                }
                prepare.accept(replica);
                prepared = true;
            }
            fit.run();
        } catch (Error e) {
            throw new IllegalStateException(e.getMessage() == null ? e.toString() : e.getMessage(), e);
        }
    }

    private void awaitCopies() {
        try {
            othersCopied.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the other workers copied the parameters", e);
        }
    }
}

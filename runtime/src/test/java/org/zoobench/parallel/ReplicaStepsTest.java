package org.zoobench.parallel;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The order ReplicaSteps puts on a round of workers, without DL4J's threads: see its comment. */
class ReplicaStepsTest {

    /** How long a step that must wait is given to (wrongly) go ahead. */
    private static final long HELD_MS = 300;

    private static ReplicaSteps worker(boolean first, CountDownLatch othersCopied, List<String> log) {
        return new ReplicaSteps(replica -> log.add("prepared"), first, othersCopied);
    }

    /** Starts the worker's first step on a thread of its own; the step counts down {@code stepped}. */
    private static Thread firstStep(ReplicaSteps steps, CountDownLatch stepped) {
        Thread thread = new Thread(() -> steps.step(null, stepped::countDown));
        thread.start();
        return thread;
    }

    @Test
    void theFirstWorkersFirstStepWaitsUntilEveryOtherWorkerHasCopiedTheParameters() throws Exception {
        CountDownLatch othersCopied = new CountDownLatch(2);
        List<String> log = new ArrayList<>();
        ReplicaSteps first = worker(true, othersCopied, log);
        ReplicaSteps second = worker(false, othersCopied, log);
        ReplicaSteps third = worker(false, othersCopied, log);
        CountDownLatch stepped = new CountDownLatch(1);
        Thread thread = firstStep(first, stepped);

        assertFalse(stepped.await(HELD_MS, TimeUnit.MILLISECONDS), "no copy made yet");
        second.copyDone();
        second.copyDone(); // the end of its thread, after the copy: counted once
        assertFalse(stepped.await(HELD_MS, TimeUnit.MILLISECONDS), "the third worker has not copied yet");
        assertTrue(log.isEmpty(), "prepared before the wait was over: " + log);
        third.copyDone();
        assertTrue(stepped.await(10, TimeUnit.SECONDS), "every copy made, yet the first step still waits");
        thread.join();
        assertEquals(List.of("prepared"), log);

        first.step(null, () -> log.add("second step"));
        assertEquals(List.of("prepared", "second step"), log, "prepared once; later steps do not wait");
    }

    @Test
    void theOtherWorkersNeverWait() {
        CountDownLatch othersCopied = new CountDownLatch(1);
        List<String> log = new ArrayList<>();
        ReplicaSteps other = worker(false, othersCopied, log);
        other.step(null, () -> log.add("step")); // nothing counts down: it would hang here if it waited
        assertEquals(List.of("prepared", "step"), log);
        worker(true, othersCopied, log).copyDone();
        assertEquals(1, othersCopied.getCount(), "the first worker makes no copy to count");
    }

    @Test
    void aWorkerWithoutACopyStillReleasesTheFirst() throws Exception {
        // a replica whose thread ended before its copy (its construction failed) counts down from run's finally
        CountDownLatch othersCopied = new CountDownLatch(1);
        ReplicaSteps first = worker(true, othersCopied, new ArrayList<>());
        CountDownLatch stepped = new CountDownLatch(1);
        Thread thread = firstStep(first, stepped);
        worker(false, othersCopied, new ArrayList<>()).copyDone();
        assertTrue(stepped.await(10, TimeUnit.SECONDS));
        thread.join();
    }

    @Test
    void anErrorInAStepSurfacesAsAnExceptionDl4jRethrows() {
        ReplicaSteps steps = worker(false, new CountDownLatch(0), new ArrayList<>());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> steps.step(null, () -> {
                    throw new OutOfMemoryError("Java heap space");
                }));
        assertEquals("Java heap space", e.getMessage());
        assertTrue(e.getCause() instanceof OutOfMemoryError);
    }
}

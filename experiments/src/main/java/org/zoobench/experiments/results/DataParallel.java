package org.zoobench.experiments.results;

import java.io.Serializable;

/**
 * A run trained by several data-parallel workers (DL4J's ParallelWrapper): {@code workers} replicas, kept in step
 * by {@code mode} ({@code averaging} or {@code shared-gradients}). Each step's batch is split among the workers,
 * so the batch, the number of steps and the learning-rate schedule are those of the same run on one worker.
 */
public record DataParallel(int workers, String mode) implements Serializable {

    public DataParallel {
        if (workers < 2) {
            throw new IllegalArgumentException("data-parallel training needs at least 2 workers, got " + workers);
        }
    }

    /** The examples each worker gets of a batch: the batch split as evenly as it goes. */
    public int examplesPerWorker(int batchSize) {
        return (batchSize + workers - 1) / workers;
    }
}

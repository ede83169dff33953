package org.zoobench.experiments.results;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import org.zoobench.parallel.WorkerMode;

import java.io.Serializable;

/**
 * A run trained by several data-parallel workers (DL4J's ParallelWrapper): {@code workers} replicas, kept in step
 * by {@code mode}. Each step's batch is split among the workers, so the batch, the number of steps and the
 * learning-rate schedule are those of the same run on one worker.
 */
public record DataParallel(int workers,
                           // As records hold it: "averaging" or "shared-gradients".
                           @JsonSerialize(converter = ZooIdJson.WorkerModeId.class)
                           @JsonDeserialize(converter = ZooIdJson.ParsedWorkerMode.class) WorkerMode mode)
        implements Serializable {

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

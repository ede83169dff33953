package org.zoobench.experiments.runner;

import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;

import java.util.List;

/**
 * Trains a suite's unfinished runs and saves each into the results store, from the calling thread only (the store
 * has one writer): one after another in this JVM ({@link LocalRunExecutor}), or as tasks on a Spark cluster (the
 * cluster module, found through {@link SparkRunExecutors}).
 */
public interface RunExecutor extends AutoCloseable {

    /** A run to train, with its label for progress lines, e.g. "[3/8] lstm-max seed 1". */
    record PlannedRun(RunSpec spec, String label) {
    }

    /** Told about each run; called on the thread that called {@link #trainAll}. */
    interface Listener {

        /** Training of {@code run} starts now (where the executor knows that moment). */
        void started(PlannedRun run);

        /** {@code run} is trained and saved in the store. */
        void saved(PlannedRun run, RunRecord record);

        /** {@code run} could not be trained; the executor goes on with the others. */
        void failed(PlannedRun run, String reason);

        /** Training of {@code run} was cut off ({@code what} says how, in a few words) and starts again. */
        void retried(PlannedRun run, String what);
    }

    /** Trains every run of {@code runs}, none of which is finished in {@code store}, and saves each there. */
    void trainAll(List<PlannedRun> runs, ResultsStore store, Listener listener);

    /**
     * Whether {@link #measureTrainingSets} measures anything: an executor whose data is elsewhere (Spark's) leaves
     * such runs as they are.
     */
    default boolean measuresTrainingSets() {
        return false;
    }

    /**
     * Measures the training-set top-1 of finished runs saved before it was measured
     * ({@link RunRecord#lacksTrainingSetTop1()}) on their saved models and saves their records again, returning
     * those it measured.
     */
    default List<RunRecord> measureTrainingSets(List<RunRecord> records, ResultsStore store) {
        return List.of();
    }

    /** Releases what the executor holds (a Spark context); a local executor holds nothing. */
    @Override
    default void close() {
    }
}

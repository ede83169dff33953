package org.zoobench.experiments.results;

import java.nio.file.Path;

/**
 * Where the trainer puts a trained run: the results store, or, on a Spark executor, a holder whose contents go
 * back to the driver, which alone writes the store.
 */
public interface RunSink {

    /** A directory of the run's own on this machine, where DL4J writes its memory report if a step runs out. */
    Path runDir(String runId);

    /**
     * Keeps a finished (or diverged) run: its record, its test predictions (null when diverged) and a writer of
     * its model (null when there is none to keep).
     */
    void save(RunRecord record, Predictions predictions, AtomicFiles.Writer model);
}

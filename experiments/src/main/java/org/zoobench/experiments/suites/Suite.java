package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;

import java.util.List;

/** A named set of runs with one recipe, and the report that turns their records into tables and figures. */
public interface Suite {

    String name();

    String description();

    /** The runs of the full suite, or of the cut-down {@code --quick} version. */
    SuitePlan plan(boolean quick);

    /**
     * The suite's tables (Markdown) and figures (written under the store's directory) from its saved records;
     * `zoobench report` calls the same method, so it prints exactly what the run printed.
     */
    String report(ResultsStore store, List<RunRecord> records);
}

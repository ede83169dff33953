package org.zoobench.experiments.suites;

import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;

import java.util.List;

/** A named set of runs with one recipe, and the report that turns their records into tables and figures. */
public abstract class Suite {

    private final String name;
    private final String description;

    protected Suite(String name, String description) {
        this.name = name;
        this.description = description;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    /** The data set the suite trains on unless told otherwise. */
    public SuiteOptions.DataChoice defaultData() {
        return SuiteOptions.DataChoice.FASHION_MNIST;
    }

    /** The runs of the full suite, or of the cut-down {@code --quick} version, with these choices. */
    public abstract SuitePlan plan(SuiteOptions options);

    /** The runs on the suite's default data set, at its default scale. */
    public SuitePlan plan(boolean quick) {
        return plan(SuiteOptions.of(quick, defaultData()));
    }

    /**
     * The suite's tables (Markdown) and figures from its saved records, for the caller to print and write;
     * `zoobench report` calls the same method, so it prints exactly what the run printed.
     */
    public abstract Report report(ResultsStore store, List<RunRecord> records);
}

package org.zoobench.experiments.suites;

import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;

import java.util.List;

/** A named set of runs with one recipe, and the report that turns their records into tables and figures. */
public interface Suite {

    String name();

    String description();

    /** The data set the suite trains on unless told otherwise. */
    default SuiteOptions.DataChoice defaultData() {
        return SuiteOptions.DataChoice.FASHION_MNIST;
    }

    /** The runs of the full suite, or of the cut-down {@code --quick} version, with these choices. */
    SuitePlan plan(SuiteOptions options);

    /** The runs on the suite's default data set, at its default scale. */
    default SuitePlan plan(boolean quick) {
        return plan(SuiteOptions.of(quick, defaultData()));
    }

    /**
     * The suite's tables (Markdown) and figures from its saved records, for the caller to print and write;
     * `zoobench report` calls the same method, so it prints exactly what the run printed.
     */
    Report report(ResultsStore store, List<RunRecord> records);
}

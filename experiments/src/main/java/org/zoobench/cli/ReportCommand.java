package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.experiments.report.HtmlReport;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.results.ResultsLock;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.SuiteInfo;
import org.zoobench.experiments.suites.Suites;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code zoobench report DIR}: rebuild the tables and plots of a results directory from its saved runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Rebuild tables (results.md), plots and report.html of a results directory from its saved runs, and print "
                + "the table.")
public final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "a results directory written by train or run")
    Path dir;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ResultsStore store = ResultsStore.openForReading(dir);
        // the report is written into the folder: checked first, and never beside another writer
        store.checkWritable(List.of());
        ResultsLock.take(dir);
        store.reconcile();
        List<RunRecord> records = store.records();
        Optional<SuiteInfo> suite = store.suiteInfo();
        store.repairs().forEach(r -> out.println("note: " + r));
        if (records.isEmpty()) {
            throw new UserInputException("'" + dir + "' holds no finished run yet (no runs/*/" + ResultsStore.RECORD
                    + "); train one there with `zoobench train ... --results " + dir + "` or `zoobench run`");
        }
        // With no finished run a suite has nothing to compare; the generic table still marks the diverged runs.
        boolean noneFinished = records.stream().allMatch(RunRecord::diverged);
        Optional<String> suiteName = suite.map(SuiteInfo::suite).or(() -> suiteOfRecords(records));
        Report report = suiteName.filter(name -> !noneFinished)
                .map(name -> Suites.get(name).report(store, records))
                .orElseGet(() -> ResultsReport.report(store, records));
        report.writeTo(store);
        out.print(report.markdown());
        out.flush();
        HtmlReport.forResults(store, report.markdown());
        if (noneFinished) {
            throw new UserInputException(ResultsReport.allDiverged(store, records));
        }
        return 0;
    }

    /**
     * Without a usable suite.json, the suite every record names, when they name one registered suite: each record
     * keeps the suite that trained it.
     */
    private static Optional<String> suiteOfRecords(List<RunRecord> records) {
        List<String> named = records.stream().map(RunRecord::suite).distinct().toList();
        return named.size() == 1 && Suites.names().contains(named.get(0)) ? Optional.of(named.get(0))
                : Optional.empty();
    }
}

package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunData;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.zoo.ModelEntry;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Runs a list of runs into a results store, skipping those already finished there: a killed suite resumes
 * where it stopped. A diverged run is recorded and the suite goes on.
 */
public final class SuiteRunner {

    private final ResultsStore store;
    private final Function<String, ModelEntry> models;
    private final DataProvider data;
    private final PrintWriter log;

    public SuiteRunner(ResultsStore store, Function<String, ModelEntry> models, DataProvider data, PrintWriter log) {
        this.store = store;
        this.models = models;
        this.data = data;
        this.log = log;
    }

    public List<RunRecord> run(List<RunSpec> runs) {
        List<String> toDoIds = runs.stream().map(RunSpec::runId).filter(id -> !store.isFinished(id)).toList();
        store.checkWritable(toDoIds);
        store.reconcile();
        printRepairs();
        Trainer trainer = new Trainer(store);
        List<RunRecord> records = new ArrayList<>();
        long toDo = toDoIds.size();
        if (toDo < runs.size()) {
            log.printf(Locale.ROOT, "resuming: %d of %d runs already finished in %s%n", runs.size() - toDo,
                    runs.size(), store.dir());
        }
        long started = System.nanoTime();
        int done = 0;
        for (int i = 0; i < runs.size(); i++) {
            RunSpec spec = runs.get(i);
            var finished = store.find(spec.runId());
            if (finished.isPresent()) {
                records.add(finished.get());
                continue;
            }
            String label = String.format(Locale.ROOT, "[%d/%d] %s seed %d", i + 1, runs.size(),
                    spec.config().model(), spec.config().seed());
            if (done > 0) {
                double perRun = (System.nanoTime() - started) / 1e9 / done;
                log.printf(Locale.ROOT, "%s (suite ETA %s)%n", label, duration(perRun * (toDo - done)));
            } else {
                log.println(label);
            }
            ModelEntry model = models.apply(spec.config().model());
            RunRecord record;
            try (RunData batches = data.forRun(spec.config())) {
                record = trainer.run(spec, model, batches, label);
            }
            done++;
            log.println("  " + summary(record));
            printRepairs();
            log.flush();
            records.add(record);
        }
        return records;
    }

    private void printRepairs() {
        store.repairs().forEach(r -> log.println("note: " + r));
    }

    /** The calibrated expected duration (seconds) of the runs not yet finished in the store; 0 if none is left. */
    public static double expectedSeconds(ResultsStore store, List<RunSpec> runs, Function<String, ModelEntry> models,
                                         DataProvider data) {
        List<RunSpec> left = runs.stream().filter(r -> !store.isFinished(r.runId())).toList();
        return left.isEmpty() ? 0 : DurationEstimate.seconds(left, models, data);
    }

    static String summary(RunRecord r) {
        if (r.diverged()) {
            return "DIVERGED: " + r.statusDetail() + " (recorded; suite goes on)";
        }
        return String.format(Locale.ROOT, "top-1 %s  top-5 %s  %.0f img/s train  data wait %.0f%%  %.0f s",
                r.top1().format(), r.top5() == null ? "—" : String.format(Locale.ROOT, "%.1f", r.top5().value()),
                r.trainSamplesPerSec(), 100 * r.dataLoadingShare(), r.wallTimeSec());
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}

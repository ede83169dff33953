package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.LocalRunExecutor;
import org.zoobench.experiments.runner.RunExecutor;
import org.zoobench.experiments.runner.RunExecutor.PlannedRun;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.zoo.ModelEntry;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Runs a list of runs into a results store, skipping those already finished there: a killed suite resumes
 * where it stopped. A diverged run is recorded and the suite goes on. Where the runs train is the
 * {@link RunExecutor}'s business: one after another in this JVM, or on Spark.
 */
public final class SuiteRunner {

    private final ResultsStore store;
    private final RunExecutor executor;
    private final PrintWriter log;
    private final Map<String, String> failures = new LinkedHashMap<>();
    private final List<String> leftForLater = new ArrayList<>();

    /** Runs trained one after another in this JVM. */
    public SuiteRunner(ResultsStore store, Function<String, ModelEntry> models, DataProvider data, PrintWriter log) {
        this(store, new LocalRunExecutor(models, data), log);
    }

    public SuiteRunner(ResultsStore store, RunExecutor executor, PrintWriter log) {
        this.store = store;
        this.executor = executor;
        this.log = log;
    }

    /**
     * Trains the runs not finished in the store and returns the records of all runs, in the order given, except
     * those that failed (see {@link #failures()}).
     */
    public List<RunRecord> run(List<RunSpec> runs) {
        return run(runs, null);
    }

    /**
     * As {@link #run(List)}, within {@code sitting} where it is not null: a run it does not expect to finish in
     * what is left of it is left for a later sitting ({@link #leftForLater()}), and the next one that fits trains.
     */
    public List<RunRecord> run(List<RunSpec> runs, Sitting sitting) {
        failures.clear();
        leftForLater.clear();
        Map<String, RunRecord> finished = new LinkedHashMap<>();
        runs.forEach(spec -> store.find(spec.runId()).ifPresent(r -> finished.put(spec.runId(), r)));
        store.checkWritable(runs.stream().map(RunSpec::runId).filter(id -> !finished.containsKey(id)).toList());
        store.reconcile();
        printRepairs();
        if (!finished.isEmpty()) {
            log.printf(Locale.ROOT, "resuming: %d of %d runs already finished in %s%n", finished.size(),
                    runs.size(), store.dir());
        }
        measureTrainingSets(finished.values());
        List<PlannedRun> toDo = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunSpec spec = runs.get(i);
            if (!finished.containsKey(spec.runId())) {
                toDo.add(new PlannedRun(spec, String.format(Locale.ROOT, "[%d/%d] %s seed %d", i + 1, runs.size(),
                        spec.config().model(), spec.config().seed())));
            }
        }
        RunLog runLog = new RunLog(toDo.size());
        if (sitting == null) {
            executor.trainAll(toDo, store, runLog);
        } else {
            for (PlannedRun run : toDo) {
                String id = run.spec().runId();
                if (sitting.fits(id)) {
                    executor.trainAll(List.of(run), store, runLog);
                } else {
                    leftForLater.add(id);
                    runLog.leftForLater(run, sitting);
                }
            }
        }
        List<RunRecord> records = new ArrayList<>();
        for (RunSpec spec : runs) {
            store.find(spec.runId()).ifPresent(records::add);
        }
        return records;
    }

    /** Finished runs saved before their training-set top-1 was measured get it now, where their model is kept. */
    private void measureTrainingSets(Collection<RunRecord> finished) {
        List<RunRecord> unmeasured = finished.stream().filter(RunRecord::lacksTrainingSetTop1)
                .filter(r -> Files.isRegularFile(store.modelFile(r.runId()))).toList();
        if (unmeasured.isEmpty() || !executor.measuresTrainingSets()) {
            return;
        }
        log.printf(Locale.ROOT, "measuring the training-set top-1 of %d finished run%s saved before it was recorded%n",
                unmeasured.size(), unmeasured.size() == 1 ? "" : "s");
        log.flush();
        for (RunRecord r : executor.measureTrainingSets(unmeasured, store)) {
            log.printf(Locale.ROOT, "  %s: training-set top-1 %s%n", r.runId(), r.trainingSetTop1().format());
        }
        log.flush();
    }

    /** The runs of the last {@link #run} that could not be trained, by run id, with the reason. */
    public Map<String, String> failures() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }

    /** The runs of the last {@link #run} that its sitting left for a later one, by run id, in order. */
    public List<String> leftForLater() {
        return List.copyOf(leftForLater);
    }

    /**
     * A sitting of a given length, started when this object was made, and the calibrated seconds each unfinished
     * run is expected to take to the earliest epoch its stopping rule allows (runs usually stop there: every
     * converged run so far has); a run fits while that is within what is left.
     */
    public static final class Sitting {

        private final long endsAt;
        private final Map<String, Double> expectedSeconds;

        public Sitting(Duration length, Map<String, Double> expectedSeconds) {
            this.endsAt = System.nanoTime() + length.toNanos();
            this.expectedSeconds = Map.copyOf(expectedSeconds);
        }

        double secondsLeft() {
            return (endsAt - System.nanoTime()) / 1e9;
        }

        double expectedSeconds(String runId) {
            Double seconds = expectedSeconds.get(runId);
            if (seconds == null) {
                throw new IllegalArgumentException("no expected duration for run " + runId);
            }
            return seconds;
        }

        boolean fits(String runId) {
            return expectedSeconds(runId) <= secondsLeft();
        }
    }

    /** One line as each run starts (with the suite's ETA once a run has finished) and one as it is saved. */
    private final class RunLog implements RunExecutor.Listener {

        private int toDo;
        private final long started = System.nanoTime();
        private int done;
        private PlannedRun lastStarted;

        RunLog(int toDo) {
            this.toDo = toDo;
        }

        void leftForLater(PlannedRun run, Sitting sitting) {
            toDo--;
            log.printf(Locale.ROOT, "%s: left for a later sitting (expected %s to its earliest stop; %s of this "
                    + "sitting left)%n", run.label(), duration(sitting.expectedSeconds(run.spec().runId())),
                    duration(Math.max(0, sitting.secondsLeft())));
            log.flush();
        }

        @Override
        public void started(PlannedRun run) {
            if (done > 0) {
                double perRun = (System.nanoTime() - started) / 1e9 / done;
                log.printf(Locale.ROOT, "%s (suite ETA %s)%n", run.label(), duration(perRun * (toDo - done)));
            } else {
                log.println(run.label());
            }
            log.flush();
            lastStarted = run;
        }

        @Override
        public void saved(PlannedRun run, RunRecord record) {
            done++;
            // Runs trained elsewhere finish in any order: a line of their own names them.
            log.println((run.equals(lastStarted) ? " " : run.label() + ":") + " " + summary(record));
            printRepairs();
            log.flush();
        }

        @Override
        public void failed(PlannedRun run, String reason) {
            done++;
            store.saveFailure(run.spec().runId(), reason);
            failures.put(run.spec().runId(), reason);
            log.println(run.label() + ": FAILED: " + reason + " (noted in " + store.runDir(run.spec().runId())
                    .resolve(ResultsStore.FAILURE) + "; suite goes on; rerun to train it again)");
            log.flush();
        }

        @Override
        public void retried(PlannedRun run, String what) {
            log.println(run.label() + ": " + what);
            log.flush();
        }
    }

    private void printRepairs() {
        store.repairs().forEach(r -> log.println("note: " + r));
    }

    /**
     * The calibrated expected seconds of each run not yet finished in the store, by run id, from the epochs its
     * checkpoint holds: to its most epochs and to the earliest its stopping rule allows (the same for runs without
     * one).
     */
    public record Expected(Map<String, Double> most, Map<String, Double> earliest) {

        /** The seconds of the given runs at their most epochs. */
        public double mostSeconds(Collection<String> runIds) {
            return runIds.stream().mapToDouble(most::get).sum();
        }
    }

    public static Expected expected(ResultsStore store, List<RunSpec> runs, Function<String, ModelEntry> models,
                                    DataProvider data) {
        List<RunSpec> left = runs.stream().filter(r -> !store.isFinished(r.runId())).toList();
        List<SuiteEstimate.Remaining> remaining = SuiteEstimate.remaining(left, models, data,
                id -> Trainer.epochsCheckpointed(store.runDir(id)));
        Map<String, Double> most = new LinkedHashMap<>();
        Map<String, Double> earliest = new LinkedHashMap<>();
        for (int i = 0; i < left.size(); i++) {
            most.put(left.get(i).runId(), remaining.get(i).most());
            earliest.put(left.get(i).runId(), remaining.get(i).earliest());
        }
        return new Expected(most, earliest);
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

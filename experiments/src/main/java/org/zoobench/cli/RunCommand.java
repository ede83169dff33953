package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.data.LoadedDataset;
import org.zoobench.experiments.report.HtmlReport;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.results.DataParallel;
import org.zoobench.experiments.results.ResultsLock;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.SuiteInfo;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.LocalRunExecutor;
import org.zoobench.experiments.runner.RunExecutor;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.SparkRunExecutors;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.experiments.suites.AlexNetAblationSuite;
import org.zoobench.experiments.suites.Suite;
import org.zoobench.experiments.suites.SuiteEstimate;
import org.zoobench.experiments.suites.SuiteOptions.DataChoice;
import org.zoobench.experiments.suites.SuiteOptions.Scale;
import org.zoobench.experiments.suites.SuiteOptions;
import org.zoobench.experiments.suites.SuitePlan;
import org.zoobench.experiments.suites.SuiteRunner;
import org.zoobench.experiments.suites.Suites;
import org.zoobench.experiments.ui.LiveStats;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.Callable;

/**
 * {@code zoobench run SUITE [--quick] [--dataset NAME] [--data-dir DIR] [--scale mini|imagenet] [--results DIR]
 * [--spark MASTER]}: run (or resume) a suite, here or on Spark, and print its table.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run an experiment suite (resuming a killed one), then print its table and write results "
                + "and plots. Suites: alexnet-ablation (the main job), depth (plain vs residual), architectures "
                + "(the zoo's families under one budget), birnn (causal vs bidirectional).")
public final class RunCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingOptions training;

    @Parameters(index = "0", paramLabel = "SUITE", description = "suite name, e.g. alexnet-ablation")
    String suiteName;

    @Option(names = "--quick", description = "the cut-down recipe: under 10 minutes on 2 CPU cores")
    boolean quick;

    @Option(names = "--estimate", description = "print the recipe and how long each run will take here (a few "
            + "timed training steps of each net), then stop: nothing is trained or written")
    boolean estimateOnly;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "the data set to train on instead of the suite's own (fashion-mnist; birnn reads it row by "
                    + "row beside its future-context task), e.g. cifar10 or image-folder, with --data-dir")
    String dataset;

    @Option(names = "--scale", defaultValue = "mini", paramLabel = "SCALE",
            description = "mini (nets sized for small images and a CPU) or imagenet (alexnet-ablation only: the "
                    + "ImageNet-sized nets and the paper's recipe on --dataset image-folder --data-dir DIR with "
                    + "DIR/train/<class>/... and DIR/val/<class>/...) (default ${DEFAULT-VALUE})",
            converter = Converters.ScaleConverter.class)
    Scale scale;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "alexnet-ablation only: train the variants at this input instead (default 3x224x224 at "
                    + "--scale imagenet; the data set's own size, at most 32x32, at --scale mini)")
    String input;

    @Option(names = "--limit", paramLabel = "N",
            description = "cut every run to at most N >= 1 training examples, a smoke test of the suite (default: "
                    + "the recipe's); the default results directory gets -limitN")
    Integer limit;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "cut every run to at most N >= 1 test examples (default: the recipe's); the default "
                    + "results directory gets -testN")
    Integer testLimit;

    @Option(names = "--results", paramLabel = "DIR",
            description = "results directory (default results/SUITE, plus -DATASET for another data set, -imagenet "
                    + "and -quick)")
    Path results;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "train on Apache Spark, each run one task: local[N], spark://HOST:7077, yarn or k8s://URL; "
                    + "this JVM plans the suite and writes the results (docs/cluster.md)")
    String sparkMaster;

    @Option(names = "--task-cpus", paramLabel = "N",
            description = "with --spark: the cores one run uses (spark.task.cpus; default Spark's setting, else 1)")
    Integer taskCpus;

    @Option(names = "--spark-results", paramLabel = "URI",
            description = "with --spark: where executors write each run's directory (its model.zip), a Hadoop "
                    + "FileSystem URI every executor reaches (file:///shared/dir, hdfs://..., s3a://...); default "
                    + "with local[N] the --results directory, elsewhere none: only records and predictions come back")
    URI sparkResults;

    @Option(names = "--sitting", paramLabel = "DURATION", converter = Converters.SittingConverter.class,
            description = "how long this sitting may train, e.g. 2h30m or 45m: start only the runs that the "
                    + "calibration expects to reach their earliest stop in what is left of it, in the suite's order, "
                    + "and leave the others for a later sitting (rerun the same command); a run once started trains "
                    + "to its end")
    Duration sitting;

    @Override
    public Integer call() {
        long calledAt = System.nanoTime();
        PrintWriter table = spec.commandLine().getOut();
        PrintWriter out = training.quiet.commentary(table);
        Suite suite = Suites.get(suiteName);
        checkSparkOptions();
        checkLimits();
        if (estimateOnly && sitting != null) {
            throw new UserInputException("--estimate trains nothing, so a --sitting has nothing to plan: leave one "
                    + "of them out");
        }
        training.liveStats.check();
        // the suite's batches are known once it is planned; until then, only the workers and the devices
        training.workers.dataParallel(training.backend, List.of());
        OptionalInt elsewhere = BenchLauncher.fromLauncherRoot().onBackend(training.backend, null,
                spec.root().commandLine().getParseResult().originalArgs(), spec.commandLine().getErr());
        if (elsewhere.isPresent()) {
            return elsewhere.getAsInt();
        }
        DataProvider data = training.dataDir.provider();
        DataChoice choice = dataset == null ? suite.defaultData() : choose(dataset, scale, data);
        SuitePlan plan = suite.plan(new SuiteOptions(quick, scale, choice,
                input == null ? null : InputShape.parse(input)));
        DataParallel workers = training.workers.dataParallel(training.backend,
                plan.runs().stream().map(run -> run.config().batchSize()).toList());
        List<RunSpec> runs = plan.runs().stream().map(run -> run.withConfig(cut(run.config())
                .withLayers(training.implementation.impl).withDataParallel(workers))).toList();
        Path dir = results != null ? results : Path.of("results", suite.name()
                + (choice.equals(suite.defaultData()) ? "" : "-" + choice.name())
                + (scale == Scale.MINI ? "" : "-" + scale) + (quick ? "-quick" : "")
                + (limit == null ? "" : "-limit" + limit) + (testLimit == null ? "" : "-test" + testLimit));
        if (estimateOnly) {
            return printEstimate(suite, plan, runs, dir, data, out);
        }
        // Spark starts, and its executors show they can write, before the results directory is touched.
        try (RunExecutor executor = sparkMaster == null ? new LocalRunExecutor(ModelRegistry::get, data)
                : SparkRunExecutors.load(new SparkRunExecutors.Options(sparkMaster, taskCpus, sparkResults,
                training.dataDir.dataDir, dir.toAbsolutePath().normalize()))) {
            ResultsStore store = ResultsStore.openForWriting(dir);
            ResultsLock.take(store.dir());
            return runSuite(suite, plan, runs, data, store, executor, out, table, calledAt);
        }
    }

    /** The recipe and the expected duration of the runs not yet finished in {@code dir}; nothing is written. */
    private int printEstimate(Suite suite, SuitePlan plan, List<RunSpec> runs, Path dir, DataProvider data,
                              PrintWriter out) {
        out.println("== " + suite.name() + (quick ? " (quick)" : "") + ": " + suite.description());
        out.println("Recipe: " + plan.recipe());
        plan.notes().forEach(n -> out.println("Note: " + n));
        ResultsStore earlier = Files.isDirectory(dir.resolve("runs")) ? ResultsStore.openForReading(dir) : null;
        List<RunSpec> left = earlier == null ? runs
                : runs.stream().filter(r -> !earlier.isFinished(r.runId())).toList();
        if (left.size() < runs.size()) {
            out.printf(Locale.ROOT, "%d of %d runs already finished in %s%n", runs.size() - left.size(), runs.size(),
                    dir);
        }
        out.print(SuiteEstimate.describe(left, ModelRegistry::get, data,
                id -> earlier == null ? 0 : Trainer.epochsCheckpointed(earlier.runDir(id))));
        out.flush();
        return 0;
    }

    private int runSuite(Suite suite, SuitePlan plan, List<RunSpec> runs, DataProvider data, ResultsStore store,
                         RunExecutor executor, PrintWriter out, PrintWriter table, long calledAt) {
        out.println("== " + suite.name() + (quick ? " (quick)" : "") + ": " + suite.description());
        out.println("Recipe: " + plan.recipe());
        plan.notes().forEach(n -> out.println("Note: " + n));
        if (limit != null || testLimit != null) {
            out.println("Note: every run cut to at most " + (limit == null ? "the recipe's" : limit) + " training and "
                    + (testLimit == null ? "the recipe's" : testLimit) + " test examples (--limit, --test-limit)");
        }
        SuiteInfo info = new SuiteInfo(suite.name(), quick, plan.recipe(), plan.notes(),
                SuiteInfo.earlierSessions(store.suiteInfo(), suite.name(), quick));
        store.writeSuiteInfo(info);
        int left = (int) runs.stream().filter(r -> !store.isFinished(r.runId())).count();
        // The estimate calibrates steps in this JVM: it says nothing of a cluster's executors.
        SuiteRunner.Expected expectation = sparkMaster == null
                ? SuiteRunner.expected(store, runs, ModelRegistry::get, data) : null;
        double expected = expectation == null ? 0 : expectation.mostSeconds(expectation.most().keySet());
        out.println(left == 0 ? "All " + runs.size() + " runs already finished in " + store.dir()
                + "; rebuilding the report."
                : sparkMaster != null ? "Training " + left + " runs on Spark (" + sparkMaster + "), one task each"
                // The calibration steps are one worker's: data-parallel workers may be faster (on several GPUs) or not.
                : String.format(Locale.ROOT, "Expected duration: about %s for %d runs (calibrated on this machine%s)",
                SuiteRunner.duration(expected), left, runs.get(0).config().workers() > 1 ? " with one worker" : ""));
        long start = System.nanoTime();
        String startedAt = Instant.now().toString();
        SuiteRunner runner = new SuiteRunner(store, executor, out);
        List<RunRecord> records;
        // The sitting counts from the command's start: the calibration above is part of it.
        SuiteRunner.Sitting thisSitting = sitting == null ? null : new SuiteRunner.Sitting(
                sitting.minusNanos(System.nanoTime() - calledAt), expectation.earliest());
        try (LiveStats live = training.liveStats.start(spec.commandLine().getErr())) {
            records = runner.run(runs, thisSitting);
        }
        Map<String, String> failures = runner.failures();
        if (records.isEmpty() && !failures.isEmpty()) {
            throw new UserInputException(failedRuns(failures, runs.size()));
        }
        List<String> later = runner.leftForLater();
        int trained = left - later.size();
        if (trained == 0 && !later.isEmpty()) {
            String shortest = later.stream().min(Comparator.comparing(expectation.earliest()::get))
                    .orElseThrow();
            throw new UserInputException(String.format(Locale.ROOT, "no run fits in a sitting of %s: the shortest "
                    + "left, %s, is expected to take %s to its earliest stop (the calibration took %s of the "
                    + "sitting)", SuiteRunner.duration(sitting.toSeconds()), shortest,
                    SuiteRunner.duration(expectation.earliest().get(shortest)),
                    SuiteRunner.duration((start - calledAt) / 1e9)));
        }
        boolean estimated = trained > 0 && sparkMaster == null;
        double expectedTrained = !estimated ? 0 : expectation.mostSeconds(
                expectation.most().keySet().stream().filter(id -> !later.contains(id)).toList());
        SuiteInfo.Session session = new SuiteInfo.Session(startedAt, trained, expectedTrained,
                (System.nanoTime() - start) / 1e9);
        if (estimated) {
            store.writeSuiteInfo(info.withSession(session));
        }
        out.println();
        // With no finished run the suite has nothing to compare; the generic table still marks the diverged runs.
        boolean noneFinished = records.stream().allMatch(RunRecord::diverged);
        Report report = noneFinished ? ResultsReport.report(store, records) : suite.report(store, store.records());
        report.writeTo(store);
        table.print(report.markdown());
        table.flush();
        HtmlReport.forResults(store, report.markdown());
        out.printf("%nSuite time %s%s. Results: %s (report.html, results.csv, results.jsonl, results.md, runs/, "
                        + "plots/)%n", SuiteRunner.duration((System.nanoTime() - start) / 1e9),
                !estimated ? "" : " (estimated " + SuiteRunner.duration(expectedTrained) + " beforehand: "
                        + session.describeError() + ", kept in suite.json)", store.dir());
        if (!later.isEmpty()) {
            out.printf(Locale.ROOT, "%d run%s left for a later sitting: rerun the same command to train %s%n",
                    later.size(), later.size() == 1 ? "" : "s", later.size() == 1 ? "it" : "them");
        }
        out.flush();
        if (noneFinished) {
            throw new UserInputException(ResultsReport.allDiverged(store, records));
        }
        if (!failures.isEmpty()) {
            throw new UserInputException(failedRuns(failures, runs.size()));
        }
        return 0;
    }

    private void checkSparkOptions() {
        if (sparkMaster == null && (taskCpus != null || sparkResults != null)) {
            throw new UserInputException((taskCpus != null ? "--task-cpus" : "--spark-results")
                    + " applies to runs on Spark only: add --spark MASTER, or leave it out");
        }
        if (taskCpus != null && taskCpus < 1) {
            throw new UserInputException("--task-cpus must be at least 1, got " + taskCpus);
        }
        if (sparkMaster != null && training.liveStats.requested()) {
            throw new UserInputException("--ui and --stats watch training in this JVM; with --spark the runs train on "
                    + "the executors (Spark's own web UI shows their tasks): leave them out");
        }
        if (sparkMaster != null && sitting != null) {
            throw new UserInputException("--sitting plans by a calibration in this JVM, which says nothing of a "
                    + "cluster's executors: leave it out with --spark");
        }
        if (sparkMaster != null && training.backend != Backend.CPU) {
            throw new UserInputException("--spark trains on the executors' backend, the cluster jar's cpu build: "
                    + "leave out --backend " + training.backend);
        }
    }

    private void checkLimits() {
        if (limit != null && limit < 1) {
            throw new UserInputException("--limit must be at least 1 (leave it out for the recipe's training "
                    + "examples), got " + limit);
        }
        if (testLimit != null && testLimit < 1) {
            throw new UserInputException("--test-limit must be at least 1 (leave it out for the recipe's test "
                    + "examples), got " + testLimit);
        }
    }

    /** The run with at most --limit training and --test-limit test examples (a recipe's 0 means all). */
    private RunConfig cut(RunConfig config) {
        return config.withBudget(config.epochs(), atMost(config.trainLimit(), limit),
                atMost(config.testLimit(), testLimit));
    }

    private static int atMost(int recipeLimit, Integer cap) {
        return cap == null ? recipeLimit : recipeLimit == 0 ? cap : Math.min(recipeLimit, cap);
    }

    private static String failedRuns(Map<String, String> failures, int runs) {
        Map.Entry<String, String> first = failures.entrySet().iterator().next();
        return failures.size() + " of " + runs + " runs failed on Spark (" + first.getKey() + ": " + first.getValue()
                + (failures.size() > 1 ? "; the others' reasons are in their runs/RUN/" + ResultsStore.FAILURE : "")
                + "); rerun the same command to train them again";
    }

    /**
     * A data set's registered name, image shape and classes, read from its first training and test example; at
     * ImageNet scale an image folder's classes from its train/ and val/ listing (its images are cropped, whatever
     * their size, so it has no one shape).
     */
    static DataChoice choose(String name, Scale scale, DataProvider data) {
        String registered = Datasets.get(name).name();
        if (scale == Scale.IMAGENET && registered.equals(AlexNetAblationSuite.IMAGE_FOLDER)) {
            return new DataChoice(registered, null, data.imageFolder(0, 0).classes().size());
        }
        LoadedDataset first = data.dataset(name, 1, 1);
        return new DataChoice(registered, first.shape(), first.numClasses());
    }
}

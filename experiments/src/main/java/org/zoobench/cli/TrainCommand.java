package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.experiments.report.HtmlReport;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.DataParallel;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsLock;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.experiments.suites.SuiteRunner;
import org.zoobench.experiments.ui.LiveStats;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.Numbers;
import org.zoobench.zoo.profile.MemoryEstimate;
import org.zoobench.zoo.profile.ModelProfile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;

/** {@code zoobench train MODEL --dataset NAME ...}: train, evaluate and record one model (one or more seeds). */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train and evaluate one model on a data set; record accuracy with bootstrap intervals, "
                + "curves, throughput, memory and the machine under --results.")
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    TrainingOptions training;

    @Parameters(index = "0", paramLabel = "MODEL", description = "registered model name (see `zoobench models`)")
    String model;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "data set, e.g. fashion-mnist")
    String dataset;

    @Option(names = "--epochs", defaultValue = "5", description = "training epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", description = "minibatch size (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--updater", defaultValue = "adam", converter = Converters.UpdaterConverter.class,
            description = "adam, sgd or nesterovs (default ${DEFAULT-VALUE})")
    Updater updater;

    @Option(names = "--lr", description = "learning rate (default: 1e-3 for adam, 1e-2 for sgd and nesterovs)")
    Double learningRate;

    @Option(names = "--lr-schedule", defaultValue = "constant", paramLabel = "SCHEDULE",
            description = "constant, or linear: the rate falls linearly to 0 over the run's steps "
                    + "(default ${DEFAULT-VALUE})", converter = Converters.ScheduleConverter.class)
    LrSchedule lrSchedule;

    static final class Seeds {
        @Option(names = "--seed", description = "seed of the run (default 1)")
        Long seed;

        @Option(names = "--seeds", description = "run K seeds (1..K) and report mean ± std and a pooled interval")
        Integer count;
    }

    @ArgGroup(exclusive = true)
    Seeds seeds = new Seeds();

    @Option(names = "--input", paramLabel = "CxHxW", description = "input shape (default: the data set's own)")
    String input;

    @Option(names = "--resize", defaultValue = "bilinear", paramLabel = "MODE",
            description = "how images reach --input: bilinear, pad (zero border), or crop (an image folder's train/ "
                    + "and val/ streamed from disk: shorter side to 256/224 of --input, default 3x224x224, random "
                    + "crops and flips for training, centre crops for evaluation) (default ${DEFAULT-VALUE})",
            converter = Converters.ResizeConverter.class)
    ResizeMode resize;

    @Option(names = "--limit", paramLabel = "N",
            description = "train on a fixed seeded subset of N >= 1 training images (default: all)")
    Integer limit;

    @Option(names = "--test-limit", paramLabel = "N",
            description = "evaluate on a fixed seeded subset of N >= 1 test images (default: all)")
    Integer testLimit;

    @Option(names = "--target", defaultValue = "85", paramLabel = "TOP1",
            description = "test top-1 (%%, 0 to 100) whose time-to-reach is recorded (default ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--bootstrap", defaultValue = "" + Bootstrap.DEFAULT_SAMPLES, paramLabel = "B",
            description = "bootstrap resamples, at least 1000 (default ${DEFAULT-VALUE})")
    int bootstrap;

    @Option(names = "--init", paramLabel = "DIR",
            description = "start from the weights of the model saved in DIR (model.zip of `zoobench import` or of a "
                    + "run), the same architecture; the classifier starts afresh when the class count differs")
    Path init;

    @Option(names = "--results", defaultValue = "results/train", paramLabel = "DIR",
            description = "results directory (default ${DEFAULT-VALUE})")
    Path results;

    @Override
    public Integer call() {
        PrintWriter table = spec.commandLine().getOut();
        PrintWriter out = training.quiet.commentary(table);
        checkRanges();
        training.liveStats.check();
        ModelEntry entry = ModelRegistry.get(model);
        if (training.backend != BenchLauncher.runningBackend()) {
            // the driver's verdict before the data set loads; the batch's memory is checked once the shape is known
            BenchLauncher.checkBackendUsable(training.backend, null);
        }
        DataParallel workers = training.workers.dataParallel(training.backend, List.of(batch));
        DataProvider data = training.dataDir.provider();
        InputShape shape;
        int classes;
        int trainLimit = orAll(limit);
        int usedTestLimit = orAll(testLimit);
        int trainExamples;
        int testExamples;
        if (resize == ResizeMode.CROP) {
            // Crops stream an image folder from disk: it is listed, never loaded whole.
            DataProvider.requireImageFolder(dataset);
            classes = data.imageFolder(trainLimit, usedTestLimit).classes().size();
            shape = input == null ? DataProvider.CROP_INPUT : InputShape.parse(input);
            trainExamples = Integer.MAX_VALUE; // not counted up front; no cap on the batch
            testExamples = 0;
        } else {
            var loaded = data.dataset(dataset, trainLimit, usedTestLimit);
            trainLimit = usedLimit("--limit", limit, loaded.train().numExamples(), "training", out);
            usedTestLimit = usedLimit("--test-limit", testLimit, loaded.test().numExamples(), "test", out);
            classes = loaded.numClasses();
            shape = input == null ? loaded.shape() : InputShape.parse(input);
            trainExamples = loaded.train().numExamples();
            testExamples = loaded.test().numExamples();
        }
        double lr = learningRate == null ? updater.defaultLearningRate() : learningRate;
        long firstSeed = seeds.seed == null ? 1 : seeds.seed;
        int count = seeds.count == null ? 1 : seeds.count;
        // a step never holds more than every training image: the record says what a step really held
        int usedBatch = Math.min(batch, trainExamples);
        int recordedTrainLimit = trainLimit; // final copies for the lambda
        int recordedTestLimit = usedTestLimit;
        String initDir = init == null ? null : init.toAbsolutePath().normalize().toString();
        IntFunction<RunConfig> atBatch = b -> RunConfig.builder().model(entry.name()).dataset(dataset).input(shape)
                .resize(resize).classes(classes).epochs(epochs).batchSize(b).updater(updater).learningRate(lr)
                .seed(firstSeed).trainLimit(recordedTrainLimit).testLimit(recordedTestLimit).targetAccuracy(target)
                .bootstrapSamples(bootstrap).layers(training.implementation.impl).lrSchedule(lrSchedule)
                .dataParallel(workers).init(initDir).build();
        RunConfig asked = atBatch.apply(batch);
        // Fail on a shape the model cannot take, or a batch that cannot fit, before anything is written.
        ModelProfile profile = ModelProfile.of(entry, Trainer.modelOptions(asked));
        OptionalInt elsewhere = BenchLauncher.fromLauncherRoot().onBackend(training.backend,
                MemoryEstimate.demand(profile, workers == null ? usedBatch : workers.examplesPerWorker(usedBatch), true), spec.root().commandLine().getParseResult().originalArgs(),
                spec.commandLine().getErr());
        if (elsewhere.isPresent()) {
            return elsewhere.getAsInt();
        }
        Trainer.checkMemory(profile, asked, trainExamples);
        if (init != null) {
            // A saved model that does not fit fails here, before anything is written.
            Trainer.network(entry, asked);
        }
        if (usedBatch < batch) {
            out.printf(Locale.ROOT, "note: --batch %d is more than the %s training images of %s; using and recording "
                    + "%s%n", batch, Numbers.grouped(trainExamples), dataset, Numbers.grouped(trainExamples));
        }
        RunConfig base = atBatch.apply(usedBatch);
        data.forRun(base).close();
        List<RunSpec> runs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            runs.add(RunSpec.single(base.withSeed(firstSeed + i)));
        }
        ResultsStore.checkSpace(results, runs.stream().map(RunSpec::runId).toList(),
                ResultsStore.runBytes(profile.trainableParams(), testExamples));
        ResultsStore store = ResultsStore.openForWriting(results);
        ResultsLock.take(store.dir());

        List<RunRecord> trained;
        try (LiveStats live = training.liveStats.start(spec.commandLine().getErr())) {
            trained = new SuiteRunner(store, ModelRegistry::get, data, out).run(runs);
        }
        Report report = ResultsReport.report(store, store.records());
        report.writeTo(store);
        Path page = HtmlReport.forResults(store, report.markdown());
        out.println();
        out.println("Results in " + store.dir() + " (all runs there; " + page.getFileName() + " shows them):");
        out.flush();
        table.print(report.markdown());
        table.flush();
        if (trained.stream().allMatch(RunRecord::diverged)) {
            throw new UserInputException(ResultsReport.allDiverged(store, trained));
        }
        return 0;
    }

    /** A data limit as the data set loader takes it: 0 keeps every example. */
    private static int orAll(Integer limit) {
        return limit == null ? 0 : limit;
    }

    /**
     * The limit the run records: one above the data's size keeps every example, so the record says how many that
     * was rather than the number asked for.
     */
    private int usedLimit(String option, Integer asked, int available, String part, PrintWriter out) {
        if (asked == null || asked <= available) {
            return orAll(asked);
        }
        out.printf(Locale.ROOT, "note: %s %d is more than the %s %s images of %s; using and recording all %s%n",
                option, asked, Numbers.grouped(available), part, dataset, Numbers.grouped(available));
        return available;
    }

    private static final int MAX_BOOTSTRAP = 1_000_000;

    private void checkRanges() {
        if (epochs < 1) {
            throw new UserInputException("--epochs must be at least 1, got " + epochs);
        }
        if (batch < 1) {
            throw new UserInputException("--batch must be at least 1, got " + batch);
        }
        if (limit != null && limit < 1) {
            throw new UserInputException("--limit must be at least 1 (leave it out to train on every image), got "
                    + limit);
        }
        if (testLimit != null && testLimit < 1) {
            throw new UserInputException("--test-limit must be at least 1 (leave it out to test on every image), got "
                    + testLimit);
        }
        if (!(target >= 0 && target <= 100)) {
            throw new UserInputException("--target is a top-1 accuracy in percent, from 0 to 100, got "
                    + target);
        }
        if (seeds.count != null && seeds.count < 1) {
            throw new UserInputException("--seeds must be at least 1, got " + seeds.count);
        }
        if (bootstrap < 1000) {
            throw new UserInputException("--bootstrap needs at least 1000 resamples, got " + bootstrap);
        }
        // checked now: the resamples are drawn after training, where running out of memory would lose the run
        if (bootstrap > MAX_BOOTSTRAP) {
            throw new UserInputException("--bootstrap takes at most " + Numbers.grouped(MAX_BOOTSTRAP)
                    + " resamples (the interval's ends move by less than its rounding long before), got "
                    + Numbers.grouped(bootstrap));
        }
    }
}

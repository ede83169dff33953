package org.zoobench.experiments.runner;

import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.CrashReportingUtil;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.schedule.ISchedule;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.DataParallel;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.MachineInfo;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.RunSink;
import org.zoobench.zoo.GitCommit;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.UserInputException;
import org.zoobench.zoo.profile.MemoryEstimate;
import org.zoobench.layers.Fallbacks;
import org.zoobench.zoo.profile.ModelProfile;
import org.zoobench.zoo.weights.InitialWeights;
import org.zoobench.zoo.weights.SavedModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Trains one model on one data set with one config, evaluates it, and saves record, predictions and model.
 * A loss that becomes NaN or infinite stops the run; it is saved as diverged and the caller goes on.
 */
public final class Trainer {

    /** Training steps at the start excluded from the throughput figure (JIT, workspace allocation). */
    static final int WARM_UP_STEPS = 3;

    private final RunSink store;

    public Trainer(RunSink store) {
        this.store = store;
    }

    public static ModelOptions modelOptions(RunConfig config) {
        return ModelOptions.of(config.classes(), config.input())
                .withSeed(config.seed())
                .withUpdater(config.updater().create(config.learningRate()))
                .withImpl(config.layers());
    }

    /**
     * Fails with one line, before anything is allocated, when a training step at the config's batch (the whole
     * training set at most) would need more memory than this process can get.
     */
    public static void checkMemory(ModelProfile profile, RunConfig config, int trainSize) {
        int batch = stepBatch(config, trainSize);
        long need = stepBytes(profile, config, batch);
        long available = MemoryEstimate.availableBytes();
        if (need > available) {
            throw new UserInputException(String.format(Locale.ROOT, "batch %,d does not fit in memory: a training "
                            + "step of %s at batch %,d%s%s needs about %s and %s is available; %s", config.batchSize(),
                    config.model(), batch, batch < config.batchSize() ? " (all training images)" : "",
                    workersNote(config, batch), MemoryEstimate.gigabytes(need), MemoryEstimate.gigabytes(available),
                    smallerBatch(profile, config, batch)));
        }
    }

    /** A step's batch: the configured one, or the whole training set where that is smaller. */
    private static int stepBatch(RunConfig config, int trainSize) {
        return Math.min(config.batchSize(), trainSize);
    }

    /**
     * The memory of a training step at {@code batch}; with several workers, that of every replica training its part
     * of the batch, since all of them live in this process.
     */
    private static long stepBytes(ModelProfile profile, RunConfig config, int batch) {
        DataParallel workers = config.dataParallel();
        return workers == null ? MemoryEstimate.bytes(profile, batch, true)
                : workers.workers() * MemoryEstimate.bytes(profile, workers.examplesPerWorker(batch), true);
    }

    private static String workersNote(RunConfig config, int batch) {
        DataParallel workers = config.dataParallel();
        return workers == null ? "" : String.format(Locale.ROOT, " on %d workers (up to %,d examples each)",
                workers.workers(), workers.examplesPerWorker(batch));
    }

    /** What to do about a batch that does not fit: the largest power of two below it whose estimate fits. */
    private static String smallerBatch(ModelProfile profile, RunConfig config, int batch) {
        long available = MemoryEstimate.availableBytes();
        for (int b = Integer.highestOneBit(Math.max(1, batch - 1)); b >= config.workers(); b /= 2) {
            if (stepBytes(profile, config, b) <= available) {
                return "use a smaller --batch, e.g. " + b;
            }
        }
        return config.workers() == 1
                ? "not even batch 1 fits: give the JVM more memory (-Xmx in ZOOBENCH_JAVA_OPTS) or use a smaller model"
                : "not even one example per worker fits: use fewer --workers, give the JVM more memory (-Xmx in "
                + "ZOOBENCH_JAVA_OPTS) or use a smaller model";
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.lines().findFirst().orElse("").strip();
    }

    /** Where DL4J's memory report of the failed step is, if it wrote one. */
    private static String crashDump(Path runDir) {
        try (Stream<Path> files = Files.list(runDir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("dl4j-memory-crash-dump-")).findFirst()
                    .map(f -> "; DL4J's memory report: " + f).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The model of {@code config}, initialised (from a saved model's weights with {@code init}); with weight decay,
     * an L2 term on every layer's weights (not the biases), which the updater sees inside its momentum as in
     * Krizhevsky et al. (2012).
     */
    /** The epochs held by the checkpoint of the run whose folder is {@code runDir}: 0 if it has none. */
    public static int epochsCheckpointed(Path runDir) {
        return Checkpoint.read(runDir).map(s -> s.epochs().size()).orElse(0);
    }

    public static ComputationGraph network(ModelEntry entry, RunConfig config) {
        ComputationGraph net = freshNetwork(entry, config);
        if (config.init() == null) {
            return net;
        }
        return InitialWeights.copy(SavedModel.load(Path.of(config.init())).graph(), net, config.init());
    }

    private static ComputationGraph freshNetwork(ModelEntry entry, RunConfig config) {
        return entry.build(modelOptions(config), conf -> {
            if (config.weightDecay() > 0) {
                for (GraphVertex vertex : conf.getVertices().values()) {
                    if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BaseLayer base) {
                        base.setRegularization(List.of(new L2Regularization(config.weightDecay())));
                    }
                }
            }
        });
    }

    /** The run's learning-rate schedule over its steps, or null where the rate is constant or follows a plateau. */
    static ISchedule schedule(RunConfig config, int batchesPerEpoch) {
        LrSchedule schedule = config.lrSchedule();
        return switch (schedule.shape()) {
            case CONSTANT -> null;
            case LINEAR -> new LinearDecay(config.learningRate(), batchesPerEpoch * config.epochs());
            case STEP -> new StepDecay(config.learningRate(), batchesPerEpoch,
                    schedule.divisionEpochs().stream().mapToInt(Integer::intValue).toArray());
        };
    }

    private static Bootstrap bootstrap(RunConfig config) {
        return new Bootstrap(config.bootstrapSamples(), Bootstrap.DEFAULT_CONFIDENCE, config.seed());
    }

    /** Top-1 of {@code net} on every training example, evaluated as the test set is. */
    private static Estimate trainingSetTop1(ComputationGraph net, RunData data, RunConfig config) {
        return Evaluation.of(net, data.trainingSet()).top1Estimate(bootstrap(config));
    }

    /**
     * The record of a run saved before its training-set top-1 was measured, with it measured now on its saved
     * model; the record as it was where that model is gone.
     */
    public static RunRecord withTrainingSetTop1(RunRecord record, ModelEntry entry, Path modelFile, RunData data) {
        if (!Files.isRegularFile(modelFile)) {
            return record;
        }
        ComputationGraph net = savedModel(modelFile, entry, record.config(), "it is kept to measure the run's training-set "
                + "top-1: move it away to leave that unmeasured");
        return record.withTrainingSetTop1(trainingSetTop1(net, data, record.config()));
    }

    /**
     * The model a run saved, set to the layer implementation the run trained with (the saved file is the same for
     * both). A damaged file, or one of another size than {@code config} describes (a model.zip copied over from
     * another run loads fine and fails only inside DL4J, with a message about layers), fails in one line ending
     * with {@code remedy}.
     */
    public static ComputationGraph savedModel(Path modelFile, ModelEntry entry, RunConfig config, String remedy) {
        ComputationGraph net = SavedModel.restore(modelFile, remedy);
        ComputationGraphConfiguration expected = entry.configuration(modelOptions(config));
        long expectedParams = expected.getVertices().values().stream().mapToLong(v -> v.numParams(true)).sum();
        if (net.numParams() != expectedParams) {
            throw new UserInputException(String.format(Locale.ROOT, "%s holds a network of %,d parameters, but its "
                            + "%s describes %s at %s with %d classes (%,d parameters): it was replaced by another "
                            + "model; %s", modelFile, net.numParams(), ResultsStore.RECORD, config.model(),
                    config.input(), config.classes(), expectedParams, remedy));
        }
        config.layers().apply(net);
        return net;
    }

    public RunRecord run(RunSpec spec, ModelEntry entry, RunData data, String progressLabel) {
        RunConfig config = spec.config();
        String startedAt = Instant.now().toString();
        long wallStart = System.nanoTime();
        ModelOptions options = modelOptions(config);
        ModelProfile profile = ModelProfile.of(entry, options);
        checkMemory(profile, config, data.trainSize());
        // DL4J writes a memory report when a step runs out of memory; by default into the working directory.
        Path runDir = store.runDir(spec.runId());
        CrashReportingUtil.crashDumpOutputDirectory(runDir.toFile());

        Nd4j.getRandom().setSeed(config.seed());
        ComputationGraph net = network(entry, config);
        net.addListeners(RunListeners.forRun(spec.runId()));
        Nd4j.getRandom().setSeed(config.seed());
        Plateau plateau = new Plateau(config.learningRate(), config.lrPatience());
        int batchesPerEpoch = (data.trainSize() + config.batchSize() - 1) / config.batchSize();
        ISchedule decay = schedule(config, batchesPerEpoch);
        if (decay != null) {
            net.setLearningRate(decay);
        }
        StoppingRule stopping = config.stopWithin() > 0
                ? new StoppingRule(config.stopWithin(), config.lastDivisionEpoch()) : null;
        Integer convergedAt = null;
        // Under a time budget the batches run on across epochs, and each "epoch" is a round of equal time.
        DataSetIterator trainBatches = config.trainSeconds() > 0
                ? new TimedBatches(data.trainBatches(), config.trainSeconds(), config.epochs(), System::nanoTime)
                : data.trainBatches();

        long fallbacksBefore = Fallbacks.count();
        MemoryMonitor memory = new MemoryMonitor();
        RunTally tally = new RunTally(config.targetAccuracy());
        ProgressBar bar = Progress.bar(progressLabel, config.trainSeconds() > 0 ? Progress.UNKNOWN
                : (long) batchesPerEpoch * config.epochs(), "batch");
        StepMeter meter = new StepMeter(bar, memory, config.epochs());
        // A time budget's rounds are not worth resuming: only epoch recipes keep a checkpoint after every epoch.
        boolean checkpoints = config.trainSeconds() == 0;
        Optional<Checkpoint.State> resumed = checkpoints ? Checkpoint.read(runDir) : Optional.empty();
        int firstEpoch = 1;
        if (resumed.isPresent()) {
            Checkpoint.State s = resumed.get();
            tally.restore(s.epochs(), s.trainSeconds(), s.timeToTarget());
            meter.restore(s.steps());
            memory.restore(s.peakHeap(), s.peakOffHeap(), s.peakPhysical());
            plateau = new Plateau(s.plateauRate(), config.lrPatience(), s.plateauBest(), s.plateauSince());
            if (decay == null && plateau.rate() != config.learningRate()) {
                net.setLearningRate(plateau.rate());
            }
            Checkpoint.restoreNetwork(runDir, net);
            startedAt = s.startedAt();
            wallStart -= (long) (s.wallSeconds() * 1e9);
            fallbacksBefore -= s.fallbacks();
            firstEpoch = s.epochs().size() + 1;
            // Each epoch's order (and crops) follow from the seed and the epoch's number: skip the finished ones.
            for (int e = 1; e < firstEpoch; e++) {
                trainBatches.reset();
            }
        }
        try (EpochFitter fitter = EpochFitter.of(net, config)) {
            for (int epoch = firstEpoch; epoch <= config.epochs(); epoch++) {
                trainBatches.reset();
                meter.startEpoch();
                long epochStart = System.nanoTime();
                fitter.fit(trainBatches, epoch, meter);
                tally.trained(System.nanoTime() - epochStart);
                if (meter.divergence() != null) {
                    tally.diverged(meter.divergence());
                    break;
                }
                Evaluation onTrain = Evaluation.of(net, data.trainSample());
                Evaluation onTest = Evaluation.of(net, data.test());
                if (!Double.isFinite(onTest.loss())) {
                    // The training loss can stay finite (clipped) while the weights have overflowed to NaN.
                    tally.diverged(String.format(Locale.ROOT, "test loss became %s at epoch %d", onTest.loss(), epoch));
                    break;
                }
                memory.sample();
                // The rate of the epoch's last step: the one it trained at, before any division after it.
                tally.epoch(epoch, meter.epochLoss(), onTrain, onTest,
                        decay != null ? decay.valueAt((int) meter.steps() - 1, epoch) : plateau.rate());
                if (plateau.afterEpoch(onTest.top1())) {
                    net.setLearningRate(plateau.rate());
                }
                if (stopping != null && (convergedAt = stopping.convergedAt(tally.epochs())) != null) {
                    break;
                }
                if (checkpoints && epoch < config.epochs()) {
                    Checkpoint.save(runDir, net, new Checkpoint.State(tally.epochs(), tally.trainSeconds(),
                            tally.timeToTarget(), plateau.rate(), plateau.best(), plateau.since(), meter.counts(),
                            memory.peakHeap(), memory.peakOffHeap(), memory.peakPhysical(),
                            (System.nanoTime() - wallStart) / 1e9, Fallbacks.count() - fallbacksBefore, startedAt));
                }
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            if (!MemoryEstimate.isOutOfMemory(e)) {
                throw e;
            }
            int batch = stepBatch(config, data.trainSize());
            throw new UserInputException(String.format(Locale.ROOT, "%s ran out of memory at batch %,d%s (%s; the "
                            + "estimate was %s of %s available)%s; %s", config.model(), batch,
                    workersNote(config, batch), oneLine(e), MemoryEstimate.gigabytes(stepBytes(profile, config, batch)),
                    MemoryEstimate.gigabytes(MemoryEstimate.availableBytes()), crashDump(runDir),
                    smallerBatch(profile, config, batch)), e);
        } finally {
            Progress.close(bar);
        }
        double trainThroughput = meter.samplesPerSec(config.batchSize(), data.trainSize() * (long) config.epochs());
        Evaluation finalTest = tally.finalTest();
        Estimate top1 = null;
        Estimate top5 = null;
        Estimate trainingSetTop1 = null;
        if (finalTest != null) {
            Bootstrap bootstrap = bootstrap(config);
            top1 = finalTest.top1Estimate(bootstrap);
            top5 = finalTest.top5Estimate(bootstrap);
            if (config.stopWithin() > 0 && !tally.hasDiverged()) {
                trainingSetTop1 = trainingSetTop1(net, data, config);
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        RunRecord record = RunRecord.builder().runId(spec.runId()).suite(spec.suite()).group(spec.group())
                .config(config).status(tally.hasDiverged() ? RunRecord.DIVERGED : RunRecord.FINISHED)
                .statusDetail(tally.divergence()).paramCount(profile.trainableParams())
                .publishedParamCount(spec.publishedParamCount()).macs(profile.macs()).top1(top1).top5(top5)
                .epochs(tally.epochs()).trainSamplesPerSec(trainThroughput)
                .inferSamplesPerSec(finalTest == null ? Double.NaN : finalTest.samplesPerSec())
                .dataLoadingShare(meter.loadingShare()).wallTimeSec(wall).trainTimeSec(tally.trainSeconds())
                .timeToTargetSec(tally.timeToTarget()).peakHeapBytes(memory.peakHeap())
                .peakOffHeapBytes(memory.peakOffHeap()).peakPhysicalBytes(memory.peakPhysical())
                .machine(MachineInfo.current()).gitCommit(GitCommit.atStart()).startedAt(startedAt)
                .finishedAt(Instant.now().toString()).layerFallbacks(Fallbacks.count() - fallbacksBefore)
                .convergedAtEpoch(convergedAt).trainingSetTop1(trainingSetTop1).build();
        store.save(record, finalTest == null ? null : finalTest.predictions(),
                finalTest == null ? null : file -> ModelSerializer.writeModel(net, file.toFile(), false));
        if (checkpoints) {
            Checkpoint.delete(runDir);
        }
        return record;
    }
}

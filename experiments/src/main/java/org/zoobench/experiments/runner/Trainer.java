package org.zoobench.experiments.runner;

import me.tongfei.progressbar.ProgressBar;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.MachineInfo;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.profile.ModelProfile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains one model on one data set with one config, evaluates it, and saves record, predictions and model.
 * A loss that becomes NaN or infinite stops the run; it is saved as diverged and the caller goes on.
 */
public final class Trainer {

    /** Training steps at the start excluded from the throughput figure (JIT, workspace allocation). */
    static final int WARM_UP_STEPS = 3;

    private final ResultsStore store;

    public Trainer(ResultsStore store) {
        this.store = store;
    }

    public static ModelOptions modelOptions(RunConfig config) {
        return ModelOptions.of(config.classes(), InputShape.parse(config.input()))
                .withSeed(config.seed())
                .withUpdater(Updaters.create(config.updater(), config.learningRate()));
    }

    /**
     * The model of {@code config}, initialised; with weight decay, an L2 term on every layer's weights (not the
     * biases), which the updater sees inside its momentum as in Krizhevsky et al. (2012).
     */
    public static ComputationGraph network(ModelEntry entry, RunConfig config) {
        ComputationGraphConfiguration conf = entry.configuration(modelOptions(config));
        if (config.weightDecay() > 0) {
            for (GraphVertex vertex : conf.getVertices().values()) {
                if (vertex instanceof LayerVertex layer && layer.getLayerConf().getLayer() instanceof BaseLayer base) {
                    base.setRegularization(List.of(new L2Regularization(config.weightDecay())));
                }
            }
        }
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    public RunRecord run(RunSpec spec, ModelEntry entry, RunData data, String progressLabel) {
        RunConfig config = spec.config();
        String startedAt = Instant.now().toString();
        long wallStart = System.nanoTime();
        ModelOptions options = modelOptions(config);
        ModelProfile profile = ModelProfile.of(entry, options);

        Nd4j.getRandom().setSeed(config.seed());
        ComputationGraph net = network(entry, config);
        Nd4j.getRandom().setSeed(config.seed());
        Plateau plateau = new Plateau(config.learningRate(), config.lrPatience());

        MemoryMonitor memory = new MemoryMonitor();
        List<EpochStats> epochs = new ArrayList<>();
        long steps = 0;
        long timedSamples = 0;
        long timedNanos = 0;
        long waitNanos = 0;
        long stepNanos = 0;
        double trainSeconds = 0;
        Double timeToTarget = null;
        String divergence = null;
        Evaluation finalTest = null;
        int batchesPerEpoch = (data.trainSize() + config.batchSize() - 1) / config.batchSize();
        ProgressBar bar = Progress.bar(progressLabel, (long) batchesPerEpoch * config.epochs(), "batch");
        try {
            for (int epoch = 1; epoch <= config.epochs() && divergence == null; epoch++) {
                DataSetIterator batches = data.trainBatches();
                batches.reset();
                double lossSum = 0;
                int lossCount = 0;
                long epochStart = System.nanoTime();
                while (true) {
                    long waitStart = System.nanoTime();
                    if (!batches.hasNext()) {
                        break;
                    }
                    DataSet batch = batches.next();
                    long fitStart = System.nanoTime();
                    net.fit(batch);
                    double loss = net.score();
                    long end = System.nanoTime();
                    memory.sample();
                    steps++;
                    waitNanos += fitStart - waitStart;
                    stepNanos += end - waitStart;
                    if (steps > WARM_UP_STEPS) {
                        timedSamples += batch.numExamples();
                        timedNanos += end - waitStart;
                    }
                    if (!Double.isFinite(loss)) {
                        divergence = String.format(Locale.ROOT, "loss became %s at epoch %d, step %d",
                                loss, epoch, steps);
                        break;
                    }
                    lossSum += loss;
                    lossCount++;
                    Progress.step(bar, String.format(Locale.ROOT, "epoch %d/%d loss %.3f", epoch,
                            config.epochs(), lossSum / lossCount));
                }
                trainSeconds += (System.nanoTime() - epochStart) / 1e9;
                if (divergence != null) {
                    break;
                }
                Evaluation onTrain = Evaluation.of(net, data.trainSample());
                Evaluation onTest = Evaluation.of(net, data.test());
                finalTest = onTest; // the last epoch's test pass is the final evaluation
                memory.sample();
                epochs.add(new EpochStats(epoch, lossSum / lossCount, onTrain.loss(), 100 * onTrain.top1(),
                        onTest.loss(), 100 * onTest.top1(), trainSeconds, plateau.rate()));
                if (plateau.afterEpoch(onTest.top1())) {
                    net.setLearningRate(plateau.rate());
                }
                if (timeToTarget == null && 100 * onTest.top1() >= config.targetAccuracy()) {
                    timeToTarget = trainSeconds;
                }
            }
        } finally {
            Progress.close(bar);
        }
        if (timedSamples == 0) {
            timedNanos = stepNanos;
            timedSamples = (long) Math.min(steps * config.batchSize(), data.trainSize() * (long) config.epochs());
        }
        double trainThroughput = timedNanos > 0 ? timedSamples / (timedNanos / 1e9) : Double.NaN;
        double loadingShare = stepNanos > 0 ? (double) waitNanos / stepNanos : Double.NaN;

        if (divergence != null) {
            finalTest = null;
        }
        Estimate top1 = null;
        Estimate top5 = null;
        if (finalTest != null) {
            Bootstrap bootstrap = new Bootstrap(config.bootstrapSamples(), Bootstrap.DEFAULT_CONFIDENCE, config.seed());
            top1 = finalTest.top1Estimate(bootstrap);
            top5 = finalTest.top5Estimate(bootstrap);
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;
        RunRecord record = new RunRecord(spec.runId(), spec.suite(), spec.group(), config,
                divergence == null ? RunRecord.FINISHED : RunRecord.DIVERGED, divergence,
                profile.trainableParams(), spec.imagenetParamCount(), profile.macs(), top1, top5, List.copyOf(epochs),
                trainThroughput, finalTest == null ? Double.NaN : finalTest.samplesPerSec(), loadingShare,
                wall, trainSeconds, timeToTarget, memory.peakHeap(), memory.peakOffHeap(), memory.peakPhysical(),
                MachineInfo.current(), GitCommit.current(), startedAt, Instant.now().toString());
        store.save(record, finalTest == null ? null : finalTest.predictions(),
                finalTest == null ? null : file -> ModelSerializer.writeModel(net, file.toFile(), false));
        return record;
    }
}

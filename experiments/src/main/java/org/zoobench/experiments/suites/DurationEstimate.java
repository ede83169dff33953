package org.zoobench.experiments.suites;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunData;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.zoo.ModelEntry;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Expected duration of the unfinished runs of a suite, from a short calibration on this machine: each distinct
 * model is timed on a few training steps of its real batches, and the per-image time is scaled to the run's
 * training images plus its evaluation passes (a forward pass costs well under half a training step). A run with
 * a time budget trains for exactly that long: only its evaluation passes are timed, on a few forward passes.
 */
final class DurationEstimate {

    /**
     * The first tens of steps run slower (JIT, workspaces and oneDNN sizing themselves), so a few warm-up steps
     * overestimate a suite by far; each suite's last line says how far its estimate was off. The median ignores a
     * late GC pause.
     */
    private static final int WARM_UP_STEPS = 25;
    private static final int TIMED_STEPS = 15;
    /**
     * Inference costs a fraction of a training step per image with fast layers (compare train_img_s and
     * infer_img_s in a suite's results.csv).
     */
    private static final double FORWARD_SHARE_OF_STEP = 0.3;
    /** Inference passes are few and cheap beside training: a short warm-up and a median of a few suffice. */
    private static final int FORWARD_WARM_UP = 3;
    private static final int FORWARD_TIMED = 5;

    private DurationEstimate() {
    }

    /** The expected seconds of each run, in order (every epoch of it, with a stopping rule its most). */
    static double[] perRun(List<RunSpec> runs, Function<String, ModelEntry> models, DataProvider data) {
        Map<String, Double> secondsPerImage = new HashMap<>();
        double[] seconds = new double[runs.size()];
        int i = 0;
        Map<String, Double> forwardSecondsPerImage = new HashMap<>();
        for (RunSpec run : runs) {
            RunConfig c = run.config();
            try (RunData d = data.forRun(c)) {
                // After every epoch the training sample and the test set; a run trained until converged once
                // more the whole training set.
                double evalImages = (double) (Math.min(d.trainSize(), RunData.TRAIN_SAMPLE) + d.testSize()) * c.epochs()
                        + (c.stopWithin() > 0 ? d.trainSize() : 0);
                if (c.trainSeconds() > 0) {
                    // The training time is the budget: only the evaluations need timing, on forward passes alone.
                    double perImage = forwardSecondsPerImage.computeIfAbsent(c.model() + "|" + c.input(),
                            k -> calibrateForward(models.apply(c.model()), c, d));
                    seconds[i++] = c.trainSeconds() + perImage * evalImages;
                    continue;
                }
                double perImage = secondsPerImage.computeIfAbsent(c.model() + "|" + c.batchSize() + "|" + c.input(),
                        k -> calibrate(models.apply(c.model()), c, d));
                double trainImages = (double) d.trainSize() * c.epochs();
                seconds[i++] = perImage * (trainImages + FORWARD_SHARE_OF_STEP * evalImages);
            }
        }
        return seconds;
    }

    /** Seconds per image of inference on a test batch, the median of a few passes after a warm-up. */
    private static double calibrateForward(ModelEntry entry, RunConfig config, RunData data) {
        ComputationGraph net = Trainer.network(entry, config);
        return medianSecondsPerImage(firstBatch(data.test(), "test", config), FORWARD_WARM_UP, FORWARD_TIMED,
                batch -> net.output(false, batch.getFeatures()));
    }

    private static double calibrate(ModelEntry entry, RunConfig config, RunData data) {
        ComputationGraph net = Trainer.network(entry, config);
        return medianSecondsPerImage(firstBatch(data.trainBatches(), "training", config), WARM_UP_STEPS,
                TIMED_STEPS, net::fit);
    }

    private static DataSet firstBatch(DataSetIterator batches, String split, RunConfig config) {
        batches.reset();
        if (!batches.hasNext()) {
            throw new IllegalStateException("no " + split + " batches for " + config.dataset());
        }
        return batches.next();
    }

    /** {@code pass} on {@code batch}: the median of {@code timed} passes after {@code warmUp}, per image. */
    private static double medianSecondsPerImage(DataSet batch, int warmUp, int timed, Consumer<DataSet> pass) {
        for (int i = 0; i < warmUp; i++) {
            pass.accept(batch);
        }
        double[] seconds = new double[timed];
        for (int i = 0; i < timed; i++) {
            long start = System.nanoTime();
            pass.accept(batch);
            seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        return seconds[timed / 2] / batch.numExamples();
    }
}

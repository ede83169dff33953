package org.zoobench.experiments.runner;

import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.data.ForwardingBatches;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.suites.SuiteRunner;

import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.layers.LayerImpl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The converged-run recipe's parts: step schedule, stopping rule and equal-time budget, alone and in a run. */
class ConvergedRecipeTrainingTest {

    private static RunConfig tiny(int epochs, LrSchedule schedule, double stopWithin, double trainSeconds) {
        RunConfig c = TinyRuns.config("tiny-cnn", 1);
        return RunConfig.builder().model(c.model()).dataset(c.dataset()).input(c.input()).resize(c.resize())
                .classes(c.classes()).epochs(epochs).batchSize(c.batchSize()).updater(Updater.NESTEROVS)
                .learningRate(0.1).seed(c.seed()).trainLimit(c.trainLimit()).testLimit(c.testLimit())
                .targetAccuracy(c.targetAccuracy()).bootstrapSamples(c.bootstrapSamples()).layers(c.layers())
                .lrSchedule(schedule).stopWithin(stopWithin).trainSeconds(trainSeconds).build();
    }

    private static RunRecord train(Path dir, RunConfig config) {
        try (RunData batches = TinyRuns.syntheticData().forRun(config)) {
            return new Trainer(ResultsStore.openForWriting(dir)).run(RunSpec.single(config),
                    TinyRuns.tinyCnn("tiny-cnn"), batches, "test");
        }
    }

    private static EpochStats epoch(int e, double testTop1) {
        return new EpochStats(e, 1, 1, 50, 1, testTop1, e, 0.1);
    }

    @Test
    void stepDecayDividesTheRateByTenAfterEachListedEpoch() {
        StepDecay decay = new StepDecay(0.1, 5, new int[]{2, 3});
        double[] expected = {0.1, 0.1, 0.01, 0.001, 0.001};
        for (int epoch = 0; epoch < expected.length; epoch++) {
            for (int step = 0; step < 5; step++) {
                assertEquals(expected[epoch], decay.valueAt(epoch * 5 + step, 0), 1e-15, "epoch " + (epoch + 1));
            }
        }
        assertEquals(0.001, decay.clone().valueAt(100, 0), 1e-15);
    }

    @Test
    void aStepScheduleIsWrittenReadAndWordedAsEpochs() {
        LrSchedule schedule = LrSchedule.steps(12, 18);
        assertEquals("step:12,18", schedule.id());
        assertEquals(schedule, LrSchedule.recorded("step:12,18"));
        RunConfig c = tiny(30, schedule, 0.3, 0);
        assertEquals(18, c.lastDivisionEpoch());
        assertEquals("÷10 after epochs 12 and 18", c.scheduleInWords());
        for (String bad : List.of("step:", "step:3,2", "step:0", "step:a", "cosine")) {
            assertThrows(IllegalArgumentException.class, () -> LrSchedule.recorded(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> tiny(4, schedule, 0, 60), "a time budget has no epochs");
        assertThrows(IllegalArgumentException.class, () -> tiny(4, LrSchedule.LINEAR, 0.3, 0));
    }

    @Test
    void theStoppingRuleWaitsForTheLastDivisionThenForTwoEpochsWithinTolerance() {
        StoppingRule rule = new StoppingRule(0.3, 2);
        // Epochs 1 and 2 are flat but before the last division; 3 -> 4 rises 1.0; 4 -> 5 within 0.3.
        List<EpochStats> epochs = new ArrayList<>(List.of(epoch(1, 80), epoch(2, 80.1), epoch(3, 88), epoch(4, 89)));
        assertNull(rule.convergedAt(epochs));
        epochs.add(epoch(5, 89.3));
        assertEquals(5, rule.convergedAt(epochs));
        assertEquals(2, new StoppingRule(0.3, 0).convergedAt(epochs), "no division: the first flat pair");
        assertNull(new StoppingRule(0.3, 0).convergedAt(List.of(epoch(1, 80))));
        assertNull(new StoppingRule(0.3, 0).convergedAt(List.of(epoch(1, 80), epoch(2, 80.31))));
    }

    @Test
    void timedBatchesEndEachRoundAtItsShareOfTheBudgetAndRunOnAcrossEpochs() {
        List<DataSet> three = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            three.add(new DataSet(Nd4j.create(new float[]{i}, 1, 1), Nd4j.create(new float[]{1}, 1, 1)));
        }
        AtomicLong now = new AtomicLong();
        // 10 s in 2 rounds; every batch takes 2 s of the fake clock.
        TimedBatches batches = new TimedBatches(new ListDataSetIterator<>(three, 1), 10, 2, now::get);
        List<Float> firstRound = new ArrayList<>();
        batches.reset();
        while (batches.hasNext()) {
            firstRound.add(batches.next().getFeatures().getFloat(0));
            now.addAndGet(2_000_000_000L);
        }
        assertEquals(List.of(0f, 1f, 2f), firstRound, "rounds end at 5 s: the step started at 4 s finishes");
        now.addAndGet(30_000_000_000L); // evaluation time between rounds is not training time
        List<Float> secondRound = new ArrayList<>();
        batches.reset();
        while (batches.hasNext()) {
            secondRound.add(batches.next().getFeatures().getFloat(0));
            now.addAndGet(2_000_000_000L);
        }
        assertEquals(List.of(0f, 1f), secondRound, "6 s spent, so 4 s more; the source starts its next epoch");
        batches.reset();
        assertTrue(!batches.hasNext(), "no third round of a budget in two");
    }

    @Test
    void aStepRunRecordsTheRateEachEpochTrainedAtAndStopsOnceConverged(@TempDir Path tmp) {
        // A 0.3-point tolerance on 200 test images: stops once the rate is small enough to change nothing.
        RunRecord r = train(tmp, tiny(12, LrSchedule.steps(2, 3), 100, 0));
        List<Double> rates = r.epochs().stream().map(EpochStats::learningRate).toList();
        assertEquals(List.of(0.1, 0.1, 0.01, 0.001, 0.001), rates.subList(0, 5).stream()
                .map(x -> Math.round(x * 1e6) / 1e6).toList());
        assertEquals(5, r.convergedAtEpoch(), "tolerance 100 points: epochs 4 and 5 are the first pair after 3");
        assertEquals(5, r.epochs().size(), "training stopped there");
    }

    @Test
    void aRunTrainedUntilConvergedRecordsItsTopOneOnEveryTrainingExample(@TempDir Path tmp) throws Exception {
        RunConfig config = tiny(12, LrSchedule.steps(2, 3), 100, 0);
        RunRecord r = train(tmp, config);
        ComputationGraph saved = ModelSerializer.restoreComputationGraph(
                ResultsStore.openForReading(tmp).modelFile(r.runId()).toFile(), false);
        config.layers().apply(saved);
        try (RunData batches = TinyRuns.syntheticData().forRun(config)) {
            Evaluation again = Evaluation.of(saved, batches.trainingSet());
            assertEquals(320, again.predictions().size(), "every training example, once");
            assertEquals(100 * again.top1(), r.trainingSetTop1().value(), 1e-9, "percent");
        }
        assertTrue(r.trainingSetTop1().low() <= r.trainingSetTop1().value()
                && r.trainingSetTop1().value() <= r.trainingSetTop1().high());
    }

    @Test
    void aConvergedRunSavedBeforeTheMeasurementGetsItOnItsSavedModelWhenItsSuiteRunsAgain(@TempDir Path tmp) {
        RunConfig config = tiny(12, LrSchedule.steps(2, 3), 100, 0);
        RunRecord trained = train(tmp, config);
        ResultsStore store = ResultsStore.openForWriting(tmp);
        store.saveRecord(trained.withTrainingSetTop1(null));
        assertTrue(store.find(trained.runId()).orElseThrow().lacksTrainingSetTop1());

        StringWriter log = new StringWriter();
        List<RunRecord> records = new SuiteRunner(store, name -> TinyRuns.tinyCnn(name), TinyRuns.syntheticData(),
                new PrintWriter(log, true)).run(List.of(RunSpec.single(config)));
        assertTrue(log.toString().startsWith("resuming: 1 of 1 runs already finished"), log.toString());
        assertTrue(log.toString().contains("measuring the training-set top-1 of 1 finished run saved before it was "
                + "recorded\n  " + trained.runId() + ": training-set top-1 "), log.toString());
        RunRecord measured = records.get(0);
        assertEquals(trained.trainingSetTop1(), measured.trainingSetTop1(), "the same model on the same examples");
        assertEquals(trained.epochs(), measured.epochs(), "not trained again");
        assertEquals(measured, store.find(trained.runId()).orElseThrow(), "saved");
    }

    @Test
    void withoutItsSavedModelARunStaysUnmeasured(@TempDir Path tmp) throws Exception {
        RunConfig config = tiny(12, LrSchedule.steps(2, 3), 100, 0);
        RunRecord trained = train(tmp, config);
        ResultsStore store = ResultsStore.openForWriting(tmp);
        store.saveRecord(trained.withTrainingSetTop1(null));
        Files.delete(store.modelFile(trained.runId()));
        StringWriter log = new StringWriter();
        List<RunRecord> records = new SuiteRunner(store, name -> TinyRuns.tinyCnn(name), TinyRuns.syntheticData(),
                new PrintWriter(log, true)).run(List.of(RunSpec.single(config)));
        assertFalse(log.toString().contains("measuring"), log.toString());
        assertNull(records.get(0).trainingSetTop1());
    }

    @Test
    void aDamagedSavedModelStopsTheMeasurementInOneLineAndLeavesTheRecord(@TempDir Path tmp) throws Exception {
        RunConfig config = tiny(12, LrSchedule.steps(2, 3), 100, 0);
        RunRecord trained = train(tmp, config);
        ResultsStore store = ResultsStore.openForWriting(tmp);
        RunRecord stripped = trained.withTrainingSetTop1(null);
        store.saveRecord(stripped);
        Path model = store.modelFile(trained.runId());
        Files.writeString(model, "not a zip");
        SuiteRunner runner = new SuiteRunner(store, name -> TinyRuns.tinyCnn(name), TinyRuns.syntheticData(),
                new PrintWriter(new StringWriter(), true));
        UserInputException e = assertThrows(UserInputException.class,
                () -> runner.run(List.of(RunSpec.single(config))));
        assertTrue(e.getMessage().startsWith("cannot load " + model + ": it is damaged or not a DL4J model ("),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("move it away to leave that unmeasured"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertEquals(stripped, store.find(trained.runId()).orElseThrow(), "the record as it was");
    }

    @Test
    void aRunWithoutTheRuleRecordsNoConvergence(@TempDir Path tmp) {
        RunRecord r = train(tmp, tiny(2, null, 0, 0));
        assertEquals(2, r.epochs().size());
        assertNull(r.convergedAtEpoch());
        assertNull(r.trainingSetTop1(), "measured for runs trained until converged only");
        assertFalse(r.lacksTrainingSetTop1());
    }

    @Test
    void aTimeBudgetTrainsForThatLongInEqualRoundsAcrossEpochs(@TempDir Path tmp) {
        RunConfig c = TinyRuns.config("tiny-cnn", 1);
        RunRecord r = train(tmp, RunConfig.builder().model(c.model()).dataset(c.dataset()).input(c.input())
                .resize(c.resize()).classes(c.classes()).epochs(3).batchSize(c.batchSize()).updater(c.updater())
                .learningRate(c.learningRate()).seed(c.seed()).trainLimit(c.trainLimit()).testLimit(c.testLimit())
                .targetAccuracy(c.targetAccuracy()).bootstrapSamples(c.bootstrapSamples()).layers(c.layers())
                .trainSeconds(1.5).build());
        assertEquals(3, r.epochs().size(), "one evaluation per round");
        for (int i = 0; i < 3; i++) {
            double share = 0.5 * (i + 1);
            double at = r.epochs().get(i).trainSeconds();
            // The round's clock starts at its reset, just before the run's own training clock.
            assertTrue(at >= share - 0.05 && at < share + 0.5, "round " + (i + 1) + " ended at " + at + " s");
        }
        // 320 training images at batch 32 take far less than a second (even on a loaded machine): the batches ran
        // on past the end of the first epoch.
        assertTrue(r.trainSamplesPerSec() * 1.5 > 320, "trained " + r.trainSamplesPerSec() + " img/s");
        // Time to accuracy: the training seconds at the first evaluation that reached the target.
        EpochStats first = r.epochs().stream().filter(e -> e.testAccuracy() >= c.targetAccuracy()).findFirst()
                .orElseThrow(() -> new AssertionError("never reached " + c.targetAccuracy() + "%: " + r.epochs()));
        assertEquals(first.trainSeconds(), r.timeToTargetSec(), 1e-9);
    }

    @Test
    void aRunWithCropsAndFlipsTrainsAndItsRecordReadsBackWithThem(@TempDir Path tmp) {
        // LeNet-5 on real images, as FashionMnistTrainingTest (about 70% without crops and flips): the synthetic
        // set's class signal is per pixel, which any shift destroys.
        RunConfig augmented = RunConfig.builder().model("lenet5").dataset("fashion-mnist")
                .input(InputShape.image(1, 28, 28)).resize(ResizeMode.BILINEAR).classes(10).epochs(2).batchSize(32)
                .updater(Updater.ADAM).learningRate(1e-3).seed(1).trainLimit(1_500).testLimit(500).targetAccuracy(70)
                .bootstrapSamples(1000).layers(LayerImpl.FAST).augmentation(Augmentation.CROPS_AND_FLIPS).build();
        RunRecord r;
        try (RunData batches = DataProvider.standard().forRun(augmented)) {
            r = new Trainer(ResultsStore.openForWriting(tmp)).run(RunSpec.single(augmented),
                    ModelRegistry.get("lenet5"), batches, "test");
        }
        assertTrue(r.top1().value() > 40, "10 classes: chance is 10%, got " + r.top1());
        RunRecord read = ResultsStore.openForReading(tmp).find(augmented.runId()).orElseThrow();
        assertEquals(augmented, read.config());
        RunConfig whole = RunConfig.builder().model("lenet5").dataset("fashion-mnist")
                .input(InputShape.image(1, 28, 28)).resize(ResizeMode.BILINEAR).classes(10).epochs(2).batchSize(32)
                .updater(Updater.ADAM).learningRate(1e-3).seed(1).trainLimit(1_500).testLimit(500).targetAccuracy(70)
                .bootstrapSamples(1000).layers(LayerImpl.FAST).build();
        assertTrue(!augmented.runId().equals(whole.runId()), "crops and flips are part of what a run computes");
        assertThrows(IllegalArgumentException.class, () -> RunConfig.builder().model("tiny-cnn")
                .dataset("image-folder").input(InputShape.image(3, 32, 32)).resize(ResizeMode.CROP).classes(10)
                .epochs(2).batchSize(32).updater(Updater.ADAM).learningRate(0.1).seed(1).trainLimit(0).testLimit(0)
                .targetAccuracy(50).bootstrapSamples(1000).layers(LayerImpl.FAST)
                .augmentation(Augmentation.CROPS_AND_FLIPS).build(), "ImageNet-style crops already crop");
    }

    /** The run's data, whose training batches fail at the start of epoch {@code failAt} (a killed sitting). */
    private static RunData failingAt(RunData data, int failAt) {
        DataSetIterator batches = data.trainBatches();
        DataSetIterator failing = new ForwardingBatches(batches, "test batches") {
            private int resets;

            @Override
            public boolean hasNext() {
                return source.hasNext();
            }

            @Override
            public DataSet next() {
                return source.next();
            }

            @Override
            public void reset() {
                if (++resets == failAt) {
                    throw new IllegalStateException("sitting over");
                }
                source.reset();
            }
        };
        return new RunData() {
            public int trainSize() {
                return data.trainSize();
            }

            public int testSize() {
                return data.testSize();
            }

            public DataSetIterator trainBatches() {
                return failing;
            }

            public DataSetIterator trainSample() {
                return data.trainSample();
            }

            public DataSetIterator test() {
                return data.test();
            }

            public DataSetIterator trainingSet() {
                return data.trainingSet();
            }

            public void close() {
                data.close();
            }
        };
    }

    @Test
    void aRunKilledAfterAnEpochResumesThereAndEndsAsIfUninterrupted(@TempDir Path tmp) throws Exception {
        RunConfig config = tiny(4, LrSchedule.steps(2), 0, 0);
        RunRecord whole = train(tmp.resolve("whole"), config);
        ResultsStore store = ResultsStore.openForWriting(tmp.resolve("resumed"));
        Path runDir = store.runDir(config.runId());
        try (RunData data = TinyRuns.syntheticData().forRun(config)) {
            assertThrows(IllegalStateException.class, () -> new Trainer(store).run(RunSpec.single(config),
                    TinyRuns.tinyCnn("tiny-cnn"), failingAt(data, 3), "test"));
        }
        assertTrue(Files.isRegularFile(runDir.resolve(Checkpoint.MODEL)), "kept after epoch 2");
        assertFalse(store.isFinished(config.runId()));
        RunRecord resumed;
        try (RunData data = TinyRuns.syntheticData().forRun(config)) {
            resumed = new Trainer(store).run(RunSpec.single(config), TinyRuns.tinyCnn("tiny-cnn"), data, "test");
        }
        assertEquals(curves(whole), curves(resumed), "the same parameters, updater state, rate and batches");
        assertEquals(whole.top1(), resumed.top1());
        assertEquals(List.of(0.1, 0.1, 0.01, 0.01), resumed.epochs().stream()
                .map(e -> Math.round(e.learningRate() * 1e6) / 1e6).toList());
        assertTrue(resumed.trainTimeSec() >= resumed.epochs().get(1).trainSeconds(), "the first sitting's time counts");
        assertFalse(Files.exists(runDir.resolve(Checkpoint.MODEL)) || Files.exists(runDir.resolve(Checkpoint.STATE)),
                "removed once the run is saved");
    }

    /** Everything of an epoch but its timing. */
    private static List<List<Double>> curves(RunRecord r) {
        return r.epochs().stream().map(e -> List.of(e.fitLoss(), e.trainLoss(), e.trainAccuracy(), e.testLoss(),
                e.testAccuracy())).toList();
    }
}

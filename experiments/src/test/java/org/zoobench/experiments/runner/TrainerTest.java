package org.zoobench.experiments.runner;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.UserInputException;
import org.zoobench.device.ThisMachine;
import org.zoobench.experiments.data.DataOptions;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.data.LoadedDataset;
import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.suites.SuiteRunner;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static final ModelEntry TINY = TinyRuns.tinyCnn("tiny-cnn");

    private static RunRecord train(Path dir, RunConfig config, DataProvider data) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        try (RunData batches = data.forRun(config)) {
            return new Trainer(store).run(RunSpec.single(config), TINY, batches, "test");
        }
    }

    /** Everything of an epoch but its timing. */
    private static List<List<Double>> curves(RunRecord r) {
        return r.epochs().stream().map(e -> List.of(e.fitLoss(), e.trainLoss(), e.trainAccuracy(), e.testLoss(),
                e.testAccuracy())).toList();
    }

    @Test
    void theNetworkRunsTheRecordedLayerImplementation() {
        for (LayerImpl impl : LayerImpl.values()) {
            RunConfig config = RunConfig.builder().model("tiny-cnn").dataset("synthetic")
                    .input(InputShape.image(1, 8, 8)).resize(ResizeMode.BILINEAR).classes(10).epochs(1).batchSize(32)
                    .updater(Updater.ADAM).learningRate(1e-2).seed(1).trainLimit(320).testLimit(200)
                    .targetAccuracy(50).bootstrapSamples(1000).layers(impl).weightDecay(5e-4).build();
            ComputationGraph net = Trainer.network(TINY, config);
            assertTrue(impl.runs(net), impl + " recorded, but the network's layers run another implementation");
        }
    }

    @Test
    void sameSeedTwiceGivesIdenticalAccuracyAndLossCurves(@TempDir Path tmp) {
        RunRecord a = train(tmp.resolve("a"), TinyRuns.config("tiny-cnn", 3), TinyRuns.syntheticData());
        RunRecord b = train(tmp.resolve("b"), TinyRuns.config("tiny-cnn", 3), TinyRuns.syntheticData());
        assertEquals(curves(a), curves(b));
        assertEquals(a.top1(), b.top1());
        assertEquals(a.top5(), b.top5());
        RunRecord other = train(tmp.resolve("c"), TinyRuns.config("tiny-cnn", 4), TinyRuns.syntheticData());
        assertNotEquals(curves(a), curves(other), "a different seed must give a different run");
    }

    @Test
    void recordsEverythingAboutARunAndSavesALoadableModel(@TempDir Path tmp) throws Exception {
        RunConfig config = TinyRuns.config("tiny-cnn", 1);
        RunRecord r = train(tmp, config, TinyRuns.syntheticData());
        assertEquals(RunRecord.FINISHED, r.status());
        assertEquals(config.epochs(), r.epochs().size());
        EpochStats first = r.epochs().get(0);
        EpochStats last = r.epochs().get(r.epochs().size() - 1);
        assertTrue(last.trainLoss() < first.trainLoss() || last.testAccuracy() > 50, "the tiny net must learn");
        assertTrue(r.top1().value() > 30, "synthetic classes are learnable: " + r.top1());
        assertTrue(r.top1().low() <= r.top1().value() && r.top1().value() <= r.top1().high());
        assertTrue(r.top5().value() >= r.top1().value());
        // conv 1*9*4+4 = 40, dense 4*8*8*16+16 = 4,112, output 16*10+10 = 170
        assertEquals(4322, r.paramCount());
        assertTrue(r.macs() > 0);
        assertTrue(r.trainSamplesPerSec() > 0 && r.inferSamplesPerSec() > 0);
        assertTrue(r.peakHeapBytes() > 0 && r.peakPhysicalBytes() > 0);
        assertTrue(r.wallTimeSec() >= r.trainTimeSec());
        assertNotNull(r.machine().backend());
        assertEquals(ThisMachine.cpuModel(), r.machine().device(), "the CPU trained it");
        assertTrue(r.machine().cores() > 0);
        assertNotNull(r.gitCommit());
        assertEquals(config, r.config());
        ResultsStore store = ResultsStore.openForReading(tmp);
        assertEquals(r, store.find(r.runId()).orElseThrow());
        assertEquals(config.testLimit(), store.predictions(r.runId()).size());
        ComputationGraph restored = ModelSerializer.restoreComputationGraph(store.modelFile(r.runId()).toFile(), false);
        try (RunData data = TinyRuns.syntheticData().forRun(config)) {
            Evaluation again = Evaluation.of(restored, data.test());
            assertEquals(r.top1().value(), 100 * again.top1(), 1e-9, "the saved model reproduces its accuracy");
        }
        assertEquals(2, Files.readAllLines(tmp.resolve(ResultsStore.CSV)).size(), "header and one row");
        assertEquals(1, Files.readAllLines(tmp.resolve(ResultsStore.JSONL)).size());
    }

    @Test
    void aRunWhoseLossBecomesNanIsMarkedDivergedAndTheSuiteGoesOn(@TempDir Path tmp) throws Exception {
        // "poisoned" is the synthetic set with one NaN pixel in every training image: the first loss is NaN.
        DataProvider data = new DataProvider((name, options) -> {
            LoadedDataset clean = Datasets.load("synthetic", options);
            if (!name.equals("poisoned")) {
                return clean;
            }
            DataSet train = clean.train().copy();
            train.getFeatures().putScalar(new long[]{0, 0, 0, 0}, Double.NaN);
            for (int i = 0; i < train.numExamples(); i++) {
                train.getFeatures().putScalar(new long[]{i, 0, 1, 1}, Double.NaN);
            }
            return new LoadedDataset("poisoned", train, clean.test(), clean.shape(), clean.classNames());
        }, DataOptions.defaults().withShape(TinyRuns.SHAPE));
        RunConfig good = TinyRuns.config("tiny-cnn", 1);
        RunConfig bad = RunConfig.builder().model("tiny-cnn").dataset("poisoned").input(good.input())
                .resize(ResizeMode.BILINEAR).classes(10).epochs(2).batchSize(32).updater(Updater.ADAM)
                .learningRate(1e-2).seed(1).trainLimit(320).testLimit(200).targetAccuracy(50).bootstrapSamples(1000)
                .layers(LayerImpl.FAST).build();
        ResultsStore store = ResultsStore.openForWriting(tmp);
        StringWriter log = new StringWriter();
        List<RunRecord> records = new SuiteRunner(store, name -> TINY, data, new PrintWriter(log, true))
                .run(List.of(RunSpec.single(bad), RunSpec.single(good)));
        RunRecord diverged = records.get(0);
        assertTrue(diverged.diverged());
        assertTrue(diverged.statusDetail().contains("NaN"), diverged.statusDetail());
        assertNull(diverged.top1());
        assertTrue(diverged.epochs().isEmpty());
        assertFalse(Files.exists(store.modelFile(diverged.runId())), "no model is saved for a diverged run");
        assertTrue(log.toString().contains("DIVERGED"));
        assertEquals(RunRecord.FINISHED, records.get(1).status(), "the suite went on after the divergence");
        String csv = Files.readString(tmp.resolve(ResultsStore.CSV), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(csv.contains(",diverged,"), csv);
    }

    @Test
    void runningOutOfMemoryInAStepIsOneLineNamingTheBatch(@TempDir Path tmp) {
        RunConfig config = TinyRuns.config("tiny-cnn", 1);
        ResultsStore store = ResultsStore.openForWriting(tmp);
        UserInputException e;
        try (RunData real = TinyRuns.syntheticData().forRun(config)) {
            RunData starved = new RunData() {
                public int trainSize() {
                    return real.trainSize();
                }

                public int testSize() {
                    return real.testSize();
                }

                public DataSetIterator trainBatches() {
                    return new ListDataSetIterator<>(List.of(), 32) {
                        @Override
                        public boolean hasNext() {
                            throw new OutOfMemoryError("Cannot allocate new FloatPointer(8192): totalBytes = 1G");
                        }
                    };
                }

                public DataSetIterator trainSample() {
                    return real.trainSample();
                }

                public DataSetIterator test() {
                    return real.test();
                }

                public DataSetIterator trainingSet() {
                    return real.trainingSet();
                }

                public void close() {
                }
            };
            e = assertThrows(UserInputException.class,
                    () -> new Trainer(store).run(RunSpec.single(config), TINY, starved, "test"));
        }
        assertTrue(e.getMessage().startsWith("tiny-cnn ran out of memory at batch 32 (Cannot allocate new "
                + "FloatPointer(8192): totalBytes = 1G; the estimate was "), e.getMessage());
        assertTrue(e.getMessage().contains("use a smaller --batch"), e.getMessage());
        assertTrue(store.records().isEmpty(), "nothing recorded");
    }
}

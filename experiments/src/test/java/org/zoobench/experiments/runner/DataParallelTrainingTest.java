package org.zoobench.experiments.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.experiments.results.DataParallel;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultRow;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.layers.LayerImpl;
import org.zoobench.parallel.ParallelTraining;
import org.zoobench.parallel.WorkerMode;
import org.zoobench.zoo.ModelEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training with ParallelWrapper's workers (--workers) on the CPU, against the same run on one worker. */
class DataParallelTrainingTest {

    private static final ModelEntry TINY = TinyRuns.tinyCnn("tiny-cnn");
    /** Relative difference allowed between the losses of one worker and two averaging workers: rounding only. */
    private static final double ROUNDING = 1e-5;

    private static RunRecord train(Path dir, RunConfig config) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        try (RunData batches = TinyRuns.syntheticData().forRun(config)) {
            return new Trainer(store).run(RunSpec.single(config), TINY, batches, "test");
        }
    }

    /**
     * Plain SGD with a linear decay: averaging the parameters after every step of workers that each took half the
     * batch is one step on the whole batch, so two workers should train as one does, up to rounding.
     */
    private static RunConfig sgd(int epochs, int trainLimit) {
        return RunConfig.builder().model("tiny-cnn").dataset("synthetic").input(TinyRuns.SHAPE)
                .resize(ResizeMode.BILINEAR).classes(10).epochs(epochs).batchSize(32).updater(Updater.SGD)
                .learningRate(0.1).seed(1).trainLimit(trainLimit).testLimit(200).targetAccuracy(50)
                .bootstrapSamples(1000).layers(LayerImpl.FAST).lrSchedule(LrSchedule.LINEAR).build();
    }

    private static List<List<Double>> curves(RunRecord r) {
        return r.epochs().stream().map(e -> List.of(e.fitLoss(), e.trainLoss(), e.testLoss(), e.testAccuracy()))
                .toList();
    }

    @Test
    void twoAveragingWorkersLearnAsOneWorkerDoesAndTheRecordSaysSo(@TempDir Path tmp) throws Exception {
        RunConfig one = sgd(2, 320);
        RunRecord single = train(tmp.resolve("one"), one);
        RunConfig config = one.withDataParallel(new DataParallel(2, WorkerMode.AVERAGING));
        RunRecord two = train(tmp.resolve("two"), config);

        assertEquals(RunRecord.FINISHED, two.status());
        assertTrue(two.top1().value() > 40, "10 classes: chance is 10%, got " + two.top1());
        // every worker starts each epoch from the same parameters, so the two runs are one up to rounding; a worker
        // that copied them after the first worker's first step had changed them trained several points apart
        for (int e = 0; e < one.epochs(); e++) {
            List<Double> a = curves(single).get(e);
            List<Double> b = curves(two).get(e);
            for (int i = 0; i < 3; i++) {
                assertEquals(a.get(i), b.get(i), ROUNDING * a.get(i), "epoch " + (e + 1) + ": " + a + " vs " + b);
            }
            assertEquals(a.get(3), b.get(3), "epoch " + (e + 1) + " test accuracy");
            assertEquals(single.epochs().get(e).learningRate(), two.epochs().get(e).learningRate(), 1e-12,
                    "the same steps, so the same decay");
        }
        assertTrue(two.trainSamplesPerSec() > 0);
        assertTrue(two.dataLoadingShare() >= 0 && two.dataLoadingShare() < 1, "share " + two.dataLoadingShare());

        assertEquals(config, two.config());
        assertNotEquals(single.runId(), two.runId(), "workers are part of what a run computes");
        String json = Files.readString(tmp.resolve("two/runs").resolve(two.runId()).resolve(ResultsStore.RECORD));
        assertTrue(json.contains("\"dataParallel\" : {\n      \"workers\" : 2,\n      \"mode\" : \"averaging\""), json);
        assertEquals(List.of("2", "averaging"), columns(tmp.resolve("two"), "workers", "worker_mode"));
        assertEquals(List.of("1", ""), columns(tmp.resolve("one"), "workers", "worker_mode"));
        assertTrue(Files.readString(tmp.resolve("two").resolve(ResultsStore.JSONL))
                .contains("\"workers\":2,\"worker_mode\":\"averaging\""));
    }

    /** The values of the named columns in the only row of a results folder's results.csv. */
    private static List<String> columns(Path results, String... names) throws Exception {
        List<String> lines = Files.readAllLines(results.resolve(ResultsStore.CSV));
        List<String> header = List.of(lines.get(0).split(","));
        List<String> row = List.of(lines.get(1).split(",", -1));
        return Arrays.stream(names).map(n -> row.get(header.indexOf(n))).toList();
    }

    @Test
    void averagingWorkersRepeatTheirRunUnderTheSameSeed(@TempDir Path tmp) {
        RunConfig config = sgd(1, 160).withDataParallel(new DataParallel(2, WorkerMode.AVERAGING));
        assertEquals(curves(train(tmp.resolve("a"), config)), curves(train(tmp.resolve("b"), config)));
    }

    @Test
    void gradientSharingWorkersLearn(@TempDir Path tmp) {
        // Sharing sends each step a thresholded fraction of every update (at most 1% of the parameters by DL4J's
        // default), so it needs more steps than averaging: Adam on 1,280 images twice.
        RunConfig config = RunConfig.builder().model("tiny-cnn").dataset("synthetic").input(TinyRuns.SHAPE)
                .resize(ResizeMode.BILINEAR).classes(10).epochs(2).batchSize(32).updater(Updater.ADAM)
                .learningRate(1e-2).seed(1).trainLimit(1280).testLimit(200).targetAccuracy(50).bootstrapSamples(1000)
                .layers(LayerImpl.FAST).build()
                .withDataParallel(new DataParallel(2, WorkerMode.SHARED_GRADIENTS));
        RunRecord r = train(tmp, config);
        assertTrue(r.top1().value() > 20, "10 classes: chance is 10%, got " + r.top1());
        assertEquals(WorkerMode.SHARED_GRADIENTS, r.config().dataParallel().mode());
    }

    @Test
    void aLossThatBlowsUpOnTheWorkersEndsTheRunAsDiverged(@TempDir Path tmp) {
        RunConfig config = RunConfig.builder().model("tiny-cnn").dataset("synthetic").input(TinyRuns.SHAPE)
                .resize(ResizeMode.BILINEAR).classes(10).epochs(2).batchSize(32).updater(Updater.SGD)
                .learningRate(1e6).seed(1).trainLimit(320).testLimit(200).targetAccuracy(50).bootstrapSamples(1000)
                .layers(LayerImpl.FAST).build().withDataParallel(new DataParallel(2, WorkerMode.AVERAGING));
        RunRecord r = train(tmp, config);
        assertTrue(r.diverged());
        assertTrue(r.statusDetail().startsWith("loss became"), r.statusDetail());
        assertNull(r.top1());
    }

    @Test
    void aRunOnOneWorkerKeepsItsRunId() throws Exception {
        // every committed run was recorded before --workers existed: its config must still hash to its folder's name
        try (Stream<Path> runs = Files.list(Path.of("results/alexnet-ablation-quick/runs"))) {
            for (Path run : runs.toList()) {
                RunRecord r = ResultsStore.readRecord(run.resolve(ResultsStore.RECORD));
                assertNull(r.config().dataParallel());
                assertEquals(run.getFileName().toString(), r.config().runId());
            }
        }
        assertFalse(ResultsStore.toJson(sgd(1, 160)).contains("dataParallel"));
    }

    @Test
    void aResultsCsvWithAnOlderHeaderIsRewrittenWithTheWorkersColumns(@TempDir Path tmp) throws Exception {
        train(tmp, sgd(1, 64));
        Path csv = tmp.resolve(ResultsStore.CSV);
        List<String> older = new ArrayList<>();
        int dropFrom = ResultRow.COLUMNS.indexOf("workers");
        for (String line : Files.readAllLines(csv)) {
            List<String> cells = new ArrayList<>(List.of(line.split(",", -1)));
            cells.subList(dropFrom, dropFrom + 2).clear();
            older.add(String.join(",", cells));
        }
        Files.write(csv, older);
        ResultsStore store = ResultsStore.openForWriting(tmp);
        store.reconcile();
        List<String> lines = Files.readAllLines(csv);
        assertEquals(String.join(",", ResultRow.COLUMNS), lines.get(0));
        assertEquals(2, lines.size(), "the run's row, rebuilt");
        assertEquals(List.of("1", ""), columns(tmp, "workers", "worker_mode"));
        assertEquals(1, store.repairs().size());
    }

    @Test
    void aBatchIsSplitAmongTheWorkersAlongItsExamples() {
        DataSet batch = new DataSet(Nd4j.arange(5 * 2 * 3).reshape(5, 2, 3), Nd4j.arange(5 * 4).reshape(5, 4),
                Nd4j.ones(5, 3), null);
        List<DataSet> parts = ParallelTraining.split(batch, 2);
        assertEquals(List.of(3, 2), parts.stream().map(DataSet::numExamples).toList());
        assertEquals(batch.getFeatures().slice(3), parts.get(1).getFeatures().slice(0));
        assertEquals(batch.getLabels().getRow(2), parts.get(0).getLabels().getRow(2));
        assertEquals(3, parts.get(0).getFeaturesMaskArray().rows());
        assertNull(parts.get(0).getLabelsMaskArray());
        DataSet two = new DataSet(batch.getFeatures().get(NDArrayIndex.interval(0, 2)), batch.getLabels().get(NDArrayIndex.interval(0, 2)));
        assertEquals(2, ParallelTraining.split(two, 4).size(), "never an empty part");
    }
}

package org.zoobench.cluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.Progress;
import org.zoobench.experiments.runner.RunExecutor;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.SparkRunExecutors.Options;
import org.zoobench.experiments.suites.SuiteRunner;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.layers.LayerImpl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Suites trained as tasks of Spark in local mode, through the same SuiteRunner as in one JVM. */
class SparkSuiteTest {

    static {
        System.setProperty(Progress.PROPERTY, "false");
    }

    /** LeNet-5 on 320 synthetic images, two epochs: a second or two. */
    private static RunSpec tiny(String model, long seed) {
        return new RunSpec("spark-test", model, RunConfig.builder().model(model).dataset("synthetic")
                .input(InputShape.image(1, 28, 28)).resize(ResizeMode.BILINEAR).classes(10).epochs(2).batchSize(32)
                .updater(Updater.ADAM).learningRate(1e-3).seed(seed).trainLimit(320).testLimit(200).targetAccuracy(50)
                .bootstrapSamples(1000).layers(LayerImpl.FAST).build(), 0);
    }

    private static final List<RunSpec> TWO_SEEDS = List.of(tiny("lenet5", 1), tiny("lenet5", 2));

    private static RunExecutor onSpark(String master, Path results) {
        return new SparkRunExecutorProvider().open(new Options(master, 1, null, null, results.toAbsolutePath()));
    }

    private static List<String> ids(List<RunRecord> records) {
        return records.stream().map(RunRecord::runId).toList();
    }

    /** Each epoch's figures but its time. */
    static List<List<Double>> curves(RunRecord record) {
        return record.epochs().stream().map((EpochStats e) -> List.of(e.fitLoss(), e.trainLoss(), e.trainAccuracy(),
                e.testLoss(), e.testAccuracy(), e.learningRate())).toList();
    }

    @Test
    void sameSeedsGiveTheSameNumbersInOneJvmAndOnSpark(@TempDir Path tmp) throws Exception {
        ResultsStore here = ResultsStore.openForWriting(tmp.resolve("here"));
        List<RunRecord> inOneJvm = new SuiteRunner(here, ModelRegistry::get, DataProvider.standard(),
                new PrintWriter(new StringWriter())).run(TWO_SEEDS);

        Path sparkResults = tmp.resolve("spark");
        StringWriter log = new StringWriter();
        List<RunRecord> onSpark;
        try (RunExecutor spark = onSpark("local[2]", sparkResults)) {
            onSpark = new SuiteRunner(ResultsStore.openForWriting(sparkResults), spark, new PrintWriter(log, true))
                    .run(TWO_SEEDS);
        }
        ResultsStore sparkStore = ResultsStore.openForReading(sparkResults);

        assertEquals(ids(inOneJvm), ids(onSpark));
        for (int i = 0; i < inOneJvm.size(); i++) {
            RunRecord one = inOneJvm.get(i);
            RunRecord spark = onSpark.get(i);
            assertEquals(one.top1(), spark.top1(), one.runId());
            assertEquals(curves(one), curves(spark), one.runId());
            assertArrayEquals(here.predictions(one.runId()).top1(), sparkStore.predictions(spark.runId()).top1());
            // In local mode the executors write models straight into the results directory.
            assertTrue(Files.isRegularFile(sparkStore.modelFile(spark.runId())), spark.runId());
        }
        assertTrue(inOneJvm.get(0).top1().value() != inOneJvm.get(1).top1().value()
                || !curves(inOneJvm.get(0)).equals(curves(inOneJvm.get(1))), "the two seeds train differently");
        assertTrue(log.toString().contains("[1/2] lenet5 seed 1: top-1 "), log.toString());
        assertEquals(1 + 2, Files.readAllLines(sparkResults.resolve(ResultsStore.CSV)).size());
    }

    @Test
    void aRunWhoseTaskKeepsFailingIsNotedTheOthersGoOnAndARerunTriesItAgain(@TempDir Path tmp) throws Exception {
        RunSpec broken = tiny("no-such-model", 1); // the executor cannot build it: its task fails every time
        List<RunSpec> suite = List.of(TWO_SEEDS.get(0), broken);
        ResultsStore store = ResultsStore.openForWriting(tmp);
        try (RunExecutor spark = onSpark("local[2,2]", tmp)) { // local mode with two attempts per task
            SuiteRunner first = new SuiteRunner(store, spark, new PrintWriter(new StringWriter()));
            assertEquals(List.of(TWO_SEEDS.get(0).runId()), ids(first.run(suite)));
            String reason = first.failures().get(broken.runId());
            assertTrue(reason.startsWith("its task failed 2 times, last with UserInputException: unknown model "
                    + "'no-such-model'"), reason);
            assertEquals(reason + "\n", Files.readString(store.runDir(broken.runId()).resolve(ResultsStore.FAILURE)));
            assertFalse(store.isFinished(broken.runId()));

            StringWriter log = new StringWriter();
            SuiteRunner rerun = new SuiteRunner(store, spark, new PrintWriter(log, true));
            rerun.run(suite);
            assertTrue(log.toString().contains("resuming: 1 of 2 runs already finished"), log.toString());
            assertEquals(Set.of(broken.runId()), rerun.failures().keySet(), "only the failed run is tried again");
        }
    }
}

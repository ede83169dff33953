package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BiRnnSuiteTest {

    static {
        System.setProperty("zoobench.progress", "false");
    }

    private final BiRnnSuite suite = new BiRnnSuite();

    @Test
    void quickPlanPairsEachBidirectionalNetWithItsCausalTwinUnderOneRecipe() {
        SuitePlan plan = suite.plan(true);
        Map<String, List<RunSpec>> byDataset = plan.runs().stream()
                .collect(Collectors.groupingBy(r -> r.config().dataset()));
        assertEquals(List.of("bilstm-tagger", "lstm-tagger"),
                byDataset.get("future-context").stream().map(r -> r.config().model()).toList());
        assertEquals(List.of("bilstm-max", "lstm-max"),
                byDataset.get("fashion-mnist-rows").stream().map(r -> r.config().model()).toList());
        for (List<RunSpec> pair : byDataset.values()) {
            RunConfig bi = pair.get(0).config();
            RunConfig causal = pair.get(1).config();
            assertEquals(RunConfig.builder().model(bi.model()).dataset(causal.dataset()).input(causal.input())
                    .resize(causal.resize()).classes(causal.classes()).epochs(causal.epochs())
                    .batchSize(causal.batchSize()).updater(causal.updater()).learningRate(causal.learningRate())
                    .seed(causal.seed()).trainLimit(causal.trainLimit()).testLimit(causal.testLimit())
                    .targetAccuracy(causal.targetAccuracy()).bootstrapSamples(causal.bootstrapSamples())
                    .layers(causal.layers()).build(), bi,
                    "twins differ only in the model");
            assertEquals(ModelRegistry.get(bi.model()).defaultInput(), bi.input());
        }
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("--quick cuts: future context: 4,000 instead "
                + "of 20,000 training")), plan.notes().toString());
        assertTrue(plan.notes().get(0).contains("cannot beat 29.7% per step"), plan.notes().get(0));
        assertEquals(2 * 2 * 2, suite.plan(false).runs().size(), "two pairs, two seeds in full");
    }

    /** Saves synthetic runs of every quick run: {@code correct} of 1000 test predictions right, per model. */
    private static void fabricate(ResultsStore store, Map<String, Integer> correct) {
        for (RunSpec spec : new BiRnnSuite().plan(true).runs()) {
            SyntheticRecords.save(store, spec, correct.get(spec.config().model()), 1000, 1000);
        }
    }

    @Test
    void verdictHoldsWhenTheBidirectionalTaggerIsClearlyAheadAndPastTheCausalCeiling(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        fabricate(store, Map.of("bilstm-tagger", 950, "lstm-tagger", 300, "bilstm-max", 800, "lstm-max", 800));
        String report = suite.report(store, store.records()).markdown();
        assertTrue(report.contains("| future context     | per-step top-1 | bilstm-tagger"), report);
        assertTrue(report.contains("+65.0 [+"), "Δ 95.0 - 30.0\n" + report);
        assertTrue(report.contains("bidirectional better with 95% confidence: HOLDS"), report);
        assertTrue(report.contains("interval entirely above it: HOLDS"), report);
        assertTrue(report.contains("- fashion-mnist rows, top-1: bidirectional 80.0 vs causal 80.0, Δ +0.0 [+0.0, "
                + "+0.0], smallest detectable ±0.0: no detectable effect (interval contains 0)"), report);
        assertTrue(report.contains("Verdict: bidirectional clearly beats causal on future context."), report);
        assertEquals(report, suite.report(ResultsStore.openForReading(dir), store.records()).markdown(),
                "rebuilt identically");
    }

    @Test
    void reportWithADamagedSuiteFileTakesTheSuiteFromTheRecords(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.openForWriting(dir);
        fabricate(store, Map.of("bilstm-tagger", 950, "lstm-tagger", 300, "bilstm-max", 800, "lstm-max", 800));
        String expected = suite.report(store, store.records()).markdown();
        Path suiteFile = dir.resolve(ResultsStore.SUITE);
        java.nio.file.Files.writeString(suiteFile, "{\"suite\": \"bir");
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cli = org.zoobench.cli.ZooBenchCli.commandLine();
        cli.setOut(new java.io.PrintWriter(out, true));
        assertEquals(0, cli.execute("report", dir.toString()));
        assertTrue(out.toString().startsWith("note: could not use " + suiteFile + " ("), out.toString());
        assertTrue(out.toString().contains("until then reports take the suite from the runs' records"), out.toString());
        assertTrue(out.toString().contains(expected), "the suite's own tables:\n" + out);
    }

    @Test
    void verdictFailsWhenTheBidirectionalTaggerDoesNotGetPastTheCausalCeiling(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        // Ahead of its twin, but no further than a causal net could get: not evidence of reading the future.
        fabricate(store, Map.of("bilstm-tagger", 310, "lstm-tagger", 240, "bilstm-max", 700, "lstm-max", 800));
        String report = suite.report(store, store.records()).markdown();
        assertTrue(report.contains("bidirectional better with 95% confidence: HOLDS"), report);
        assertTrue(report.contains("interval entirely above it: does NOT hold"), report);
        assertTrue(report.contains("causal better"), report);
        assertTrue(report.contains("Verdict: bidirectional does NOT clearly beat causal on future context."), report);
    }

    /** The suite's path for real, on a small future-context task: per-step scoring, no top-5, the verdict. */
    @Test
    void aSmallRealFutureContextRunShowsTheBidirectionalAdvantage(@TempDir Path dir) {
        Recipe small = Recipe.builder().trainLimit(800).testLimit(200).epochs(3).batch(32)
                .updater(Updater.ADAM).lr(2e-2).target(90).build();
        ResultsStore store = ResultsStore.openForWriting(dir);
        List<RunRecord> done = new SuiteRunner(store, ModelRegistry::get, DataProvider.standard(),
                new PrintWriter(new StringWriter())).run(BiRnnSuite.FUTURE_CONTEXT.runs(small));
        for (RunRecord r : done) {
            assertNull(r.top5(), "top-5 of 4 classes is not reported");
            assertEquals(200 * 16, store.predictions(r.runId()).size(), "one prediction per step");
        }
        String report = suite.report(store, store.records()).markdown();
        RunRecord bi = done.get(0);
        RunRecord causal = done.get(1);
        assertTrue(bi.top1().value() > 90, "bidirectional per-step accuracy " + bi.top1());
        assertTrue(causal.top1().value() < 40, "causal per-step accuracy " + causal.top1());
        assertNotNull(bi.timeToTargetSec());
        assertTrue(report.contains("Verdict: bidirectional clearly beats causal on future context."), report);
        assertTrue(report.contains("image rows: not both twins finished"), report);
        assertTrue(report.contains("|       — |"), "top-5 column blank\n" + report);
    }

    @Test
    void anotherDataSetIsReadRowByRowBesideTheFutureContextTask() {
        SuitePlan plan = suite.plan(SuiteOptions.of(true, new SuiteOptions.DataChoice("cifar10",
                InputShape.image(3, 32, 32), 10)));
        List<RunConfig> rows = plan.runs().stream().map(RunSpec::config)
                .filter(c -> !c.dataset().equals("future-context")).toList();
        assertEquals(List.of("bilstm-max", "lstm-max"), rows.stream().map(RunConfig::model).toList());
        assertTrue(rows.stream().allMatch(c -> c.dataset().equals("cifar10-rows")
                && c.input().equals(InputShape.sequence(96, 32)) && c.classes() == 10));
        assertTrue(plan.runs().stream().anyMatch(r -> r.group().equals("cifar10 rows: bilstm-max")));
        assertThrows(UserInputException.class, () -> suite.plan(new SuiteOptions(true, SuiteOptions.Scale.IMAGENET,
                SuiteOptions.DataChoice.FASHION_MNIST, null)));
    }

    @Test
    void aRowsDifferenceInsideItsIntervalIsNoDetectableEffectWithItsPower(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        Map<String, int[]> answers = Map.of("bilstm-tagger", new int[]{500, 0}, "lstm-tagger", new int[]{495, 200},
                "bilstm-max", new int[]{800, 0}, "lstm-max", new int[]{795, 150});
        for (RunSpec spec : suite.plan(true).runs()) {
            int[] a = answers.get(spec.config().model());
            SyntheticRecords.save(store, spec, a[0], 1000, a[1], 1000);
        }
        String report = suite.report(store, store.records()).markdown();
        assertTrue(report.contains("bidirectional better with 95% confidence: no detectable effect"), report);
        assertTrue(report.matches("(?s).*- fashion-mnist rows, top-1: bidirectional 80\\.0 vs causal 79\\.5, Δ \\+0\\.5 "
                + "\\[-[0-9.]+, \\+[0-9.]+\\], smallest detectable ±[0-9.]+: no detectable effect \\(interval contains 0\\).*"),
                report);
    }
}

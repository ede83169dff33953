package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunSpec;
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
            assertEquals(new RunConfig(bi.model(), causal.dataset(), causal.input(), causal.resize(), causal.classes(),
                    causal.epochs(), causal.batchSize(), causal.updater(), causal.learningRate(), causal.seed(),
                    causal.trainLimit(), causal.testLimit(), causal.targetAccuracy(), causal.bootstrapSamples(),
                    causal.layers()), bi,
                    "twins differ only in the model");
            assertEquals(ModelRegistry.get(bi.model()).defaultInput().toString(), bi.input());
        }
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("--quick cuts: future context: 4,000 instead "
                + "of 20,000 training")), plan.notes().toString());
        assertTrue(plan.notes().get(0).contains("cannot beat 29.7% per step"), plan.notes().get(0));
        assertEquals(BiRnnSuite.PAIRS.size() * 2 * 2, suite.plan(false).runs().size(), "two seeds in full");
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
        String report = suite.report(store, store.records());
        assertTrue(report.contains("| future context     | per-step top-1 | bilstm-tagger"), report);
        assertTrue(report.contains("+65.0 [+"), "Δ 95.0 - 30.0\n" + report);
        assertTrue(report.contains("bidirectional better with 95% confidence: HOLDS"), report);
        assertTrue(report.contains("interval entirely above it: HOLDS"), report);
        assertTrue(report.contains("bidirectional 80.0 vs causal 80.0, Δ +0.0 [+0.0, +0.0]: no clear difference "
                + "(interval contains 0)"), report);
        assertTrue(report.contains("Verdict: bidirectional clearly beats causal on future context."), report);
        assertEquals(report, suite.report(ResultsStore.openForReading(dir), store.records()), "rebuilt identically");
    }

    @Test
    void verdictFailsWhenTheBidirectionalTaggerDoesNotGetPastTheCausalCeiling(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        // Ahead of its twin, but no further than a causal net could get: not evidence of reading the future.
        fabricate(store, Map.of("bilstm-tagger", 310, "lstm-tagger", 240, "bilstm-max", 700, "lstm-max", 800));
        String report = suite.report(store, store.records());
        assertTrue(report.contains("bidirectional better with 95% confidence: HOLDS"), report);
        assertTrue(report.contains("interval entirely above it: does NOT hold"), report);
        assertTrue(report.contains("causal better"), report);
        assertTrue(report.contains("Verdict: bidirectional does NOT clearly beat causal on future context."), report);
    }

    /** The suite's path for real, on a small future-context task: per-step scoring, no top-5, the verdict. */
    @Test
    void aSmallRealFutureContextRunShowsTheBidirectionalAdvantage(@TempDir Path dir) {
        Recipe small = new Recipe(800, 200, 3, 32, 1, "adam", 2e-2, 90);
        ResultsStore store = ResultsStore.openForWriting(dir);
        List<RunRecord> done = new SuiteRunner(store, ModelRegistry::get, DataProvider.standard(),
                new PrintWriter(new StringWriter())).run(BiRnnSuite.runs(BiRnnSuite.FUTURE_CONTEXT, small));
        for (RunRecord r : done) {
            assertNull(r.top5(), "top-5 of 4 classes is not reported");
            assertEquals(200 * 16, store.predictions(r.runId()).size(), "one prediction per step");
        }
        String report = suite.report(store, store.records());
        RunRecord bi = done.get(0);
        RunRecord causal = done.get(1);
        assertTrue(bi.top1().value() > 90, "bidirectional per-step accuracy " + bi.top1());
        assertTrue(causal.top1().value() < 40, "causal per-step accuracy " + causal.top1());
        assertNotNull(bi.timeToTargetSec());
        assertTrue(report.contains("Verdict: bidirectional clearly beats causal on future context."), report);
        assertTrue(report.contains("fashion-mnist rows: not both twins finished"), report);
        assertTrue(report.contains("|       — |"), "top-5 column blank\n" + report);
    }
}

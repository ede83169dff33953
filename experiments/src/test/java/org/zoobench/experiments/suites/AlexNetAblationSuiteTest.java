package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.RunSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlexNetAblationSuiteTest {

    private final AlexNetAblationSuite suite = new AlexNetAblationSuite();

    @Test
    void quickPlanTrainsEveryTable3VariantWithOneRecipeAndSaysWhatItCut() {
        SuitePlan plan = suite.plan(true);
        assertEquals(AlexNetAblationSuite.VARIANTS.size() * AlexNetAblationSuite.QUICK.seeds(), plan.runs().size());
        assertEquals(1, plan.runs().stream().map(r -> r.config().withSeed(0).toString()
                .replaceAll("model=[^,]*", "")).distinct().count(), "one recipe for every variant");
        assertTrue(plan.runs().stream().allMatch(r -> r.config().model().startsWith("alexnet-mini")));
        assertTrue(String.join(" ", plan.notes()).contains("quarter") || String.join(" ", plan.notes())
                .contains("divided by 4"));
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("--quick cuts")));
        // Params at the ImageNet config are the torchvision totals of REFERENCE.md.
        Map<String, Long> imagenet = new java.util.HashMap<>();
        plan.runs().forEach(r -> imagenet.put(r.group(), r.imagenetParamCount()));
        assertEquals(61_100_840L, imagenet.get("full network"));
        assertEquals(44_319_528L, imagenet.get("remove fc7"));
        assertEquals(11_686_696L, imagenet.get("remove fc6, fc7"));
        assertEquals(59_404_456L, imagenet.get("remove conv3, conv4"));
        assertEquals(9_990_312L, imagenet.get("remove conv3, conv4, fc6, fc7"));
    }

    /** Saved runs whose test answers hit {@code correct} of 1000 examples (the first ones). */
    private static List<RunRecord> fabricate(ResultsStore store, Map<String, Integer> correctByLabel) {
        List<RunRecord> records = new ArrayList<>();
        int n = 1000;
        for (RunSpec spec : new AlexNetAblationSuite().plan(true).runs()) {
            int correct = correctByLabel.get(spec.group()) + (int) spec.config().seed(); // seeds differ a little
            records.add(SyntheticRecords.save(store, spec, correct, n, 1000 + correct));
        }
        return records;
    }

    @Test
    void reportsDeltasAgainstTheFullNetThePapersDeltasAndAVerdict(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.openForWriting(dir);
        fabricate(store, Map.of("full network", 800, "remove fc7", 798, "remove fc6, fc7", 760,
                "remove conv3, conv4", 750, "remove conv3, conv4, fc6, fc7", 500, "fc6, fc7 widened to 8192", 802,
                "fc6, fc7 narrowed to 2048", 795));
        String report = suite.report(store, store.records());
        assertTrue(report.contains("| remove fc7 (alexnet-mini-no-fc7)"), report);
        assertTrue(report.contains("-16,781,312"), "ImageNet Δparams of removing fc7 (REFERENCE §2)\n" + report);
        assertTrue(report.contains("-49,414,144"), "ImageNet Δparams of removing fc6+fc7\n" + report);
        assertTrue(report.contains("-30.0 [-"), "Δtop-1 of removing all four: 50.0 - 80.0\n" + report);
        assertTrue(report.contains("-30.8"), "the paper's Δ for removing all four: 40.5 - 71.3\n" + report);
        assertTrue(report.contains("removing fc7 barely matters: HOLDS"), report);
        assertTrue(report.contains("Verdict: the paper's ordering holds"), report);
        assertEquals(report, Files.readString(dir.resolve("results.md")));
        assertTrue(Files.exists(dir.resolve("plots").resolve("top1_bars.png")));
        assertEquals(report, suite.report(ResultsStore.openForReading(dir), store.records()),
                "the report is rebuilt identically");
    }

    @Test
    void saysSoWhenTheOrderingDoesNotHold(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        fabricate(store, Map.of("full network", 800, "remove fc7", 700, "remove fc6, fc7", 805,
                "remove conv3, conv4", 800, "remove conv3, conv4, fc6, fc7", 790, "fc6, fc7 widened to 8192", 800,
                "fc6, fc7 narrowed to 2048", 800));
        String report = suite.report(store, store.records());
        assertTrue(report.contains("removing fc7 barely matters: does NOT hold"), report);
        assertTrue(report.contains("Verdict: the paper's ordering does not hold"), report);
    }
}

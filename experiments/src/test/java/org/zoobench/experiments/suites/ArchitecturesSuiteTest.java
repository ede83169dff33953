package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.report.ResultsReport;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.ModelProfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitecturesSuiteTest {

    private final ArchitecturesSuite suite = new ArchitecturesSuite();

    /** What every net shares in --quick: training seconds, evaluations, examples, seed and target. */
    private static List<Object> budget(RunSpec r) {
        RunConfig c = r.config();
        return List.of(c.trainSeconds(), c.epochs(), c.trainLimit(), c.testLimit(), c.seed(), c.targetAccuracy(),
                c.stopWithin(), c.lrSchedule());
    }

    @Test
    void quickPlanGivesEveryNetTheSameTrainingSecondsAndSaysWhatItCannotShow() {
        SuitePlan plan = suite.plan(true);
        assertEquals(List.of("lenet5", "alexnet-mini", "googlenet", "resnet18", "densenet121", "bilstm-max"),
                plan.runs().stream().map(r -> r.config().model()).toList());
        assertEquals(Set.of(List.of(100.0, 4, 0, 2000, 1L, 85.0, 0.0, LrSchedule.CONSTANT)),
                plan.runs().stream().map(ArchitecturesSuiteTest::budget).collect(Collectors.toSet()),
                "the same seconds, evaluations, examples, seed and target for every net; no schedule");
        Map<String, String> datasets = plan.runs().stream()
                .collect(Collectors.toMap(r -> r.config().model(), r -> r.config().dataset()));
        assertEquals("fashion-mnist-rows", datasets.get("bilstm-max"), "the BiLSTM reads the same images as rows");
        assertEquals(Set.of("fashion-mnist"), datasets.entrySet().stream().filter(e -> !e.getKey().equals("bilstm-max"))
                .map(Map.Entry::getValue).collect(Collectors.toSet()));
        String quick = plan.notes().get(1);
        assertTrue(quick.startsWith("--quick cuts: 100 s of training per net instead of training until test top-1 "
                + "stops rising (at most 30 epochs)"), quick);
        assertTrue(quick.contains("2,000 instead of all test images, 1 seed instead of 2."), quick);
        assertTrue(quick.contains("What it cannot: the ranking at convergence"), quick);
        assertTrue(plan.recipe().contains("ResNet-18: all train / 2,000 test examples, 100 s of training per net "
                + "(evaluated every 25 s), batch 128, nesterovs lr 0.1, weight decay 1.0E-4, random crops of the image "
                + "padded by 4 pixels, horizontal flips, seeds 1..1"), plan.recipe());
        // The ImageNet nets' published sizes (docs/reference-facts.md §1), quoted beside the trained ones.
        Map<String, Long> published = plan.runs().stream()
                .collect(Collectors.toMap(r -> r.config().model(), RunSpec::publishedParamCount));
        assertEquals(6_998_552L, published.get("googlenet"));
        assertEquals(11_689_512L, published.get("resnet18"));
        assertEquals(7_978_856L, published.get("densenet121"));
        assertEquals(0L, published.get("lenet5"));
    }

    @Test
    void fullPlanTrainsEachFamilyWithItsRecipeUntilConvergedOnEveryExample() {
        SuitePlan plan = suite.plan(false);
        assertEquals(ArchitecturesSuite.CONTENDERS.size() * 2, plan.runs().size());
        assertTrue(plan.runs().stream().allMatch(r -> r.config().trainLimit() == 0 && r.config().testLimit() == 0
                && r.config().stopWithin() == 0.3 && r.config().targetAccuracy() == 90
                && r.config().trainSeconds() == 0));
        assertEquals(List.of(1L, 1L, 1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L, 2L, 2L),
                plan.runs().stream().map(r -> r.config().seed()).toList(), "every net's first seed first");
        Map<String, RunConfig> first = plan.runs().stream().filter(r -> r.config().seed() == 1)
                .collect(Collectors.toMap(r -> r.config().model(), RunSpec::config));
        RunConfig resnet = first.get("resnet18");
        assertEquals(List.of(Updater.NESTEROVS, 0.1, 1e-4, LrSchedule.steps(15, 22), Augmentation.CROPS_AND_FLIPS),
                List.of(resnet.updater(), resnet.learningRate(), resnet.weightDecay(), resnet.lrSchedule(),
                        resnet.augmentation()));
        assertNull(first.get("bilstm-max").augmentation(), "rows of pixels are not cropped");
        assertEquals(Updater.ADAM, first.get("lenet5").updater());
        assertFalse(plan.notes().stream().anyMatch(n -> n.startsWith("--quick")));
    }

    @Test
    void everyNetTakesItsInputWithTenClasses() {
        for (RunSpec r : suite.plan(false).runs()) {
            ModelProfile profile = ModelProfile.of(ModelRegistry.get(r.config().model()),
                    Trainer.modelOptions(r.config()));
            assertTrue(profile.trainableParams() > 0 && profile.macs() > 0, r.config().model());
        }
    }

    @Test
    void reportsTheTableAParamsVsAccuracyPlotAndWhoLeads(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.openForWriting(dir);
        int[] correct = {880, 900, 860, 870, 960, 850};
        List<RunSpec> runs = suite.plan(true).runs();
        for (int i = 0; i < runs.size(); i++) {
            SyntheticRecords.save(store, runs.get(i), correct[i], 1000, 1000L * (i + 1));
        }
        Report written = suite.report(store, store.records());
        written.writeTo(store);
        String report = written.markdown();
        assertTrue(report.contains("| DenseNet-121 (densenet121, 1x32x32)"), report);
        assertTrue(report.contains("96.0 ± 0.0"), report);
        assertTrue(report.contains("Ranking by top-1: densenet121 > alexnet-mini > lenet5 > resnet18 > googlenet "
                + "> bilstm-max."), report);
        assertTrue(report.contains("clearly ahead of AlexNet (alexnet-mini, 1x28x28)"), report);
        assertTrue(report.contains("At equal training time (100 s per net), not at convergence:\nRanking"), report);
        assertTrue(report.contains("- densenet121 > alexnet-mini: +6.0 ["), report);
        assertTrue(report.contains("- lenet5 > resnet18: +1.0 ["), report);
        assertTrue(report.contains("Stopping rule: not met by lenet5 seed 1 (100 s of training, no rule)"), report);
        assertTrue(Files.size(dir.resolve("plots").resolve("params_vs_top1.png")) > 0);
        assertEquals(report, Files.readString(dir.resolve("results.md")));
    }

    @Test
    void saysWhenTheLeaderIsNotClearlyAhead(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        List<RunSpec> runs = suite.plan(true).runs();
        for (int i = 0; i < runs.size(); i++) {
            SyntheticRecords.save(store, runs.get(i), 800 + i, 1000, 1000);
        }
        String ranking = ArchitecturesSuite.ranking(ResultsReport.summarise(store, store.records(), RunRecord::group));
        assertTrue(ranking.contains("Most accurate: BiLSTM (bilstm-max, 28x28), not clearly ahead"), ranking);
    }

    @Test
    void onColourDataEachNetReadsTheImagesItsOwnWayAndTheNoteSaysSo() {
        SuitePlan plan = suite.plan(SuiteOptions.of(true, new SuiteOptions.DataChoice("cifar10",
                InputShape.image(3, 32, 32), 10)));
        Map<String, RunConfig> byModel = plan.runs().stream()
                .collect(Collectors.toMap(r -> r.config().model(), RunSpec::config));
        assertEquals(List.of("cifar10", InputShape.image(3, 32, 32), ResizeMode.BILINEAR),
                List.of(byModel.get("lenet5").dataset(), byModel.get("lenet5").input(),
                        byModel.get("lenet5").resize()));
        assertEquals(List.of(InputShape.image(3, 32, 32), ResizeMode.PAD), List.of(byModel.get("densenet121").input(),
                byModel.get("densenet121").resize()));
        assertEquals(List.of("cifar10-rows", InputShape.sequence(96, 32)),
                List.of(byModel.get("bilstm-max").dataset(), byModel.get("bilstm-max").input()));
        assertTrue(plan.notes().get(0).startsWith("Deviation from the papers: cifar10 (3x32x32, 10 classes) instead of "
                + "ImageNet. GoogLeNet, ResNet-18 and DenseNet-121 are the published topologies (ImageNet stems) at "
                + "input 3x32x32 (pad)"), plan.notes().get(0));
        for (RunSpec r : plan.runs()) {
            ModelProfile profile = ModelProfile.of(ModelRegistry.get(r.config().model()),
                    Trainer.modelOptions(r.config()));
            assertTrue(profile.trainableParams() > 0, r.config().model());
        }
        assertThrows(UserInputException.class, () -> suite.plan(new SuiteOptions(true, SuiteOptions.Scale.MINI,
                SuiteOptions.DataChoice.FASHION_MNIST, InputShape.image(1, 32, 32))));
    }

    @Test
    void theRankingStatesTheSmallestLeadItCouldDetect(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        List<RunSpec> runs = suite.plan(true).runs();
        for (int i = 0; i < runs.size(); i++) {
            SyntheticRecords.save(store, runs.get(i), 800 + i, 1000, 100 * i, 1000);
        }
        String ranking = ArchitecturesSuite.ranking(ResultsReport.summarise(store, store.records(), RunRecord::group));
        assertTrue(ranking.matches("(?s).*Most accurate: BiLSTM \\(bilstm-max, 28x28\\), not clearly ahead of DenseNet-121 "
                + "\\(densenet121, 1x32x32\\) \\(paired Δ \\+0\\.1 \\[-[0-9.]+, \\+[0-9.]+\\], smallest detectable ±[0-9.]+: no "
                + "detectable difference\\).*"), ranking);
    }
}

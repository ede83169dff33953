package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;
import org.zoobench.experiments.data.DataOptions;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.data.ImageFolders;
import org.zoobench.experiments.report.Report;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.Trainer;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.models.AlexNet;
import org.zoobench.zoo.profile.ModelProfile;

import java.io.PrintWriter;
import java.io.StringWriter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlexNetAblationSuiteTest {

    private final AlexNetAblationSuite suite = new AlexNetAblationSuite();

    @Test
    void quickPlanTrainsEveryTable3VariantWithOneRecipeAndSaysWhatItCut() {
        SuitePlan plan = suite.plan(true);
        assertEquals(AlexNet.ABLATIONS.size() * AlexNetAblationSuite.QUICK.seeds(), plan.runs().size());
        assertEquals(1, plan.runs().stream().map(r -> r.config().withSeed(0).toString()
                .replaceAll("model=[^,]*", "")).distinct().count(), "one recipe for every variant");
        assertTrue(plan.runs().stream().allMatch(r -> r.config().model().startsWith("alexnet-mini")));
        assertTrue(plan.notes().get(0).contains("net alexnet-mini (AlexNet, single tower (torchvision), mini: 3x3 "
                + "stem, widths / 4) instead of alexnet"), plan.notes().get(0));
        assertTrue(plan.notes().stream().anyMatch(n -> n.startsWith("--quick cuts")));
        // Params at the ImageNet config are the torchvision totals of docs/reference-facts.md.
        Map<String, Long> imagenet = new java.util.HashMap<>();
        plan.runs().forEach(r -> imagenet.put(r.group(), r.publishedParamCount()));
        assertEquals(61_100_840L, imagenet.get("full network"));
        assertEquals(44_319_528L, imagenet.get("remove fc7"));
        assertEquals(11_686_696L, imagenet.get("remove fc6, fc7"));
        assertEquals(59_404_456L, imagenet.get("remove conv3, conv4"));
        assertEquals(9_990_312L, imagenet.get("remove conv3, conv4, fc6, fc7"));
    }

    @Test
    void theResultsCsvSaysWhichLayersAndScheduleEachRunUsed(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.openForWriting(dir);
        SyntheticRecords.save(store, suite.plan(true).runs().get(0), 800, 1000, 1);
        List<String> lines = java.nio.file.Files.readAllLines(dir.resolve(ResultsStore.CSV));
        List<String> header = List.of(lines.get(0).split(","));
        List<String> row = List.of(lines.get(1).split(","));
        assertEquals("fast", row.get(header.indexOf("layers")));
        assertEquals("linear decay to 0", row.get(header.indexOf("lr_schedule")));
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
        Report written = suite.report(store, store.records());
        written.writeTo(store);
        String report = written.markdown();
        assertTrue(report.contains("| remove fc7 (alexnet-mini-no-fc7)"), report);
        assertTrue(report.contains("-16,781,312"), "ImageNet Δparams of removing fc7 (docs/reference-facts.md §2)\n" + report);
        assertTrue(report.contains("-49,414,144"), "ImageNet Δparams of removing fc6+fc7\n" + report);
        assertTrue(report.contains("-30.0 [-"), "Δtop-1 of removing all four: 50.0 - 80.0\n" + report);
        assertTrue(report.contains("-30.8"), "the paper's Δ for removing all four: 40.5 - 71.3\n" + report);
        assertTrue(report.contains("removing fc7 barely matters: HOLDS"), report);
        assertTrue(report.contains("Verdict: the paper's ordering holds"), report);
        // Errors beside the paper's columns: the one quick seed (1) hits 801 of 1000, its training sample 5 points more.
        String fullErrors = report.lines().filter(l -> l.startsWith("| full network ") && !l.contains("(")).findFirst().orElseThrow();
        assertTrue(fullErrors.matches("\\| full network +\\| +14\\.9 \\| +19\\.9 \\| +0\\.0 \\| +35\\.1 \\| "
                + "+40\\.5 \\| +18\\.1 \\|"), fullErrors);
        assertEquals(report, Files.readString(dir.resolve("results.md")));
        assertTrue(Files.exists(dir.resolve("plots").resolve("top1_bars.png")));
        assertEquals(report, suite.report(ResultsStore.openForReading(dir), store.records()).markdown(),
                "the report is rebuilt identically");
    }

    @Test
    void saysSoWhenTheOrderingDoesNotHold(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        fabricate(store, Map.of("full network", 800, "remove fc7", 700, "remove fc6, fc7", 805,
                "remove conv3, conv4", 800, "remove conv3, conv4, fc6, fc7", 790, "fc6, fc7 widened to 8192", 800,
                "fc6, fc7 narrowed to 2048", 800));
        String report = suite.report(store, store.records()).markdown();
        assertTrue(report.contains("removing fc7 barely matters: does NOT hold"), report);
        assertTrue(report.contains("Verdict: the paper's ordering does not hold"), report);
    }

    @Test
    void aDifferenceInsideTheIntervalReadsAsNoDetectableEffectAndEveryClaimStatesItsPower(@TempDir Path dir) {
        ResultsStore store = ResultsStore.openForWriting(dir);
        // {correct of 1000, offset}: the two middle variants err on other examples than the full net, a point less.
        Map<String, int[]> answers = Map.of("full network", new int[]{800, 0}, "remove fc7", new int[]{800, 0},
                "remove fc6, fc7", new int[]{790, 150}, "remove conv3, conv4", new int[]{790, 300},
                "remove conv3, conv4, fc6, fc7", new int[]{500, 0}, "fc6, fc7 widened to 8192", new int[]{800, 0},
                "fc6, fc7 narrowed to 2048", new int[]{800, 0});
        for (RunSpec spec : suite.plan(true).runs()) {
            int[] a = answers.get(spec.group());
            SyntheticRecords.save(store, spec, a[0], 1000, a[1], 1000);
        }
        String report = suite.report(store, store.records()).markdown();
        assertTrue(report.contains("- removing fc6+fc7 costs accuracy (interval below 0): no detectable effect (Δ -1.0 ["),
                report);
        assertTrue(report.contains("- removing conv3+conv4 costs accuracy (interval below 0): no detectable effect"),
                report);
        assertTrue(report.contains("- removing fc7 barely matters: HOLDS (Δ +0.0 [+0.0, +0.0], smallest detectable "
                + "±0.0; paper +0.5, outside the interval)"), report);
        assertTrue(report.contains("- removing all four is the worst, clearly (interval below every other variant's): "
                + "HOLDS"), report);
        assertEquals(4, report.lines().filter(l -> l.contains("smallest detectable ±")).count(), report);
        assertTrue(report.contains("Verdict: nothing here contradicts the paper, but 2 of its 4 claims show no "
                + "detectable effect: these runs resolve differences of about ±0.0 to ±"), report);
        // The power is the half-width of the paired interval: about 1.96 * sqrt(disagreements) / n, in points
        // (290 disagreements: 150 examples only the full net gets right, 140 only the variant).
        String line = report.lines().filter(l -> l.startsWith("- removing fc6+fc7")).findFirst().orElseThrow();
        double power = Double.parseDouble(line.replaceAll(".*smallest detectable ±([0-9.]+);.*", "$1"));
        assertEquals(196 * Math.sqrt(290) / 1000, power, 0.3, line);
    }

    @Test
    void anIntervalOnTheWrongSideContradictsThePaper() {
        var variant = AlexNet.ABLATIONS.get(2);
        assertEquals(AblationClaims.Finding.CONTRADICTED, AblationClaims.costs(
                new AblationClaims.Measured(variant, new Estimate(2.1, 0.5, 3.7), -4.3)));
        assertEquals(AblationClaims.Finding.NOT_DETECTABLE, AblationClaims.costs(
                new AblationClaims.Measured(variant, new Estimate(-1.6, -3.3, 0.1), -4.9)));
        assertEquals(AblationClaims.Finding.HOLDS, AblationClaims.costs(
                new AblationClaims.Measured(variant, new Estimate(-4.0, -5.5, -2.5), -4.9)));
    }

    @Test
    void trainsOnAnotherDataSetAndSaysHowTheRunDiffersFromThePaper() {
        SuitePlan plan = suite.plan(SuiteOptions.of(false, new SuiteOptions.DataChoice("cifar10",
                InputShape.image(3, 32, 32), 10)));
        assertTrue(plan.runs().stream().allMatch(r -> r.config().dataset().equals("cifar10")
                && r.config().input().equals(InputShape.image(3, 32, 32))
                && r.config().model().startsWith("alexnet-mini")));
        assertTrue(plan.recipe().startsWith("cifar10 (10 classes), input 3x32x32"), plan.recipe());
        String note = plan.notes().get(0);
        assertTrue(note.startsWith("Differences from Zeiler & Fergus: net alexnet-mini ("), note);
        assertTrue(note.contains("data cifar10 (10 classes) instead of ImageNet 2012 (1000 classes); input 3x32x32 "
                + "instead of 3x224x224; whole images (bilinear to the input), no random crops or flips; Adam at lr "
                + "0.002 instead of SGD with momentum 0.9 at lr 0.01; learning rate linear decay to 0 instead of ÷10 "
                + "when validation error stops improving; weight decay none instead of 5.0E-4; 8 epochs instead of 70."),
                note);
        assertEquals(1, plan.notes().size(), "no --quick note");
        // Large images reach the mini nets at 32x32.
        assertEquals(InputShape.image(3, 32, 32), AlexNetAblationSuite.miniInput(InputShape.image(3, 375, 500)));
    }

    @Test
    void imagenetScaleTrainsTheImagenetNetsWithThePapersRecipe() {
        SuitePlan plan = suite.plan(new SuiteOptions(false, SuiteOptions.Scale.IMAGENET,
                new SuiteOptions.DataChoice("image-folder", InputShape.image(3, 375, 500), 1000), null));
        assertEquals(AlexNet.ABLATIONS.size(), plan.runs().size(), "one seed");
        for (RunSpec r : plan.runs()) {
            RunConfig c = r.config();
            assertFalse(c.model().startsWith("alexnet-mini"), c.model());
            assertEquals(InputShape.image(3, 224, 224), c.input());
            assertEquals(ResizeMode.CROP, c.resize());
            assertEquals(List.of(Updater.NESTEROVS, 0.01, 5e-4, 2, 128, 70, 1000), List.of(c.updater(),
                    c.learningRate(), c.weightDecay(), c.lrPatience(), c.batchSize(), c.epochs(), c.classes()));
            assertEquals(r.publishedParamCount(), ModelProfile.of(ModelRegistry.get(c.model()),
                    Trainer.modelOptions(c)).trainableParams(), "trained at the ImageNet config itself");
        }
        assertEquals(List.of("Differences from Zeiler & Fergus: SGD with Nesterov momentum 0.9 at lr 0.01 instead of "
                + "SGD with momentum 0.9 at lr 0.01."), plan.notes());
        assertTrue(plan.recipe().contains("shorter side resized to 256/224 of it, random crops and horizontal flips "
                + "for training, centre crops for evaluation, per-channel mean subtracted"), plan.recipe());
        UserInputException e = assertThrows(UserInputException.class, () -> suite.plan(new SuiteOptions(false,
                SuiteOptions.Scale.IMAGENET, SuiteOptions.DataChoice.FASHION_MNIST, null)));
        assertTrue(e.getMessage().startsWith("--scale imagenet trains on an ImageNet-style folder: pass --dataset "
                + "image-folder --data-dir DIR"), e.getMessage());
    }

    /**
     * The whole ImageNet-scale path on a generated folder of 6 classes (36 training, 12 validation images of about
     * 40x40) at a 3x64x64 input so it takes seconds: decoding, crops, the paper's recipe, top-5, the report. It
     * proves the path, not the numbers; the two variants without fc6 and fc7 (the 4096-wide layers cost most of
     * the time on a CPU) are enough for that.
     */
    @Test
    void imagenetScaleRunsEndToEndOnASmallImageFolder(@TempDir Path dir) throws Exception {
        System.setProperty("zoobench.progress", "false");
        Path data = ImageFolders.write(dir.resolve("data"), 6, 6, 2, 40);
        SuitePlan plan = suite.plan(new SuiteOptions(true, SuiteOptions.Scale.IMAGENET,
                new SuiteOptions.DataChoice("image-folder", InputShape.image(3, 40, 40), 6), InputShape.image(3, 64, 64)));
        List<RunSpec> two = plan.runs().stream()
                .filter(r -> r.config().model().endsWith("fc6-fc7")).toList();
        ResultsStore store = ResultsStore.openForWriting(dir.resolve("results"));
        DataProvider provider = new DataProvider(Datasets::load, DataOptions.defaults().withPath(data));
        StringWriter log = new StringWriter();
        List<RunRecord> done = new SuiteRunner(store, ModelRegistry::get, provider, new PrintWriter(log)).run(two);
        assertEquals(List.of("alexnet-no-fc6-fc7", "alexnet-no-conv3-conv4-fc6-fc7"),
                done.stream().map(RunRecord::model).toList());
        for (RunRecord r : done) {
            assertFalse(r.diverged(), r.statusDetail());
            assertNotNull(r.top5(), "6 classes: top-5 is reported");
            assertEquals(12, store.predictions(r.runId()).size(), "every validation image");
            assertEquals(AlexNetAblationSuite.IMAGENET_QUICK.epochs(), r.epochs().size());
            assertEquals(0.01, r.epochs().get(0).learningRate(), 1e-12);
            assertTrue(r.dataLoadingShare() >= 0 && r.dataLoadingShare() <= 1, "data-wait share " + r.dataLoadingShare());
        }
        String report = suite.report(store, store.records()).markdown();
        assertTrue(report.contains("| remove fc6, fc7 (alexnet-no-fc6-fc7) "), report);
        assertTrue(report.contains("| remove conv3, conv4, fc6, fc7 (alexnet-no-conv3-conv4-fc6-fc7) "), report);
        assertTrue(report.contains("params (trained): at 3x64x64, 6 classes on image-folder"), report);
        assertTrue(report.contains("- not enough finished variants to judge"), report);
    }
}

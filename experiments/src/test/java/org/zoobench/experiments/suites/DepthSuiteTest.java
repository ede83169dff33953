package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.zoo.InputShape;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DepthSuiteTest {

    private final DepthSuite suite = new DepthSuite();
    private static final SuiteOptions.DataChoice CIFAR = new SuiteOptions.DataChoice("cifar10",
            InputShape.image(3, 32, 32), 10);

    @Test
    void fashionMnistIsPaddedTo32AndTheNoteSaysEveryDifferenceFromThePaper() {
        SuitePlan plan = suite.plan(false);
        RunConfig c = plan.runs().get(0).config();
        assertEquals(List.of("fashion-mnist", InputShape.image(1, 32, 32), ResizeMode.PAD),
                List.of(c.dataset(), c.input(), c.resize()));
        assertEquals("Differences from He et al.: data fashion-mnist (10 classes) instead of CIFAR-10 (10 classes); "
                + "input 1x32x32 instead of 3x32x32; SGD with Nesterov momentum 0.9 at lr 0.1 instead of SGD with "
                + "momentum 0.9 at lr 0.1; learning rate ÷10 after epochs 12 and 18 instead of ÷10 at 32k and 48k "
                + "iterations; until test top-1 stops rising, at most 30 epochs, instead of 182.", plan.notes().get(0));
        assertEquals(8, plan.runs().size(), "four nets, two seeds");
        assertTrue(plan.runs().stream().allMatch(r -> r.config().augmentation() == Augmentation.CROPS_AND_FLIPS
                && r.config().weightDecay() == 1e-4 && r.config().batchSize() == 128
                && r.config().stopWithin() == 0.3 && r.config().targetAccuracy() == 90));
    }

    @Test
    void quickGivesEveryNetTheFullRecipesFirstSecondsAndSaysItCannotJudgeThePaper() {
        SuitePlan plan = suite.plan(true);
        assertTrue(plan.runs().stream().allMatch(r -> r.config().trainSeconds() == 150 && r.config().epochs() == 4
                && r.config().learningRate() == 0.1 && r.config().lrSchedule().isConstant()
                && r.config().augmentation() != null && r.config().testLimit() == 2000), "equal time, first phase");
        assertTrue(plan.notes().get(0).endsWith("150 s of training instead of 182 epochs."), plan.notes().get(0));
        String quick = plan.notes().get(1);
        assertTrue(quick.startsWith("--quick cuts: 2,000 instead of all test examples, 150 s of training per net "
                + "(evaluated every 38 s) instead of until test top-1 stops rising"), quick);
        assertTrue(quick.contains("the quick report prints no verdict on them"), quick);
    }

    @Test
    void aQuickReportGivesTrainingErrorPerEvaluationAndNoVerdict(@TempDir Path dir) {
        List<RunSpec> runs = suite.plan(true).runs();
        ResultsStore store = ResultsStore.openForWriting(dir);
        int[] correct = {900, 700, 850, 870};
        for (int i = 0; i < 4; i++) {
            SyntheticRecords.save(store, runs.get(i), correct[i], 1000, 1000);
        }
        String report = suite.report(store, store.records()).markdown();
        assertFalse(report.contains("HOLDS") || report.contains("does NOT hold"), report);
        assertTrue(report.contains("Stopping rule: not met by plain20 seed 1 (150 s of training, no rule)"), report);
        assertTrue(report.contains("at each of 1 evaluations, one every 150 s of training"), report);
        assertTrue(report.contains("| evaluation | plain20 | plain56 | resnet20 | resnet56 |"), report);
    }

    @Test
    void verdictsOnlyForRunsTrainedUntilTestTop1StoppedRising(@TempDir Path dir) {
        List<RunSpec> runs = suite.plan(false).runs().subList(0, 4);
        int[] correct = {900, 700, 850, 870};
        ResultsStore early = ResultsStore.openForWriting(dir.resolve("early"));
        ResultsStore converged = ResultsStore.openForWriting(dir.resolve("converged"));
        for (int i = 0; i < 4; i++) {
            SyntheticRecords.save(early, runs.get(i), correct[i], 1000, 0, 1000, i == 1 ? null : 22);
            SyntheticRecords.save(converged, runs.get(i), correct[i], 1000, 0, 1000, 22);
        }
        String withheld = suite.report(early, early.records()).markdown();
        assertFalse(withheld.contains("HOLDS"), withheld);
        assertTrue(withheld.contains("Stopping rule: not met by plain56 seed 1 (one epoch)."), withheld);
        assertTrue(withheld.contains("- deeper plain net trains worse (plain56 > plain20): not judged yet, plain56 not "
                + "trained until converged\n- shortcuts remove it (resnet56 < plain56): not judged yet, plain56 not "
                + "trained until converged\n- the deeper residual net trains better (resnet56 < resnet20): no "
                + "detectable effect"), withheld);
        String judged = suite.report(converged, converged.records()).markdown();
        assertTrue(judged.contains("Stopping rule: all 4 runs stopped with test top-1 no longer rising"), judged);
        assertTrue(judged.contains("- deeper plain net trains worse (plain56 > plain20): HOLDS"), judged);
        assertTrue(judged.contains("- shortcuts remove it (resnet56 < plain56): HOLDS"), judged);
        assertTrue(judged.contains("- the deeper residual net trains better (resnet56 < resnet20): no detectable "
                + "effect"), judged);
        assertTrue(judged.contains("| epoch | plain20 | plain56 | resnet20 | resnet56 |"), judged);
        assertTrue(judged.contains("| resnet20 |                          15.00 |                        8.75 |"),
                judged);
        assertTrue(judged.contains("| plain56  |                          30.00 |             — (Fig. 6 only) |"),
                judged);
    }

    @Test
    void aSuiteInProgressJudgesThePairsItHasConverged(@TempDir Path dir) {
        List<RunSpec> runs = suite.plan(false).runs();
        ResultsStore store = ResultsStore.openForWriting(dir);
        SyntheticRecords.save(store, runs.get(0), 900, 1000, 0, 1000, 22);
        SyntheticRecords.save(store, runs.get(1), 700, 1000, 0, 1000, 22);
        SyntheticRecords.save(store, runs.get(2), 850, 1000, 0, 1000, 22);
        String report = suite.report(store, store.records()).markdown();
        assertTrue(report.contains("- deeper plain net trains worse (plain56 > plain20): HOLDS (Δ training error "
                + "+20.0 points on 500 training images, 1 seed each, smallest detectable"), report);
        assertTrue(report.contains("- shortcuts remove it (resnet56 < plain56): not judged yet, resnet56 not trained "
                + "until converged\n"), report);
        assertTrue(report.contains("- the deeper residual net trains better (resnet56 < resnet20): not judged yet, "
                + "resnet56 not trained until converged\n"), report);
    }

    @Test
    void onCifar10TheDataIsThePapersAndTheNoteDropsIt() {
        SuitePlan plan = suite.plan(SuiteOptions.of(false, CIFAR));
        assertTrue(plan.runs().stream().allMatch(r -> r.config().dataset().equals("cifar10")
                && r.config().input().equals(InputShape.image(3, 32, 32)) && r.config().resize() == ResizeMode.PAD));
        String note = plan.notes().get(0);
        assertFalse(note.contains("data ") || note.contains("input "), note);
        assertTrue(plan.recipe().startsWith("cifar10 (10 classes) zero-padded to 3x32x32"), plan.recipe());
    }

    @Test
    void otherScalesAndInputsAreRefusedInOneLine() {
        UserInputException e = assertThrows(UserInputException.class, () -> suite.plan(new SuiteOptions(false,
                SuiteOptions.Scale.IMAGENET, CIFAR, null)));
        assertEquals("--scale imagenet applies to alexnet-ablation only, not depth", e.getMessage());
        assertThrows(UserInputException.class, () -> suite.plan(new SuiteOptions(false, SuiteOptions.Scale.MINI, CIFAR,
                InputShape.image(3, 64, 64))));
    }

    private static DepthSuite.TrainingError onSample(double percent) {
        return new DepthSuite.TrainingError(percent, DepthSuite.normalHalfWidth(percent, 500), false, percent, 500, 1);
    }

    private static DepthSuite.TrainingError onWholeSet(double percent, double halfWidth, double samplePercent) {
        return new DepthSuite.TrainingError(percent, halfWidth, true, samplePercent, 500, 1);
    }

    private static final DepthSuite.Claim DEEPER_WORSE = new DepthSuite.Claim("deeper trains worse", "p56", "p20");
    private static final DepthSuite.Claim R56_BELOW_R20 = new DepthSuite.Claim("r56 < r20", "r20", "r56");

    @Test
    void aTrainingErrorGapInsideItsPowerIsNoDetectableEffect() {
        // 1.96 * sqrt((0.12 * 0.88 + 0.10 * 0.90) / 500) = 3.9 points
        assertEquals("- deeper trains worse: no detectable effect (Δ training error +2.0 points on 500 training "
                + "images, 1 seed each, smallest detectable ±3.9)\n", DepthSuite.claim(DEEPER_WORSE, onSample(12),
                onSample(10)));
        assertTrue(DepthSuite.claim(DEEPER_WORSE, onSample(20), onSample(10))
                .contains(": HOLDS (Δ training error +10.0"));
        assertTrue(DepthSuite.claim(DEEPER_WORSE, onSample(10), onSample(20))
                .contains(": does NOT hold (Δ training error -10.0"));
    }

    @Test
    void onTheWholeTrainingSetAGapOfHalfAPointIsDetectable() {
        // Two nets at 3.0% and 2.5% training error: on 500 images that is well inside ±2.1 points; on 60,000 the
        // intervals' half-widths (0.14, 0.12) resolve ±0.18.
        assertTrue(DepthSuite.claim(R56_BELOW_R20, onSample(3.0), onSample(2.5)).contains("no detectable effect"));
        assertEquals("- r56 < r20: HOLDS (Δ training error +0.50 points on the whole training set, 1 seed each, "
                        + "smallest detectable ±0.18)\n",
                DepthSuite.claim(R56_BELOW_R20, onWholeSet(3.0, 0.14, 3.0), onWholeSet(2.5, 0.12, 2.5)));
        assertEquals(onSample(4.2), onWholeSet(3.0, 0.14, 4.2).onSample());
    }

    @Test
    void aClaimOverNetsWithDifferentSeedCountsNamesEachNetsCount() {
        DepthSuite.TrainingError twoSeeds = new DepthSuite.TrainingError(3.0, 0.1, true, 3.0, 500, 2);
        assertTrue(DepthSuite.claim(R56_BELOW_R20, twoSeeds, onWholeSet(2.5, 0.12, 2.5))
                .contains("on the whole training set, r20 2 seeds, r56 1 seed, smallest detectable"));
    }

    @Test
    void aConvergedRunTakesBetweenTwoEpochsAfterItsLastDivisionAndItsMost() {
        RunConfig full = suite.plan(false).runs().get(0).config();
        assertEquals(20, SuiteEstimate.earliestEpochs(full), "divisions after 12 and 18, then two flat epochs");
        RunConfig quick = suite.plan(true).runs().get(0).config();
        assertEquals(4, SuiteEstimate.earliestEpochs(quick), "a time budget's evaluations all happen");
    }
}

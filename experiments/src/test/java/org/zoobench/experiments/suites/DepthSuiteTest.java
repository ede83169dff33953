package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.UserInputException;

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
        SuitePlan plan = suite.plan(true);
        RunConfig c = plan.runs().get(0).config();
        assertEquals(List.of("fashion-mnist", InputShape.image(1, 32, 32), ResizeMode.PAD),
                List.of(c.dataset(), c.input(), c.resize()));
        assertEquals("Differences from He et al.: data fashion-mnist (10 classes) instead of CIFAR-10 (10 classes); "
                + "input 1x32x32 instead of 3x32x32; whole images (pad to the input), no random crops or flips; Adam "
                + "at lr 0.001 instead of SGD with momentum 0.9 at lr 0.1; learning rate constant instead of ÷10 at "
                + "32k and 48k iterations; weight decay none instead of 1.0E-4; batch 64 instead of 128; 2 epochs "
                + "instead of 182.", plan.notes().get(0));
        assertTrue(plan.notes().get(1).startsWith("--quick cuts: 4,000 instead of all training"), plan.notes().get(1));
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

    @Test
    void aTrainingErrorGapInsideItsPowerIsNoDetectableEffect() {
        // 1.96 * sqrt((0.12 * 0.88 + 0.10 * 0.90) / 500) = 3.9 points
        assertEquals("- deeper trains worse: no detectable effect (Δ training error +2.0 points on 500 training "
                + "images, smallest detectable ±3.9)\n", DepthSuite.claim("deeper trains worse", 12, 10, 500));
        assertTrue(DepthSuite.claim("deeper trains worse", 20, 10, 500).contains(": HOLDS (Δ training error +10.0"));
        assertTrue(DepthSuite.claim("deeper trains worse", 10, 20, 500).contains(": does NOT hold (Δ training error "
                + "-10.0"));
    }
}

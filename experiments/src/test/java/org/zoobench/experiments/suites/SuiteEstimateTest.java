package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.TinyRuns;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteEstimateTest {

    private static RunSpec run(int epochs, LrSchedule schedule, double stopWithin, double trainSeconds) {
        RunConfig c = TinyRuns.config("tiny-cnn", 1);
        return RunSpec.single(RunConfig.builder().model(c.model()).dataset(c.dataset()).input(c.input())
                .resize(c.resize()).classes(c.classes()).epochs(epochs).batchSize(c.batchSize())
                .updater(Updater.NESTEROVS).learningRate(0.1).seed(c.seed()).trainLimit(c.trainLimit())
                .testLimit(c.testLimit()).targetAccuracy(c.targetAccuracy()).bootstrapSamples(c.bootstrapSamples())
                .layers(c.layers()).lrSchedule(schedule).stopWithin(stopWithin).trainSeconds(trainSeconds).build());
    }

    @Test
    void eachRunsTimeIsGivenPerEpochAndBetweenItsEarliestStopAndItsMost() {
        List<RunSpec> runs = List.of(run(30, LrSchedule.steps(2, 3), 0.3, 0), run(2, LrSchedule.CONSTANT, 0, 0),
                run(4, null, 0, 600));
        String estimate = SuiteEstimate.describe(runs, TinyRuns::tinyCnn, TinyRuns.syntheticData(),
                id -> 0);
        List<String> lines = estimate.lines().toList();
        assertEquals(4, lines.size(), estimate);
        assertTrue(lines.get(0).matches("Expected duration: about \\d+m\\d\\ds to \\d+m\\d\\ds \\(every run stopping "
                + "at the earliest epoch its stopping rule allows, or at its most\\) for 3 runs, calibrated on this "
                + "machine now \\(its load included\\):"), lines.get(0));
        assertTrue(lines.get(1).matches("- tiny-cnn seed 1: 0m\\d\\ds an epoch; \\d+m\\d\\ds \\(5 epochs\\) to "
                + "\\d+m\\d\\ds \\(30\\)"), lines.get(1));
        assertTrue(lines.get(2).matches("- tiny-cnn seed 1: 0m\\d\\ds an epoch; 0m\\d\\ds \\(2 epochs\\)"),
                lines.get(2));
        assertTrue(lines.get(3).matches("- tiny-cnn seed 1: 600 s of training and 4 evaluations: 10m\\d\\ds"),
                lines.get(3));
        assertEquals("Nothing left to train.\n", SuiteEstimate.describe(List.of(), TinyRuns::tinyCnn,
                TinyRuns.syntheticData(), id -> 0));
    }

    @Test
    void aRunResumedFromItsCheckpointHasOnlyItsRemainingEpochsLeft() {
        RunSpec stopping = run(30, LrSchedule.steps(2, 3), 0.3, 0);
        RunSpec past = run(30, LrSchedule.steps(2, 3), 0.3, 0).withConfig(stopping.config().withSeed(2));
        java.util.Map<String, Integer> done = java.util.Map.of(stopping.runId(), 3, past.runId(), 7);
        List<SuiteEstimate.Remaining> left = SuiteEstimate.remaining(List.of(stopping, past), TinyRuns::tinyCnn,
                TinyRuns.syntheticData(), done::get);
        SuiteEstimate.Remaining resumed = left.get(0);
        assertEquals(3, resumed.epochsDone());
        assertEquals(2 * resumed.perEpoch(), resumed.earliest(), 1e-9, "epochs 4 and 5 to its earliest stop");
        assertEquals(27 * resumed.perEpoch(), resumed.most(), 1e-9);
        assertEquals(left.get(1).perEpoch(), left.get(1).earliest(), 1e-9,
                "past its earliest stop: it may stop after the next epoch");

        String estimate = SuiteEstimate.describe(List.of(stopping), TinyRuns::tinyCnn, TinyRuns.syntheticData(),
                done::get);
        assertTrue(estimate.lines().toList().get(1).matches("- tiny-cnn seed 1: 0m\\d\\ds an epoch \\(3 done, in "
                + "its checkpoint\\); \\d+m\\d\\ds \\(5 epochs\\) to \\d+m\\d\\ds \\(30\\)"), estimate);
    }
}

package org.zoobench.benchmarks;

import org.junit.jupiter.api.Test;
import org.zoobench.benchmarks.BenchResults.ModelRow;
import org.zoobench.benchmarks.BenchResults.Pass;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the model table's note says about the warm-up until the JIT was quiet. */
class WarmUpNoteTest {

    private static Pass pass(double warmUpSeconds, boolean quiet) {
        return new Pass("ok", 32, List.of(), "", 10, 10, 11, 12, 100, 3200, 1, 1, 1, warmUpSeconds, quiet);
    }

    private static ModelRow row(String model, Pass inference, Pass training) {
        return new ModelRow(model, "3x32x32", 32, 1, 1, inference, training, "");
    }

    @Test
    void givesEachPassKindsRangeAndNamesThePassesStillCompilingAtTheCap() {
        String note = BenchReport.warmUpNote(List.of(
                row("resnet20", pass(16.2, true), pass(22.4, true)),
                row("densenet121", pass(18.0, true), pass(120.3, false))));

        assertTrue(note.contains("inference 16–18 s, training 22–120 s"), note);
        assertTrue(note.contains("not quiet within the cap, so timed with the JIT still compiling: densenet121 "
                + "training at batch 32."), note);
    }

    @Test
    void saysWhenNothingWarmedUpUntilTheJitWasQuiet() {
        String note = BenchReport.warmUpNote(List.of(row("lenet5", pass(0, false), pass(0, false))));

        assertEquals("\nWarmed up by JMH's iterations only, not until the JIT was quiet: the figures include HotSpot "
                + "compiling the steps' Java code (docs/benchmarks.md, JIT warm-up).\n", note);
    }
}

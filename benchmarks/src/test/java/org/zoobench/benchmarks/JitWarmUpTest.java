package org.zoobench.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The warm-up's stopping rule on a simulated clock and compiler: each step takes {@code stepMs}. */
class JitWarmUpTest {

    /** A simulated JVM: a clock each step advances; in step i the compiler compiles {@code compiledPerStep[i]} ms. */
    private static final class Simulated {
        final long stepMs;
        final long[] compiledPerStep;
        long nanos;
        long compiledMs;
        int steps;

        Simulated(long stepMs, long... compiledPerStep) {
            this.stepMs = stepMs;
            this.compiledPerStep = compiledPerStep;
        }

        void step() {
            nanos += stepMs * 1_000_000;
            compiledMs += steps < compiledPerStep.length ? compiledPerStep[steps] : 0;
            steps++;
        }

        JitWarmUp.Outcome warmUp(long capMs) {
            return JitWarmUp.untilQuiet(this::step, capMs, () -> nanos, () -> compiledMs);
        }
    }

    @Test
    void stopsAfterTwoQuietWindowsInARow() {
        // 500-ms steps: 4 a window; compiling 200 ms a step (40% of a window) for the first 12 steps, then nothing
        long[] compiling = new long[12];
        Arrays.fill(compiling, 200);
        Simulated jvm = new Simulated(500, compiling);

        JitWarmUp.Outcome outcome = jvm.warmUp(120_000);

        assertTrue(outcome.quiet());
        assertEquals(20, outcome.steps()); // three busy windows, then two quiet ones
        assertEquals(10.0, outcome.seconds(), 1e-9);
        assertEquals(List.of(new JitWarmUp.Window(4, 2.0, 800), new JitWarmUp.Window(4, 2.0, 800),
                new JitWarmUp.Window(4, 2.0, 800), new JitWarmUp.Window(4, 2.0, 0), new JitWarmUp.Window(4, 2.0, 0)),
                outcome.windows());
    }

    @Test
    void aBusyWindowBetweenQuietOnesStartsTheCountAgain() {
        // quiet, busy (a late compilation of 150 ms: over 5% of 2 s), then quiet: five windows of 4 steps
        Simulated jvm = new Simulated(500, 0, 0, 0, 0, 0, 150, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        JitWarmUp.Outcome outcome = jvm.warmUp(120_000);

        assertTrue(outcome.quiet());
        assertEquals(16, outcome.steps());
    }

    @Test
    void compilingJustUnderTheShareIsQuiet() {
        Simulated jvm = new Simulated(500, 99, 0, 0, 0, 99);

        assertEquals(8, jvm.warmUp(120_000).steps()); // 99 ms of a 2,000-ms window: under 5%
    }

    @Test
    void stepsLongerThanAWindowMakeOneStepWindows() {
        Simulated jvm = new Simulated(3_000, 500, 0, 0);

        JitWarmUp.Outcome outcome = jvm.warmUp(120_000);

        assertTrue(outcome.quiet());
        assertEquals(3, outcome.steps());
        assertEquals(9.0, outcome.seconds(), 1e-9);
    }

    @Test
    void givesUpAtTheCapWithoutCallingItQuiet() {
        long[] alwaysCompiling = new long[1_000];
        Arrays.fill(alwaysCompiling, 100); // 20% of every window
        Simulated jvm = new Simulated(500, alwaysCompiling);

        JitWarmUp.Outcome outcome = jvm.warmUp(10_000);

        assertFalse(outcome.quiet());
        assertEquals(20, outcome.steps()); // five windows fill the 10-s cap
        assertEquals(10.0, outcome.seconds(), 1e-9);
    }

    @Test
    void noCapMeansNoWarmUp() {
        Simulated jvm = new Simulated(500);

        JitWarmUp.Outcome outcome = jvm.warmUp(0);

        assertEquals(JitWarmUp.Outcome.NONE, outcome);
        assertEquals(0, jvm.steps);
    }

    @Test
    void withoutCompilationTimesRunsTheWholeCapAndIsNeverQuiet() {
        Simulated jvm = new Simulated(500);

        JitWarmUp.Outcome outcome = JitWarmUp.untilQuiet(jvm::step, 6_000, () -> jvm.nanos, null);

        assertFalse(outcome.quiet());
        assertEquals(12, outcome.steps());
    }
}

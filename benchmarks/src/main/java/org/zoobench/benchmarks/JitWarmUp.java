package org.zoobench.benchmarks;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A model's steps run before JMH's warm-up until HotSpot's JIT compilers are quiet. A step is mostly native work,
 * but the Java around it (DL4J's graph, workspaces and ND4J's array bookkeeping: hundreds of calls a step) runs
 * interpreted or half-compiled for the first 15–50 seconds of steps, while the compilers take one of the two cores
 * from the native kernels' OpenMP workers. JMH's fixed warm-up of a few seconds ends inside that stretch, so alone
 * it would time the JIT's warm-up, not the steady state a training run of hours or a serving process sees:
 * resnet20's inference pass at batch 32 takes 31.7 ms inside it and 11.9 ms after it (docs/benchmarks.md).
 *
 * <p>Steps run in windows of {@value #WINDOW_MS} ms (at least one step each); warm-up ends after
 * {@value #QUIET_WINDOWS} windows in a row in which the compilers spent under {@value #QUIET_SHARE} of the window
 * compiling (the JVM's accumulated compilation time, summed over its compiler threads), or at the cap.
 */
public final class JitWarmUp {

    /** The most milliseconds the forks run steps for until the JIT is quiet, as the bench JVM sets it; unset: none. */
    public static final String CAP_PROPERTY = "zoobench.bench.jitWarmUpMs";

    static final long WINDOW_MS = 2_000;
    static final double QUIET_SHARE = 0.05;
    static final int QUIET_WINDOWS = 2;

    /**
     * @param seconds how long the steps ran
     * @param quiet   whether the compilers fell quiet before the cap (false also where the cap was 0: no warm-up)
     * @param windows each window's steps, seconds and compilation, in order: the warm-up's curve
     */
    public record Outcome(double seconds, boolean quiet, List<Window> windows) {

        static final Outcome NONE = new Outcome(0, false, List.of());

        /** How many steps ran. */
        int steps() {
            return windows.stream().mapToInt(Window::steps).sum();
        }
    }

    /** One window: {@code steps} steps in {@code seconds}, while the compilers spent {@code compiledMs} compiling. */
    public record Window(int steps, double seconds, long compiledMs) {
    }

    private JitWarmUp() {
    }

    /**
     * Runs {@code step} until this JVM's JIT compilers are quiet, for the {@link #CAP_PROPERTY} milliseconds at most
     * (unset or 0: not at all).
     */
    static Outcome untilQuiet(Runnable step) {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        LongSupplier compiledMs = jit != null && jit.isCompilationTimeMonitoringSupported()
                ? jit::getTotalCompilationTime : null;
        return untilQuiet(step, Long.getLong(CAP_PROPERTY, 0L), System::nanoTime, compiledMs);
    }

    /**
     * {@link #untilQuiet(Runnable)} for {@code capMs} at most, on the given clock (ns) and accumulated compilation time (ms); where the JVM
     * does not measure compilation ({@code compiledMs} null), the steps run for the whole cap, never called quiet.
     */
    static Outcome untilQuiet(Runnable step, long capMs, LongSupplier nanos, LongSupplier compiledMs) {
        if (capMs <= 0) {
            return Outcome.NONE;
        }
        long start = nanos.getAsLong();
        long capNs = capMs * 1_000_000;
        int quietInARow = 0;
        List<Window> windows = new ArrayList<>();
        while (quietInARow < QUIET_WINDOWS) {
            long windowStart = nanos.getAsLong();
            if (windowStart - start >= capNs) {
                return new Outcome((windowStart - start) / 1e9, false, windows);
            }
            long compiledBefore = compiledMs == null ? 0 : compiledMs.getAsLong();
            int windowSteps = 0;
            long now;
            do {
                step.run();
                windowSteps++;
                now = nanos.getAsLong();
            } while (now - windowStart < WINDOW_MS * 1_000_000);
            double windowMs = (now - windowStart) / 1e6;
            long compiled = compiledMs == null ? 0 : compiledMs.getAsLong() - compiledBefore;
            windows.add(new Window(windowSteps, windowMs / 1000, compiled));
            quietInARow = compiledMs != null && compiled < QUIET_SHARE * windowMs ? quietInARow + 1 : 0;
        }
        return new Outcome((nanos.getAsLong() - start) / 1e9, true, windows);
    }
}

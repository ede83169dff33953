package org.zoobench.device;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuPeakTest {

    private static String processor(int id, String vendor, int family, int coreId, double mhz, String flags) {
        return String.format(java.util.Locale.ROOT, "processor\t: %d%nvendor_id\t: %s%ncpu family\t: %d%n"
                + "cpu MHz\t\t: %.3f%nphysical id\t: 0%ncore id\t\t: %d%nflags\t\t: fpu sse sse2 %s%n%n",
                id, vendor, family, mhz, coreId, flags);
    }

    @Test
    void coresTimesClockTimesTheVectorUnitsFlopsPerCycle() {
        String intel = processor(0, "GenuineIntel", 6, 0, 2600, "avx fma avx2 avx512f")
                + processor(1, "GenuineIntel", 6, 1, 2600, "avx fma avx2 avx512f");
        CpuPeak peak = CpuPeak.of(intel, OptionalDouble.empty(), 2).orElseThrow();
        assertEquals(2, peak.cores());
        assertEquals(64, peak.flopsPerCycle());
        assertEquals(2 * 2.6 * 64, peak.gflops(), 1e-9);
        assertTrue(peak.describe().startsWith("2 cores × 2.60 GHz × 64 FLOP/cycle (AVX-512"), peak.describe());

        assertEquals(3.5 * 2 * 64, CpuPeak.of(intel, OptionalDouble.of(3.5), 2).orElseThrow().gflops(), 1e-9,
                "cpufreq's maximum clock wins over the current one");
        assertEquals(1, CpuPeak.of(intel, OptionalDouble.empty(), 1).orElseThrow().cores(), "the processors allowed");
    }

    @Test
    void hyperThreadsOfOneCoreCountOnce() {
        String smt = processor(0, "AuthenticAMD", 25, 0, 3000, "avx fma avx2")
                + processor(1, "AuthenticAMD", 25, 0, 3000, "avx fma avx2")
                + processor(2, "AuthenticAMD", 25, 1, 3000, "avx fma avx2")
                + processor(3, "AuthenticAMD", 25, 1, 3000, "avx fma avx2");
        CpuPeak peak = CpuPeak.of(smt, OptionalDouble.empty(), 4).orElseThrow();
        assertEquals(2, peak.cores());
        assertEquals(2 * 3.0 * 32, peak.gflops(), 1e-9);
    }

    @Test
    void flopsPerCycleFollowTheFlags() {
        assertEquals(32, CpuPeak.rule(Set.of("avx", "fma", "avx2", "avx512f"), "AuthenticAMD", 25).flopsPerCycle(),
                "Zen 4 runs AVX-512 on 256-bit pipes");
        assertEquals(64, CpuPeak.rule(Set.of("avx", "fma", "avx2", "avx512f"), "AuthenticAMD", 26).flopsPerCycle());
        assertEquals(64, CpuPeak.rule(Set.of("avx", "fma", "avx2", "avx512f"), "GenuineIntel", 6).flopsPerCycle());
        assertEquals(32, CpuPeak.rule(Set.of("avx", "fma", "avx2"), "GenuineIntel", 6).flopsPerCycle());
        assertEquals(16, CpuPeak.rule(Set.of("avx"), "GenuineIntel", 6).flopsPerCycle());
        assertEquals(8, CpuPeak.rule(Set.of("sse", "sse2"), "GenuineIntel", 6).flopsPerCycle());
    }

    @Test
    void noFlagsOrNoClockNoPeak() {
        assertTrue(CpuPeak.of("processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n", OptionalDouble.empty(), 1)
                .isEmpty(), "an ARM /proc/cpuinfo");
        assertTrue(CpuPeak.of("", OptionalDouble.empty(), 1).isEmpty());
    }

    @Test
    void thisMachinesPeakIsPositive() {
        CpuPeak peak = CpuPeak.ofThisMachine().orElseThrow(); // ZooBench runs on Linux x86-64 (its natives)
        assertTrue(peak.gflops() > 0 && peak.cores() >= 1 && peak.cores() <= ThisMachine.processors(), peak.describe());
    }
}

package org.zoobench.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * This machine's theoretical single-precision peak, cores × clock × FP32 FLOP per cycle and core: a bound no
 * matrix product can pass, unlike an sgemm measured on a loaded machine.
 *
 * @param cores         physical cores this process may use (hyper-threads of one core share its FMA units)
 * @param ghz           the highest clock the kernel reports: cpufreq's maximum, else /proc/cpuinfo's {@code cpu MHz}
 *                      (in a virtual machine without cpufreq, the clock the hypervisor reports)
 * @param flopsPerCycle FP32 FLOP per cycle and core, from the CPU's flags: see {@link #rule}
 * @param rule          the instruction set and units that give {@code flopsPerCycle}, in words
 */
public record CpuPeak(int cores, double ghz, int flopsPerCycle, String rule) {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path CPUFREQ_MAX = Path.of("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq");
    /** AMD's family 25 (0x19): Zen 3 and Zen 4, which runs AVX-512 on its two 256-bit FMA pipes. */
    private static final int AMD_ZEN_3_4 = 25;

    public double gflops() {
        return cores * ghz * flopsPerCycle;
    }

    /** "2 cores × 2.60 GHz × 64 FLOP/cycle (…)". */
    public String describe() {
        return String.format(Locale.ROOT, "%d cores × %.2f GHz × %d FLOP/cycle (%s)", cores, ghz, flopsPerCycle, rule);
    }

    /** This machine's, or empty where /proc/cpuinfo gives no x86 flags or no clock. */
    public static Optional<CpuPeak> ofThisMachine() {
        try {
            OptionalDouble maxGhz = Files.isReadable(CPUFREQ_MAX)
                    ? OptionalDouble.of(Long.parseLong(Files.readString(CPUFREQ_MAX).strip()) / 1e6)
                    : OptionalDouble.empty();
            return of(Files.readString(CPUINFO), maxGhz, ThisMachine.processors());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * From the text of /proc/cpuinfo, cpufreq's maximum clock if the kernel has one, and the processors this
     * process may use (no more cores than those count).
     */
    static Optional<CpuPeak> of(String cpuinfo, OptionalDouble cpufreqMaxGhz, int processors) {
        List<String> blocks = Arrays.stream(cpuinfo.split("\\n\\s*\\n")).filter(b -> b.contains("processor")).toList();
        if (blocks.isEmpty()) {
            return Optional.empty();
        }
        String first = blocks.get(0);
        Optional<String> flags = field(first, "flags");
        double ghz = cpufreqMaxGhz.orElse(blocks.stream().map(b -> field(b, "cpu MHz")).flatMap(Optional::stream)
                .mapToDouble(Double::parseDouble).max().orElse(0) / 1000);
        if (flags.isEmpty() || ghz <= 0) {
            return Optional.empty();
        }
        long physicalCores = blocks.stream()
                .map(b -> field(b, "physical id").orElse("0") + "/" + field(b, "core id").orElse(b)).distinct().count();
        int cores = (int) Math.min(physicalCores, processors);
        int family = field(first, "cpu family").map(Integer::parseInt).orElse(0);
        Rule rule = rule(new HashSet<>(Arrays.asList(flags.get().split("\\s+"))),
                field(first, "vendor_id").orElse(""), family);
        return Optional.of(new CpuPeak(cores, ghz, rule.flopsPerCycle(), rule.reason()));
    }

    record Rule(int flopsPerCycle, String reason) {
    }

    /**
     * FP32 FLOP per cycle and core by the widest vector unit the flags show, assuming two of them per core (what
     * every x86 core since Haswell and Zen 2 has; where a part has fewer, the bound is only looser): an FMA
     * counts as two FLOP.
     */
    static Rule rule(Set<String> flags, String vendor, int family) {
        if (flags.contains("avx512f") && vendor.equals("AuthenticAMD") && family == AMD_ZEN_3_4) {
            return new Rule(32, "AVX-512 on Zen 4's two 256-bit FMA pipes: 2 × 8 lanes × 2");
        }
        if (flags.contains("avx512f")) {
            return new Rule(64, "AVX-512: two 512-bit FMA units, 2 × 16 lanes × 2");
        }
        if (flags.contains("fma") && flags.contains("avx2")) {
            return new Rule(32, "AVX2: two 256-bit FMA units, 2 × 8 lanes × 2");
        }
        if (flags.contains("avx")) {
            return new Rule(16, "AVX without FMA: a 256-bit add and a 256-bit multiply, 8 + 8");
        }
        return new Rule(8, "SSE: a 128-bit add and a 128-bit multiply, 4 + 4");
    }

    /** The value of a {@code key : value} line of one processor's block. */
    private static Optional<String> field(String block, String key) {
        return block.lines().filter(line -> line.startsWith(key) && line.substring(key.length()).strip().startsWith(":"))
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).findFirst();
    }
}

package org.zoobench.benchmarks;

import org.zoobench.zoo.layers.LayerImpl;
import org.openjdk.jmh.runner.options.TimeValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What one {@code bench} run measures and how long it spends on each measurement. Parsed from the arguments the
 * {@code zoobench bench} command passes to the benchmark JVM ({@code --key value} pairs and flags).
 *
 * @param layerCases layer micro-benchmark cases to run; empty: no layer benchmarks
 * @param timing     null: the defaults of each stage (full or quick); otherwise these, for every stage
 * @param workers    data-parallel worker counts whose training steps are also measured (more than one each); empty:
 *                   none
 */
public record BenchPlan(List<String> models, List<Integer> batches, List<String> layerCases, boolean quick,
                        String backend, LayerImpl impl, String format, Path out, String command, int peakN, Timing timing,
                        List<Integer> workers) {

    public static final List<Integer> DEFAULT_BATCHES = List.of(1, 8, 32, 64);
    public static final List<Integer> QUICK_BATCHES = List.of(1, 8);

    /** Forks, warm-up and measurement iterations of one stage. */
    public record Timing(int forks, int warmupIterations, TimeValue warmupTime, int iterations, TimeValue iterationTime) {

        static Timing of(int forks, int warmups, long warmupMs, int iterations, long iterationMs) {
            return new Timing(forks, warmups, TimeValue.milliseconds(warmupMs), iterations,
                    TimeValue.milliseconds(iterationMs));
        }
    }

    public Timing peakTiming() {
        return timing != null ? timing : quick ? Timing.of(1, 1, 500, 2, 500) : Timing.of(1, 2, 1000, 3, 1000);
    }

    public Timing modelTiming() {
        return timing != null ? timing : quick ? Timing.of(1, 1, 1000, 2, 1000) : Timing.of(1, 2, 2000, 3, 3000);
    }

    /** Layer figures steer performance work: even quick runs keep several iterations for an error bar. */
    public Timing layerTiming() {
        return timing != null ? timing : quick ? Timing.of(1, 1, 1000, 3, 500) : Timing.of(2, 2, 1000, 4, 1000);
    }

    public static BenchPlan parse(List<String> args) {
        List<String> models = new ArrayList<>();
        List<Integer> batches = null;
        List<String> layerCases = new ArrayList<>();
        List<Integer> workers = List.of();
        boolean quick = false;
        String backend = "cpu";
        LayerImpl impl = LayerImpl.FAST;
        String format = "table";
        Path out = null;
        String command = "";
        int peakN = 1024;
        Integer forks = null;
        int warmups = 1;
        int iterations = 1;
        long iterationMs = 1000;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--quick" -> quick = true;
                case "--layers" -> layerCases.addAll(Arrays.stream(LayerCase.values()).map(LayerCase::id).toList());
                default -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("missing value after " + a);
                    }
                    String v = args.get(++i);
                    switch (a) {
                        case "--models" -> models.addAll(split(v));
                        case "--batches" -> batches = split(v).stream().map(Integer::parseInt).toList();
                        case "--workers" -> workers = split(v).stream().map(Integer::parseInt).toList();
                        case "--layer-cases" -> layerCases.addAll(split(v));
                        case "--backend" -> backend = v;
                        case "--impl" -> impl = LayerImpl.parse(v);
                        case "--format" -> format = v.toLowerCase(Locale.ROOT);
                        case "--out" -> out = Path.of(v);
                        case "--command" -> command = v;
                        case "--peak-n" -> peakN = Integer.parseInt(v);
                        case "--forks" -> forks = Integer.parseInt(v);
                        case "--warmup" -> warmups = Integer.parseInt(v);
                        case "--iterations" -> iterations = Integer.parseInt(v);
                        case "--iteration-ms" -> iterationMs = Long.parseLong(v);
                        default -> throw new IllegalArgumentException("unknown argument " + a);
                    }
                }
            }
        }
        if (out == null) {
            throw new IllegalArgumentException("--out DIR is required");
        }
        if (batches == null) {
            batches = quick ? QUICK_BATCHES : DEFAULT_BATCHES;
        }
        layerCases.forEach(LayerCase::byId);
        Timing timing = forks == null ? null : Timing.of(forks, warmups, iterationMs, iterations, iterationMs);
        return new BenchPlan(List.copyOf(models), List.copyOf(batches), List.copyOf(layerCases.stream().distinct()
                .toList()), quick, backend, impl, format, out, command, peakN, timing, List.copyOf(workers));
    }

    private static List<String> split(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}

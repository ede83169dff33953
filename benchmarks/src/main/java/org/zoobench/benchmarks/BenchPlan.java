package org.zoobench.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What one {@code bench} run on one backend measures and how long it spends on each measurement. The
 * {@code zoobench bench} command builds it from its options and hands it to the benchmark JVM as a JSON file; it
 * lives in the zoo because the CLI and the benchmarks share nothing else at compile time (each backend has a
 * classpath of its own).
 *
 * @param models     registered names, globs already expanded ({@link org.zoobench.zoo.ModelRegistry#names})
 * @param batches    batch sizes; null: {@link #DEFAULT_BATCHES}, or {@link #QUICK_BATCHES} when quick
 * @param input      the input shape every model is measured at ({@code CxHxW}, {@code FxT}); null: each model's
 *                   published one
 * @param workers    data-parallel worker counts whose training steps are also measured (more than one each); empty:
 *                   none
 * @param layers     whether to run the layer micro-benchmarks
 * @param layerCases which layer cases, by id; empty: all of them
 * @param backend    the backend asked for, as {@code --backend} spells it: cpu, avx2 or cuda
 * @param format     what to print: table, csv or json
 * @param command    the command line that asked for this, as the results record it
 * @param peakN      the size of the sgemm that measures this machine's peak
 * @param timing     null: the defaults of each stage (full or quick); otherwise these, for every stage
 * @param peer       the framework the models are also timed in, the same nets in the same sitting
 *                   ({@value PyTorchPeer#NAME}); null: none
 */
public record BenchPlan(List<String> models, List<Integer> batches, String input, List<Integer> workers,
                        boolean layers, List<String> layerCases, boolean quick, String backend, LayerImpl impl,
                        String format, Path out, String command, int peakN, Timing timing, String peer) {

    public static final List<Integer> DEFAULT_BATCHES = List.of(1, 8, 32, 64);
    public static final List<Integer> QUICK_BATCHES = List.of(1, 8);
    public static final int DEFAULT_PEAK_N = 1024;
    static final long JIT_WARM_UP_CAP_MS = 120_000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public BenchPlan {
        models = models == null ? List.of() : List.copyOf(models);
        batches = batches != null ? List.copyOf(batches) : quick ? QUICK_BATCHES : DEFAULT_BATCHES;
        workers = workers == null ? List.of() : List.copyOf(workers);
        layerCases = layerCases == null ? List.of() : List.copyOf(layerCases);
    }

    /** A plan without a peer framework. */
    public BenchPlan(List<String> models, List<Integer> batches, String input, List<Integer> workers, boolean layers,
                     List<String> layerCases, boolean quick, String backend, LayerImpl impl, String format, Path out,
                     String command, int peakN, Timing timing) {
        this(models, batches, input, workers, layers, layerCases, quick, backend, impl, format, out, command, peakN,
                timing, null);
    }

    /** The same plan, its models also timed in {@code framework} (null: none). */
    public BenchPlan withPeer(String framework) {
        return new BenchPlan(models, batches, input, workers, layers, layerCases, quick, backend, impl, format, out,
                command, peakN, timing, framework);
    }

    /** Forks, warm-up and measurement iterations of one stage. */
    public record Timing(int forks, int warmupIterations, long warmupMs, int iterations, long iterationMs) {
    }

    public Timing peakTiming() {
        return timing != null ? timing : quick ? new Timing(1, 1, 500, 2, 500) : new Timing(1, 2, 1000, 3, 1000);
    }

    public Timing modelTiming() {
        return timing != null ? timing : quick ? new Timing(1, 1, 1000, 2, 1000) : new Timing(1, 2, 2000, 3, 3000);
    }

    /**
     * The most a model stage's fork runs steps before JMH's warm-up, until the JIT is quiet ({@link JitWarmUp}): the
     * largest nets' training took up to a minute here. None in quick runs (their figures include the JIT's
     * warm-up, and the report says so) or under a timing of the caller's own (the tests').
     */
    public long jitWarmUpCapMs() {
        return timing != null || quick ? 0 : JIT_WARM_UP_CAP_MS;
    }

    /** Layer figures steer performance work: even quick runs keep several iterations for an error bar. */
    public Timing layerTiming() {
        return timing != null ? timing : quick ? new Timing(1, 1, 1000, 3, 500) : new Timing(2, 2, 1000, 4, 1000);
    }

    /** The options this plan benchmarks a model with. */
    public ModelOptions options(ModelEntry entry) {
        return options(entry, impl, input);
    }

    /**
     * A model's published options with these layers, at this input (null: the published one): one rule for the
     * CLI's checks and the benchmark forks, which get the two as system properties.
     */
    public static ModelOptions options(ModelEntry entry, LayerImpl impl, String input) {
        ModelOptions options = entry.defaultOptions().withImpl(impl);
        return input == null ? options : options.withInput(InputShape.parse(input));
    }

    public void write(Path file) throws IOException {
        JSON.writeValue(file.toFile(), this);
    }

    public static BenchPlan read(Path file) throws IOException {
        return JSON.readValue(file.toFile(), BenchPlan.class);
    }

    /**
     * Two bench results joined into one table, {@code b}'s speed-up over {@code a}.
     *
     * @param a      a results.json, or its folder
     * @param b      the same, of the run compared with a
     * @param format what to print: table or csv
     * @param out    where to write compare.md and compare.csv too; null: print only
     */
    public record Comparison(Path a, Path b, String format, Path out) {

        public void write(Path file) throws IOException {
            JSON.writeValue(file.toFile(), this);
        }

        public static Comparison read(Path file) throws IOException {
            return JSON.readValue(file.toFile(), Comparison.class);
        }
    }
}

package org.zoobench.benchmarks;

import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.UserInputException;
import org.zoobench.zoo.device.GpuFacts;
import org.zoobench.zoo.device.GpuPreflight;
import org.zoobench.zoo.device.GpuProbe;
import org.zoobench.zoo.parallel.WorkerDevices;
import org.zoobench.zoo.parallel.WorkerMode;
import org.zoobench.zoo.profile.ModelProfile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.regex.Pattern;

/**
 * The benchmark JVM behind {@code zoobench bench}: runs JMH (peak sgemm, models, layers) on whatever ND4J backend
 * is on its classpath, then writes JMH's JSON untouched, {@code results.json}, {@code models.csv},
 * {@code layers.csv}, {@code parallel.csv} (with {@code --workers}) and {@code results.md} to the output folder
 * and prints the table, CSV or JSON.
 * {@code compare A B} joins two {@code results.json}. Exit 2: bad arguments; 3: the backend did not load.
 */
public final class BenchMain {

    public static final int USER_ERROR = 2;
    public static final int BACKEND_UNAVAILABLE = 3;

    /** What {@code --backend} asks for, as {@link BenchEnvironment#backend()} reports it once loaded. */
    private static final Map<String, String> LOADED_NAME = Map.of("cpu", "cpu-onednn", "avx2", "cpu", "cuda", "cuda");

    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err));
    }

    public static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty()) {
            err.println("zoobench bench: expected 'run ...' or 'compare A.json B.json'");
            return USER_ERROR;
        }
        try {
            if (args.get(0).equals("compare")) {
                return compare(args.subList(1, args.size()), out);
            }
            if (args.get(0).equals("run")) {
                return runPlan(BenchPlan.parse(args.subList(1, args.size())), out, err);
            }
            err.println("zoobench bench: unknown action '" + args.get(0) + "'");
            return USER_ERROR;
        } catch (IllegalArgumentException | UserInputException e) {
            err.println("zoobench: " + e.getMessage());
            return USER_ERROR;
        } catch (IOException | RunnerException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code compare A B [--format table|csv] [--out DIR]}: prints the joined table, and writes it to DIR. */
    private static int compare(List<String> args, PrintStream print) throws IOException {
        List<String> files = new ArrayList<>();
        String format = "table";
        Path out = null;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--format") && i + 1 < args.size()) {
                format = args.get(++i);
            } else if (args.get(i).equals("--out") && i + 1 < args.size()) {
                out = Path.of(args.get(++i));
            } else {
                files.add(args.get(i));
            }
        }
        if (files.size() != 2) {
            throw new IllegalArgumentException("compare needs two result files (results.json or their folders)");
        }
        BenchResults a = BenchResults.read(resultsFile(files.get(0)));
        BenchResults b = BenchResults.read(resultsFile(files.get(1)));
        if (out != null) {
            Files.createDirectories(out);
            Files.writeString(out.resolve("compare.md"), BenchCompare.markdown(a, b));
            Files.writeString(out.resolve("compare.csv"), BenchCompare.csv(a, b));
        }
        print.print(format.equals("csv") ? BenchCompare.csv(a, b) : BenchCompare.markdown(a, b));
        return 0;
    }

    private static Path resultsFile(String arg) {
        Path p = Path.of(arg);
        Path file = Files.isDirectory(p) ? p.resolve("results.json") : p;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no results file at " + file
                    + " (expected a results.json written by `zoobench bench`, or its folder)");
        }
        return file;
    }

    private static int runPlan(BenchPlan plan, PrintStream out, PrintStream err) throws IOException, RunnerException {
        List<String> models = expandModels(plan.models());
        if (models.isEmpty() && plan.layerCases().isEmpty()) {
            throw new IllegalArgumentException("nothing to run: name at least one model, or --layers");
        }
        String gpuReport = null;
        if (plan.backend().equals("cuda")) {
            GpuProbe.Checked gpu = offMainThread(() -> GpuProbe.check(largestDemand(models, plan.batches()), true));
            if (!gpu.verdict().ok()) {
                err.println("zoobench: " + gpu.verdict().message());
                return USER_ERROR;
            }
            gpuReport = GpuPreflight.report(gpu.facts());
            err.print(gpuReport);
        }
        BenchEnvironment env;
        try {
            env = offMainThread(() -> BenchEnvironment.capture(plan.impl()));
        } catch (Throwable t) {
            err.println("zoobench: the " + plan.backend() + " backend did not load on this machine: " + rootMessage(t));
            return BACKEND_UNAVAILABLE;
        }
        String expected = LOADED_NAME.getOrDefault(plan.backend(), plan.backend());
        if (!env.backend().equals(expected)) {
            err.println("zoobench: asked for backend " + plan.backend() + " but ND4J loaded " + env.backend()
                    + " (" + env.backendClass() + "); the benchmark classpath is for another backend");
            return BACKEND_UNAVAILABLE;
        }
        boolean cuda = !Nd4j.getEnvironment().isCPU();
        for (int workers : plan.workers()) {
            WorkerDevices.check(workers, cuda, () -> cuda ? Nd4j.getAffinityManager().getNumberOfDevices()
                    : WorkerDevices.processors());
        }
        err.println("zoobench: " + env.summary());

        Path dir = plan.out().toAbsolutePath();
        Files.createDirectories(dir);
        if (gpuReport != null) {
            Files.writeString(dir.resolve("gpu-check.txt"), gpuReport);
        }
        Path facts = dir.resolve("facts");
        System.setProperty(ModelRunFacts.DIRECTORY_PROPERTY, facts.toString());
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = BenchResults.loadAverage();

        List<JmhResult> peakResults = List.of();
        List<JmhResult> modelResults = List.of();
        List<JmhResult> layerResults = List.of();
        if (!models.isEmpty()) {
            err.println("zoobench: measuring this machine's peak (sgemm " + plan.peakN() + "^3 through ND4J)");
            peakResults = jmh(dir, "peak", plan.peakTiming(), base(PeakBenchmark.class, "sgemm")
                    .param("n", String.valueOf(plan.peakN())));
            err.println("zoobench: " + models.size() + " model(s) x batches " + plan.batches()
                    + " x {inference, training}; JMH log: " + dir.resolve("jmh-models.log"));
            modelResults = jmh(dir, "models", plan.modelTiming(), base(ModelBenchmark.class, "(inference|training)",
                    "-D" + ModelRunFacts.DIRECTORY_PROPERTY + "=" + facts,
                    "-D" + ModelBenchmark.IMPL_PROPERTY + "=" + plan.impl().id())
                    .param("model", models.toArray(String[]::new))
                    .param("batch", plan.batches().stream().map(String::valueOf).toArray(String[]::new)));
        }
        List<JmhResult> parallelResults = List.of();
        List<Integer> parallelWorkers = plan.workers().stream().filter(w -> w > 1).toList();
        if (!models.isEmpty() && !parallelWorkers.isEmpty()) {
            err.println("zoobench: data-parallel training on " + parallelWorkers + " workers; JMH log: "
                    + dir.resolve("jmh-parallel.log"));
            parallelResults = jmh(dir, "parallel", plan.modelTiming(), base(ParallelTrainingBenchmark.class,
                    ParallelTrainingBenchmark.TRAINING, "-D" + ModelBenchmark.IMPL_PROPERTY + "=" + plan.impl().id())
                    .param("model", models.toArray(String[]::new))
                    .param("batch", plan.batches().stream().map(String::valueOf).toArray(String[]::new))
                    .param("workers", parallelWorkers.stream().map(String::valueOf).toArray(String[]::new)));
        }
        if (!plan.layerCases().isEmpty()) {
            String[] cases = plan.layerCases().toArray(String[]::new);
            String[] convCases = plan.layerCases().stream()
                    .filter(c -> LayerCase.byId(c).shape().kind() == LayerCase.Kind.CONV).toArray(String[]::new);
            err.println("zoobench: layer micro-benchmarks " + plan.layerCases() + "; JMH log: "
                    + dir.resolve("jmh-layers-stock.log") + ", jmh-layers-native.log");
            ChainedOptionsBuilder layers = base(StockLayerBenchmark.class, "(forward|backward)")
                    .param("layerCase", cases);
            layerResults = new ArrayList<>(jmh(dir, "layers-stock", plan.layerTiming(), layers));
            if (convCases.length > 0) {
                layerResults.addAll(jmh(dir, "layers-native", plan.layerTiming(),
                        base(NativeConvBenchmark.class, "(forward|backward)").param("layerCase", convCases)));
            }
        }

        BenchResults.Peak peak = BenchReport.peak(peakResults);
        List<BenchResults.ModelRow> modelRows = BenchReport.modelRows(models, plan.batches(), modelResults,
                ModelRunFacts.readAll(facts), peak);
        BenchResults results = new BenchResults(plan.command(), startedAt, env, loadBefore, BenchResults.loadAverage(),
                peak, modelRows,
                BenchReport.layerRows(layerResults, layerResults.isEmpty() ? "" : ConvPath.stockLayer(),
                        ConvPath.nativeOp(env.buildInfo(), Nd4j.getEnvironment().helpersAllowed())),
                BenchReport.parallelRows(modelRows, parallelWorkers, WorkerMode.recommended(cuda).id(),
                        parallelResults, peak));
        results.write(dir.resolve("results.json"));
        Files.writeString(dir.resolve("results.md"), BenchReport.markdown(results));
        if (!results.models().isEmpty()) {
            Files.writeString(dir.resolve("models.csv"), BenchReport.modelCsv(results));
        }
        if (!results.layers().isEmpty()) {
            Files.writeString(dir.resolve("layers.csv"), BenchReport.layerCsv(results));
        }
        if (!results.parallel().isEmpty()) {
            Files.writeString(dir.resolve("parallel.csv"), BenchReport.parallelCsv(results));
        }
        switch (plan.format()) {
            case "csv" -> out.print(results.models().isEmpty() ? BenchReport.layerCsv(results)
                    : BenchReport.modelCsv(results));
            case "json" -> out.println(results.toJson());
            default -> out.print(BenchReport.markdown(results));
        }
        err.println("zoobench: results in " + dir);
        return 0;
    }

    /**
     * The GPU memory the largest model needs for a training step at the smallest batch asked for (larger batches
     * step down on out-of-memory by themselves); null when there are no models.
     */
    private static GpuFacts.Demand largestDemand(List<String> models, List<Integer> batches) {
        int smallest = batches.stream().mapToInt(Integer::intValue).min().orElse(1);
        GpuFacts.Demand largest = null;
        for (String name : models) {
            ModelEntry entry = ModelRegistry.get(name);
            GpuFacts.Demand d = GpuFacts.Demand.of(ModelProfile.of(entry, entry.defaultOptions()), smallest, true);
            if (largest == null || d.bytes(smallest) > largest.bytes(smallest)) {
                largest = d;
            }
        }
        return largest;
    }

    /** Names and globs to registered names, in the order given, each once. */
    private static List<String> expandModels(List<String> patterns) {
        LinkedHashSet<String> names = new LinkedHashSet<>();
        for (String p : patterns) {
            ModelRegistry.matching(p).stream().map(ModelEntry::name).forEach(names::add);
        }
        return List.copyOf(names);
    }

    /**
     * JMH keeps only the last jvmArgsAppend, so every fork option is given here, once. A fork's log reaches the
     * user's terminal, not the stage's log file, so forks log warnings only; what backend binary was loaded is
     * recorded in the results' environment instead (libnd4j's build description and library path).
     */
    private static ChainedOptionsBuilder base(Class<?> benchmark, String methods, String... forkOptions) {
        List<String> jvmArgs = new ArrayList<>(List.of(forkOptions));
        jvmArgs.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        return new OptionsBuilder()
                .include("^" + Pattern.quote(benchmark.getName()) + "\\." + methods + "$")
                .jvmArgsAppend(jvmArgs.toArray(String[]::new))
                .shouldFailOnError(false);
    }

    /** Runs one JMH stage; its JSON result and its log land in the output folder as jmh-STAGE.json / .log. */
    private static List<JmhResult> jmh(Path dir, String stage, BenchPlan.Timing timing, ChainedOptionsBuilder options)
            throws RunnerException, IOException {
        Path json = dir.resolve("jmh-" + stage + ".json");
        new Runner(options
                .forks(timing.forks())
                .warmupIterations(timing.warmupIterations()).warmupTime(timing.warmupTime())
                .measurementIterations(timing.iterations()).measurementTime(timing.iterationTime())
                .resultFormat(ResultFormatType.JSON).result(json.toString())
                .output(dir.resolve("jmh-" + stage + ".log").toString())
                .build()).run();
        return JmhResult.read(json);
    }

    /**
     * Runs what loads ND4J on a thread of its own. Under {@code OMP_PROC_BIND} (the launcher sets it) libgomp pins the
     * thread that loads it to one core, and a JVM started by JMH inherits the CPU mask of the thread that starts it:
     * forks started from a pinned main thread would run every benchmark on one core.
     */
    private static <T> T offMainThread(Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        new Thread(future, "nd4j-loader").start();
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}

package org.zoobench.benchmarks;

import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.zoobench.UserInputException;
import org.zoobench.device.CpuPeak;
import org.zoobench.device.GpuFacts;
import org.zoobench.device.GpuPreflight;
import org.zoobench.device.GpuProbe;
import org.zoobench.device.ThisMachine;
import org.zoobench.parallel.WorkerDevices;
import org.zoobench.parallel.WorkerMode;
import org.zoobench.zoo.GitCommit;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.MemoryEstimate;
import org.zoobench.zoo.profile.ModelProfile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The benchmark JVM behind {@code zoobench bench}: runs JMH (peak sgemm, models, layers) on whatever ND4J backend
 * is on its classpath, then writes JMH's JSON untouched, {@code results.json}, {@code models.csv},
 * {@code layers.csv}, {@code parallel.csv} (with workers) and {@code results.md} to the output folder and prints
 * the table, CSV or JSON. Its arguments: {@code run PLAN.json} ({@link BenchPlan}) or {@code compare FILE.json}
 * ({@link BenchPlan.Comparison}: two {@code results.json} joined), written by the CLI.
 * Exit 2: a user mistake; 3: the backend did not load.
 */
public final class BenchMain {

    public static final int BACKEND_UNAVAILABLE = 3;

    /** Exit code when the benchmarks ran but a row did not measure (its fork crashed, or not even batch 1 fitted). */
    public static final int ROWS_FAILED = 4;

    /** Set once the work is done, so that exiting normally is not mistaken for being stopped. */
    private static volatile boolean finished;

    /** What {@code --backend} asks for, as {@link BenchEnvironment#backend()} reports it once loaded. */
    private static final Map<String, String> LOADED_NAME = Map.of("cpu", "cpu-onednn", "avx2", "cpu", "cuda", "cuda");

    private BenchMain() {
    }

    /** Only the CLI starts this JVM, with a file it has just written. */
    public static void main(String[] args) throws IOException {
        GitCommit.recordAtStart();
        Runtime.getRuntime().addShutdownHook(new Thread(BenchMain::stopForks, "zoobench-stop-forks"));
        Path file = Path.of(args[1]);
        int exit = args[0].equals("compare") ? compare(BenchPlan.Comparison.read(file), System.out, System.err)
                : run(BenchPlan.read(file), System.out, System.err);
        finished = true;
        System.exit(exit);
    }

    /**
     * When this JVM is stopped (SIGTERM, SIGINT): JMH's forks are killed and the JVM halts at once, before JMH's
     * runner, which keeps running during shutdown, can start the next fork or write results of a cut-short run.
     */
    private static void stopForks() {
        if (finished) {
            return;
        }
        for (int round = 0; round < 2; round++) {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        }
        Runtime.getRuntime().halt(143);
    }

    /** Measures what the plan asks for; 0, or the exit code after a one-line message on {@code err}. */
    public static int run(BenchPlan plan, PrintStream out, PrintStream err) {
        return oneLineErrors(err, () -> runPlan(plan, out, err));
    }

    /** Prints the joined table, and writes it to the comparison's folder when it names one. */
    public static int compare(BenchPlan.Comparison comparison, PrintStream out, PrintStream err) {
        return oneLineErrors(err, () -> compareResults(comparison, out));
    }

    private interface Action {
        int run() throws IOException, RunnerException;
    }

    private static int oneLineErrors(PrintStream err, Action action) {
        try {
            return action.run();
        } catch (IllegalArgumentException | UserInputException e) {
            err.println("zoobench: " + e.getMessage());
            return UserInputException.EXIT_CODE;
        } catch (IOException | RunnerException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int compareResults(BenchPlan.Comparison comparison, PrintStream print) throws IOException {
        BenchResults a = BenchResults.readChecked(resultsFile(comparison.a()));
        BenchResults b = BenchResults.readChecked(resultsFile(comparison.b()));
        if (comparison.out() != null) {
            Files.createDirectories(comparison.out());
            Files.writeString(comparison.out().resolve("compare.md"), BenchCompare.markdown(a, b));
            Files.writeString(comparison.out().resolve("compare.csv"), BenchCompare.csv(a, b));
        }
        print.print(comparison.format().equals("csv") ? BenchCompare.csv(a, b) : BenchCompare.markdown(a, b));
        return 0;
    }

    private static Path resultsFile(Path given) {
        Path file = Files.isDirectory(given) ? given.resolve("results.json") : given;
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("no results file at " + file
                    + " (expected a results.json written by `zoobench bench`, or its folder)");
        }
        return file;
    }

    private static int runPlan(BenchPlan plan, PrintStream out, PrintStream err) throws IOException, RunnerException {
        List<String> models = plan.models();
        List<String> layerCases = layerCases(plan);
        if (models.isEmpty() && layerCases.isEmpty()) {
            throw new UserInputException("nothing to run: name at least one model, or --layers");
        }
        String gpuReport = null;
        if (plan.backend().equals("cuda")) {
            // ND4J loads on a thread of its own, so that JMH's forks, started from this one, keep every CPU
            GpuProbe.Checked gpu = ThisMachine.onOwnThread("nd4j-loader",
                    () -> GpuProbe.check(largestDemand(plan), true));
            if (!gpu.verdict().ok()) {
                throw new UserInputException(gpu.verdict().message());
            }
            gpuReport = GpuPreflight.report(gpu.facts());
            err.print(gpuReport);
        }
        BenchEnvironment env;
        try {
            env = ThisMachine.onOwnThread("nd4j-loader", () -> BenchEnvironment.capture(plan.impl()));
        } catch (Throwable t) {
            err.println("zoobench: the " + plan.backend() + " backend did not load on this machine: "
                    + UserInputException.rootMessage(t));
            return BACKEND_UNAVAILABLE;
        }
        String expected = LOADED_NAME.getOrDefault(plan.backend(), plan.backend());
        if (!env.backend().equals(expected)) {
            err.println("zoobench: asked for backend " + plan.backend() + " but ND4J loaded " + env.backend()
                    + " (" + env.backendClass() + "); the benchmark classpath is for another backend");
            return BACKEND_UNAVAILABLE;
        }
        List<PyTorchPeer.Count> peerNets = peerNets(plan);
        boolean cuda = !Nd4j.getEnvironment().isCPU();
        for (int workers : plan.workers()) {
            WorkerDevices.check(workers, cuda, () -> cuda ? Nd4j.getAffinityManager().getNumberOfDevices()
                    : ThisMachine.processors());
        }
        err.println("zoobench: " + env.summary());

        Path dir = plan.out().toAbsolutePath();
        Files.createDirectories(dir);
        if (gpuReport != null) {
            Files.writeString(dir.resolve("gpu-check.txt"), gpuReport);
        }
        Path facts = dir.resolve("facts");
        String[] forkProperties = forkProperties(plan, facts, dir);
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String loadBefore = ThisMachine.loadAverage();

        List<JmhResult> peakResults = List.of();
        List<JmhResult> modelResults = List.of();
        List<JmhResult> layerResults = List.of();
        if (!models.isEmpty()) {
            String[] sizes = PeakBenchmark.sizes(plan.peakN());
            err.println("zoobench: measuring sgemm through ND4J at n = " + String.join(", ", sizes));
            peakResults = jmh(dir, "peak", plan.peakTiming(), base(PeakBenchmark.class, "sgemm").param("n", sizes));
            err.println("zoobench: " + models.size() + " model(s) x batches " + plan.batches()
                    + " x {inference, training}; JMH log: " + dir.resolve("jmh-models.log"));
            modelResults = jmh(dir, "models", plan.modelTiming(), base(ModelBenchmark.class, "(inference|training)",
                    forkProperties)
                    .param("model", models.toArray(String[]::new))
                    .param("batch", plan.batches().stream().map(String::valueOf).toArray(String[]::new)));
        }
        List<JmhResult> parallelResults = List.of();
        List<Integer> parallelWorkers = plan.workers().stream().filter(w -> w > 1).toList();
        if (!models.isEmpty() && !parallelWorkers.isEmpty()) {
            err.println("zoobench: data-parallel training on " + parallelWorkers + " workers; JMH log: "
                    + dir.resolve("jmh-parallel.log"));
            parallelResults = jmh(dir, "parallel", plan.modelTiming(), base(ParallelTrainingBenchmark.class,
                    ParallelTrainingBenchmark.TRAINING, forkProperties)
                    .param("model", models.toArray(String[]::new))
                    .param("batch", plan.batches().stream().map(String::valueOf).toArray(String[]::new))
                    .param("workers", parallelWorkers.stream().map(String::valueOf).toArray(String[]::new)));
        }
        if (!layerCases.isEmpty()) {
            String[] cases = layerCases.toArray(String[]::new);
            String[] convCases = layerCases.stream()
                    .filter(c -> LayerCase.byId(c).shape().kind() == LayerCase.Kind.CONV).toArray(String[]::new);
            err.println("zoobench: layer micro-benchmarks " + layerCases + "; JMH log: "
                    + dir.resolve("jmh-layers-stock.log") + ", jmh-layers-native.log");
            ChainedOptionsBuilder layers = base(StockLayerBenchmark.class, "(forward|backward)")
                    .param("layerCase", cases);
            layerResults = new ArrayList<>(jmh(dir, "layers-stock", plan.layerTiming(), layers));
            if (convCases.length > 0) {
                layerResults.addAll(jmh(dir, "layers-native", plan.layerTiming(),
                        base(NativeConvBenchmark.class, "(forward|backward)").param("layerCase", convCases)));
            }
        }
        List<PyTorchPeer.Row> peerRows = peerNets.isEmpty() ? List.of() : timePeers(plan, peerNets, err);

        BenchResults.Peak peak = BenchReport.peak(peakResults);
        CpuPeak cpuPeak = cuda ? null : CpuPeak.ofThisMachine().orElse(null);
        List<BenchResults.ModelRow> modelRows = BenchReport.modelRows(models, plan.batches(), modelResults,
                ModelRunFacts.readAll(facts), cpuPeak);
        BenchResults results = new BenchResults(plan.command(), GitCommit.atStart(), startedAt, env, loadBefore,
                ThisMachine.loadAverage(), peak, cpuPeak, modelRows,
                BenchReport.layerRows(layerResults, layerResults.isEmpty() ? "" : ConvPath.stockLayer(),
                        ConvPath.nativeOp(env.buildInfo(), Nd4j.getEnvironment().helpersAllowed())),
                BenchReport.parallelRows(modelRows, parallelWorkers, WorkerMode.recommended(cuda).id(),
                        parallelResults, cpuPeak), peerRows);
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
        if (!results.peers().isEmpty()) {
            Files.writeString(dir.resolve("peers.md"), BenchReport.peerSection(results));
        }
        switch (plan.format()) {
            case "csv" -> out.print(results.models().isEmpty() ? BenchReport.layerCsv(results)
                    : BenchReport.modelCsv(results));
            case "json" -> out.println(results.toJson());
            default -> out.print(BenchReport.markdown(results));
        }
        err.println("zoobench: results in " + dir);
        List<String> unmeasured = unmeasured(results);
        if (!unmeasured.isEmpty()) {
            err.println("zoobench: " + unmeasured.size() + " of the benchmarks did not measure (" + unmeasured.get(0)
                    + (unmeasured.size() > 1 ? "; the others are marked in results.md" : "") + "); see the JMH logs in "
                    + dir);
            return ROWS_FAILED;
        }
        return 0;
    }

    /**
     * The nets the plan also times in PyTorch, checked before anything is measured: PyTorch is there and every
     * peer has ZooBench's parameter count (else one line, exit 2). Empty without {@code --peer}.
     */
    private static List<PyTorchPeer.Count> peerNets(BenchPlan plan) {
        if (plan.peer() == null) {
            return List.of();
        }
        return PyTorchPeer.forModels(plan.peer(), plan.models()).checkSameNets(plan.models(), plan.impl(),
                plan.input());
    }

    /**
     * Each net at each batch in PyTorch, after ZooBench's stages, on as many threads as ZooBench had and with the
     * same warm-up and measurement time as its model stage.
     */
    private static List<PyTorchPeer.Row> timePeers(BenchPlan plan, List<PyTorchPeer.Count> nets, PrintStream err) {
        PyTorchPeer peer = PyTorchPeer.locate();
        int threads = ThisMachine.processors();
        err.println("zoobench: the same " + nets.size() + " model(s) in PyTorch (" + threads + " threads) x batches "
                + plan.batches() + " x {inference, training}");
        List<PyTorchPeer.Row> rows = new ArrayList<>();
        for (PyTorchPeer.Count net : nets) {
            for (int batch : plan.batches()) {
                PyTorchPeer.Row row = peer.time(net, batch, threads, plan.modelTiming());
                if (!row.ok()) {
                    err.println("zoobench: PyTorch " + net.model() + " at batch " + batch + ": " + row.failure());
                }
                rows.add(row);
            }
        }
        return rows;
    }

    /** Each pass that has no figure, e.g. "lenet5 batch 1 training: failed (jmh-models.log)". */
    static List<String> unmeasured(BenchResults results) {
        List<String> missing = new ArrayList<>();
        for (BenchResults.ModelRow row : results.models()) {
            String name = row.model() + " batch " + row.requestedBatch();
            whyNot(name + " inference", row.inference(), "jmh-models.log").ifPresent(missing::add);
            whyNot(name + " training", row.training(), "jmh-models.log").ifPresent(missing::add);
        }
        for (BenchResults.ParallelRow row : results.parallel()) {
            whyNot(row.model() + " batch " + row.batch() + " training on " + row.workers() + " workers",
                    row.training(), "jmh-parallel.log").ifPresent(missing::add);
        }
        return missing;
    }

    private static Optional<String> whyNot(String what, BenchResults.Pass pass, String log) {
        if (pass.ok()) {
            return Optional.empty();
        }
        return Optional.of(what + ": " + (pass.status().equals("oom") ? "out of memory at every batch size"
                : "failed, see " + log));
    }

    /** The layer cases the plan asks for, each known ({@link LayerCase#byId} fails in one line otherwise). */
    private static List<String> layerCases(BenchPlan plan) {
        if (!plan.layers()) {
            return List.of();
        }
        if (plan.layerCases().isEmpty()) {
            return Arrays.stream(LayerCase.values()).map(LayerCase::id).toList();
        }
        plan.layerCases().forEach(LayerCase::byId);
        return plan.layerCases().stream().distinct().toList();
    }

    /**
     * What the benchmark classes read from system properties: the facts folder, the layer implementation, the cap
     * of the JIT warm-up and the input. Set in this JVM too, for stages that run without forks; as JVM options for
     * the forks, with where a fork's crash report goes.
     */
    static String[] forkProperties(BenchPlan plan, Path facts, Path dir) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put(ModelRunFacts.DIRECTORY_PROPERTY, facts.toString());
        properties.put(ModelBenchmark.IMPL_PROPERTY, plan.impl().id());
        properties.put(JitWarmUp.CAP_PROPERTY, String.valueOf(plan.jitWarmUpCapMs()));
        System.clearProperty(ModelBenchmark.INPUT_PROPERTY);
        if (plan.input() != null) {
            properties.put(ModelBenchmark.INPUT_PROPERTY, plan.input());
        }
        properties.forEach(System::setProperty);
        List<String> options = new ArrayList<>(properties.entrySet().stream()
                .map(p -> "-D" + p.getKey() + "=" + p.getValue()).toList());
        // A fork that crashes (a native allocation that fails) leaves its report with the results, not wherever
        // the user happened to be.
        options.add("-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"));
        return options.toArray(String[]::new);
    }

    /**
     * The GPU memory the largest model needs for a training step at the smallest batch asked for (larger batches
     * step down on out-of-memory by themselves); null when there are no models.
     */
    private static GpuFacts.Demand largestDemand(BenchPlan plan) {
        int smallest = plan.batches().stream().mapToInt(Integer::intValue).min().orElse(1);
        GpuFacts.Demand largest = null;
        for (String name : plan.models()) {
            ModelEntry entry = ModelRegistry.get(name);
            GpuFacts.Demand d = MemoryEstimate.demand(ModelProfile.of(entry, plan.options(entry)), smallest, true);
            if (largest == null || d.bytes(smallest) > largest.bytes(smallest)) {
                largest = d;
            }
        }
        return largest;
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

    /**
     * Runs one JMH stage; its JSON result and its log land in the output folder as jmh-STAGE.json / .log. While
     * another JMH instance holds JMH's machine-wide lock, the stage waits for it rather than failing.
     */
    private static List<JmhResult> jmh(Path dir, String stage, BenchPlan.Timing timing, ChainedOptionsBuilder options)
            throws RunnerException, IOException {
        while (true) {
            JmhLock.awaitFree(System.err);
            try {
                return runStage(dir, stage, timing, options);
            } catch (RunnerException e) {
                if (!JmhLock.isLockFailure(e)) {
                    throw e;
                }
                // another instance took the lock between the wait and JMH's own attempt: wait again
            }
        }
    }

    private static List<JmhResult> runStage(Path dir, String stage, BenchPlan.Timing timing,
                                            ChainedOptionsBuilder options) throws RunnerException, IOException {
        Path json = dir.resolve("jmh-" + stage + ".json");
        new Runner(options
                .forks(timing.forks())
                .warmupIterations(timing.warmupIterations()).warmupTime(TimeValue.milliseconds(timing.warmupMs()))
                .measurementIterations(timing.iterations())
                .measurementTime(TimeValue.milliseconds(timing.iterationMs()))
                .resultFormat(ResultFormatType.JSON).result(json.toString())
                .output(dir.resolve("jmh-" + stage + ".log").toString())
                .build()).run();
        return JmhResult.read(json);
    }
}

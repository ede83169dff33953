package org.zoobench.cli;

import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.UserInputException;
import org.zoobench.zoo.bench.BenchPlan;
import org.zoobench.zoo.device.ThisMachine;
import org.zoobench.zoo.parallel.WorkerDevices;
import org.zoobench.zoo.profile.ModelProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code zoobench bench}: JMH throughput and latency of registered models, and layer micro-benchmarks. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchCompareCommand.class,
        description = {
                "Benchmarks inference (forward, no gradients) and training steps (forward, backward, update) of "
                        + "registered models with JMH, on random data after warm-up, and reports img/s, ms per step "
                        + "(mean, P50/P90/P99), GFLOP/s and %% of this CPU's theoretical FP32 peak (cores x clock x "
                        + "FLOP per cycle), beside the best sgemm measured in the same run.",
                "Results (JMH JSON as is, results.json, models.csv with timm's columns, results.md) go to --out.",
                "--backend cpu,cuda runs each backend in turn into --out/BACKEND and joins them: compare.md, "
                        + "compare.csv and speedup.png; a backend that cannot run here is skipped with its reason "
                        + "and the others' results are still written (exit 2).",
                "Runs in a separate JVM on the chosen backend's classpath (built with its Maven profile on first use)."})
public final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "MODEL", arity = "0..*",
            description = "registered model names or globs (e.g. lenet5 'resnet*'); see `zoobench models`")
    List<String> models = new ArrayList<>();

    @Option(names = "--backend", defaultValue = "cpu", split = ",", paramLabel = "BACKEND",
            description = "cpu (ND4J's CPU build with oneDNN), avx2 (its plain AVX2 build) or cuda (CUDA 11.6 + "
                    + "cuDNN), or several comma-separated to compare them, e.g. cpu,cuda; default cpu")
    List<Backend> backends;

    @Mixin
    LayerImplOption implementation;

    @Option(names = "--batch", split = ",", paramLabel = "N",
            description = "batch sizes, comma-separated (default 1,8,32,64; with --quick 1,8)")
    List<Integer> batches;

    @Option(names = "--input", paramLabel = "CxHxW",
            description = "measure every model at this input instead of its published one: CxHxW for images, FxT "
                    + "for sequences, e.g. 3x64x64")
    String input;

    @Option(names = "--workers", split = ",", paramLabel = "N",
            description = "also time training steps on N data-parallel workers (DL4J's ParallelWrapper), for each N "
                    + "given, e.g. 2,4: the batch split among them as in `train --workers`, with the speed-up over "
                    + "one worker; at most one per GPU, or per processor on the CPU")
    List<Integer> workers;

    @Option(names = "--quick", description = "one fork, one short warm-up and two short measurements per row")
    boolean quick;

    @Option(names = "--layers",
            description = "also run the layer micro-benchmarks (stock DL4J layers against ND4J's native conv ops)")
    boolean layers;

    @Option(names = "--format", defaultValue = "table", description = "what to print: table (Markdown), csv or json")
    OutputFormat format;

    @Option(names = "--out", paramLabel = "DIR", description = "results folder (default results/bench/BACKEND-TIME)")
    Path out;

    @Override
    public Integer call() {
        List<String> names = ModelRegistry.names(models);
        if (names.isEmpty() && !layers) {
            throw new UserInputException("name at least one model to benchmark (see `zoobench models`), or --layers");
        }
        if (batches != null && batches.stream().anyMatch(b -> b < 1)) {
            throw new UserInputException("batch sizes must be at least 1, got " + batches);
        }
        if (input != null) {
            checkInput(names);
        }
        List<Backend> distinct = List.copyOf(new LinkedHashSet<>(backends));
        if (workers != null) {
            // processors are counted here, before anything starts; GPUs by the benchmark JVM once CUDA is loaded
            boolean cpu = distinct.stream().anyMatch(b -> b != Backend.CUDA);
            workers.forEach(w -> WorkerDevices.check(w, !cpu, () -> cpu ? ThisMachine.processors()
                    : Integer.MAX_VALUE));
        }
        BenchLauncher launcher = BenchLauncher.fromLauncherRoot();
        String name = distinct.stream().map(Backend::toString).collect(Collectors.joining("-vs-"));
        Path folder = out != null ? out.toAbsolutePath() : launcher.root().resolve("results/bench")
                .resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        if (distinct.size() == 1) {
            BenchLauncher.checkBackendUsable(distinct.get(0), null);
            int exit = launcher.run(distinct.get(0), plan(distinct.get(0), folder));
            if (exit == 0) {
                BenchComparison.htmlReport(folder, spec.commandLine().getErr());
            }
            return exit;
        }
        return BenchComparison.run(launcher, distinct, folder, b -> plan(b, folder.resolve(b.toString())),
                format == OutputFormat.CSV ? "csv" : "table", spec.commandLine().getErr());
    }

    /**
     * Builds every model at --input now, so that a shape one of them cannot take fails in one line before anything
     * starts; on a thread of its own, since building loads ND4J and the benchmark JVM is started from this thread.
     */
    private void checkInput(List<String> names) {
        ThisMachine.onOwnThread("zoobench bench --input check", () -> {
            for (String name : names) {
                ModelEntry entry = ModelRegistry.get(name);
                ModelProfile.of(entry, BenchPlan.options(entry, implementation.impl, input));
            }
            return null;
        });
    }

    /** What the benchmark JVM of one backend is asked to do, its results in {@code folder}. */
    BenchPlan plan(Backend backend, Path folder) {
        return new BenchPlan(ModelRegistry.names(models), batches,
                input == null ? null : InputShape.parse(input).toString(), workers, layers, List.of(), quick,
                backend.toString(), implementation.impl, format.toString(), folder, commandLine(),
                BenchPlan.DEFAULT_PEAK_N, null);
    }

    /** The command as typed, quoted where a shell would need it, for the results to record. */
    private String commandLine() {
        return "./zoobench " + spec.root().commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.matches("[\\w@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}

package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.benchmarks.BenchPlan;
import org.zoobench.benchmarks.PyTorchPeer;
import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.device.ThisMachine;
import org.zoobench.parallel.WorkerDevices;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.MemoryEstimate;
import org.zoobench.zoo.profile.ModelProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
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

    @Option(names = "--peer", paramLabel = "FRAMEWORK",
            description = "also time the same nets in PyTorch (pytorch: the only one), in the same sitting, after "
                    + "checking each has ZooBench's parameter count; the table with the ratios goes to results.md and "
                    + "peers.md. Needs `" + PyTorchPeer.INSTALL + "` (or a python with PyTorch in "
                    + PyTorchPeer.PYTHON_ENV + ")")
    String peer;

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
        if (batches != null && batches.isEmpty() || workers != null && workers.isEmpty()) {
            throw new UserInputException((batches != null && batches.isEmpty() ? "--batch" : "--workers")
                    + " lists no number; give one or more, comma-separated, e.g. 1,8");
        }
        if (batches != null && batches.stream().anyMatch(b -> b < 1)) {
            throw new UserInputException("batch sizes must be at least 1, got " + batches);
        }
        if (input != null) {
            checkInput(names);
        }
        List<Backend> distinct = List.copyOf(new LinkedHashSet<>(backends));
        if (peer != null) {
            checkPeer(names, distinct);
        }
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
        checkOut(folder);
        try (BenchLock lock = BenchLock.acquire(spec.commandLine().getErr())) {
            if (distinct.size() == 1) {
                BenchLauncher.checkBackendUsable(distinct.get(0), null);
                int exit = launcher.run(distinct.get(0), plan(distinct.get(0), folder));
                if (exit == 0 || exit == ROWS_FAILED) {
                    BenchComparison.htmlReport(folder, spec.commandLine().getErr());
                }
                return exit;
            }
            return BenchComparison.run(launcher, distinct, folder, b -> plan(b, folder.resolve(b.toString())),
                    format == OutputFormat.CSV ? "csv" : "table", spec.commandLine().getErr());
        }
    }

    /** The benchmark JVM's exit code when it ran but a row did not measure (BenchMain.ROWS_FAILED). */
    static final int ROWS_FAILED = 4;

    /**
     * The results folder must be a folder this process can create and write; tried for real (procfs, a read-only
     * mount and the like answer only to a real attempt), then whatever the try created is removed again.
     */
    private static void checkOut(Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new UserInputException("--out " + folder + " is a file, not a folder; choose a new or empty folder");
        }
        Path firstCreated = null;
        for (Path p = folder; p != null && !Files.exists(p); p = p.getParent()) {
            firstCreated = p;
        }
        try {
            Files.createDirectories(folder);
            Files.delete(Files.createTempFile(folder, ".probe", ".tmp"));
        } catch (IOException | SecurityException e) {
            throw new UserInputException("cannot write benchmark results to " + folder + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + "); choose another folder with --out DIR");
        } finally {
            for (Path p = folder; firstCreated != null && p != null && p.startsWith(firstCreated); p = p.getParent()) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    break;
                }
            }
        }
    }

    /**
     * Builds every model at --input now, so that a shape one of them cannot take fails in one line before anything
     * starts; on a thread of its own, since building loads ND4J and the benchmark JVM is started from this thread.
     */
    private void checkInput(List<String> names) {
        ThisMachine.onOwnThread("zoobench bench --input check", () -> {
            int smallest = batches == null ? 1 : batches.stream().mapToInt(Integer::intValue).min().orElse(1);
            long available = MemoryEstimate.machineAvailableBytes();
            for (String name : names) {
                ModelEntry entry = ModelRegistry.get(name);
                ModelProfile profile = ModelProfile.of(entry, BenchPlan.options(entry, implementation.impl, input));
                // Larger batches step down when they do not fit; the smallest one has nothing to step down to.
                long needed = MemoryEstimate.bytes(profile, smallest, false);
                if (needed > available) {
                    throw new UserInputException(String.format(Locale.ROOT, "%s at input %s needs about %s for one "
                                    + "inference step at batch %d, more than the %s this machine has available; give "
                                    + "a smaller --input", name, input, MemoryEstimate.gigabytes(needed), smallest,
                            MemoryEstimate.gigabytes(available)));
                }
            }
            return null;
        });
    }

    /**
     * PyTorch runs on the CPU here: fails in one line, before anything is built or started, for another framework,
     * a GPU or several backends, no models, a python without PyTorch, or a peer that is not ZooBench's net.
     */
    private void checkPeer(List<String> names, List<Backend> distinct) {
        if (distinct.size() > 1 || distinct.get(0) == Backend.CUDA) {
            throw new UserInputException("--peer pytorch compares on this machine's CPU: use one CPU backend "
                    + "(--backend cpu or avx2), not " + distinct.stream().map(Backend::toString)
                    .collect(Collectors.joining(",")));
        }
        ThisMachine.onOwnThread("zoobench bench --peer check", () ->
                PyTorchPeer.forModels(peer, names).checkSameNets(names, implementation.impl, input));
    }

    /** What the benchmark JVM of one backend is asked to do, its results in {@code folder}. */
    BenchPlan plan(Backend backend, Path folder) {
        return new BenchPlan(ModelRegistry.names(models), batches,
                input == null ? null : InputShape.parse(input).toString(), workers, layers, List.of(), quick,
                backend.toString(), implementation.impl, format.toString(), folder, commandLine(),
                BenchPlan.DEFAULT_PEAK_N, null).withPeer(peer);
    }

    /** The command as typed, quoted where a shell would need it, for the results to record. */
    private String commandLine() {
        return "./zoobench " + spec.root().commandLine().getParseResult().originalArgs().stream()
                .map(a -> a.matches("[\\w@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }
}

package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.benchmarks.BenchPlan;
import org.zoobench.device.GpuFacts;
import org.zoobench.device.GpuPreflight;
import org.zoobench.device.GpuProbe;
import org.zoobench.device.ThisMachine;
import org.zoobench.zoo.GitCommit;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts the benchmark JVM ({@code org.zoobench.benchmarks.BenchMain}) on the benchmarks module's classpath for one
 * ND4J backend, or this CLI again on another backend's classpath (train, run and gpu-check on CUDA). The CLI has no
 * compile-time dependency on the benchmarks: each backend is a different set of native jars, so each gets its own
 * classpath file, written by Maven with that backend's profile.
 */
final class BenchLauncher implements BenchComparison.BenchJvm {

    static final String MAIN_CLASS = "org.zoobench.benchmarks.BenchMain";

    /** The backends `--backend` accepts, with the Maven profile that selects each. */
    enum Backend {
        CPU(null), AVX2("avx2"), CUDA("cuda");

        final String mavenProfile;

        Backend(String mavenProfile) {
            this.mavenProfile = mavenProfile;
        }

        /** As --backend, folder names, classpath files and the benchmark results spell it. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Path root;

    BenchLauncher(Path root) {
        this.root = root;
    }

    static BenchLauncher fromLauncherRoot() {
        return new BenchLauncher(Path.of(System.getProperty("zoobench.root", ".")).toAbsolutePath().normalize());
    }

    Path root() {
        return root;
    }

    /** The backend whose jars this JVM runs on: the launcher starts the CLI on cpu, a relaunch says which. */
    static final String RUNNING_BACKEND = "zoobench.backend";

    static Backend runningBackend() {
        return Backend.valueOf(System.getProperty(RUNNING_BACKEND, Backend.CPU.name()));
    }

    /**
     * Fails with one line, before anything is built or started, when the backend cannot run on this machine: for
     * cuda, the driver and devices as this machine reports them without loading CUDA ({@link GpuProbe#driver()}).
     *
     * @param demand GPU memory the work needs, or null
     */
    static void checkBackendUsable(Backend backend, GpuFacts.Demand demand) {
        if (backend == Backend.CUDA) {
            GpuPreflight.Verdict verdict = GpuProbe.check(demand, false).verdict();
            if (!verdict.ok()) {
                throw new UserInputException(verdict.message());
            }
        }
    }

    /**
     * For train, run and gpu-check: when this JVM is not on the backend asked for, checks it can run here and runs
     * the same command line again on that backend's classpath; its exit code, or empty to go on in this JVM.
     * On the CUDA classpath it loads the backend and checks the GPU, printing what it found to {@code err}.
     */
    OptionalInt onBackend(Backend backend, GpuFacts.Demand demand, List<String> originalArgs, PrintWriter err) {
        if (backend != runningBackend()) {
            checkBackendUsable(backend, demand);
            return OptionalInt.of(runCli(backend, originalArgs));
        }
        if (backend == Backend.CUDA) {
            GpuProbe.Checked gpu = GpuProbe.check(demand, true);
            if (!gpu.verdict().ok()) {
                throw new UserInputException(gpu.verdict().message());
            }
            err.print(GpuPreflight.report(gpu.facts()));
            err.flush();
        }
        return OptionalInt.empty();
    }

    /** This CLI with these arguments in a JVM on the backend's classpath (same JVM options), output passed through. */
    int runCli(Backend backend, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-D" + RUNNING_BACKEND + "=" + backend.name());
        command.add("-cp");
        command.add(classpath("experiments", backend));
        command.add(ZooBenchCli.class.getName());
        command.addAll(args);
        // in the user's directory, where the command's relative paths (--results, --data-dir) point
        return run(command, true, Path.of("").toAbsolutePath());
    }

    /**
     * A module's classpath for a backend, building it with that backend's Maven profile the first time and again
     * whenever a pom.xml has changed since (a dependency added later would be missing from the old list).
     */
    String classpath(String module, Backend backend) {
        Path classes = root.resolve(module + "/target/classes");
        Path list = root.resolve(module + "/target/classpath-" + backend + ".txt");
        if (!Files.isRegularFile(list) || !Files.isDirectory(classes) || olderThanAPom(list)) {
            build(module, backend);
        }
        try {
            return classes + java.io.File.pathSeparator + Files.readString(list).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean olderThanAPom(Path list) {
        try {
            FileTime listed = Files.getLastModifiedTime(list);
            for (String pom : List.of("pom.xml", "runtime/pom.xml", "zoo/pom.xml", "experiments/pom.xml",
                    "benchmarks/pom.xml")) {
                Path file = root.resolve(pom);
                if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).compareTo(listed) > 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void build(String module, Backend backend) {
        String profile = backend.mavenProfile == null ? "" : " -P" + backend.mavenProfile;
        // Both modules at once: the CLI and the benchmarks each keep a classpath file per backend. test-compile,
        // because both modules' test classpaths take the runtime's test-jar, which the compile phase cannot resolve.
        String mvn = "mvn -q -B -DskipTests" + profile + " -pl experiments,benchmarks -am test-compile";
        System.err.println("zoobench: building for the " + backend + " backend (" + mvn + ")"
                + (backend == Backend.CUDA ? "; the first time it downloads about 2.4 GB of CUDA jars..." : "..."));
        // Maven's stdout goes to stderr so that --format csv/json output stays clean.
        int exit = run(List.of("bash", "-c", mvn + " 1>&2"), false, root);
        if (exit != 0) {
            throw new UserInputException("building the " + backend + " classpath failed (`" + mvn
                    + "` exited " + exit + "; see its output above)");
        }
    }

    @Override
    public int run(Backend backend, BenchPlan plan) {
        // a crash report of the benchmark JVM itself goes with the results too, as its forks' do
        return benchMain(backend, "run", plan::write,
                "-XX:ErrorFile=" + plan.out().toAbsolutePath().resolve("hs_err_pid%p.log"));
    }

    /** Comparing reads two JSON files: any backend's classpath will do, and the default one is always built. */
    @Override
    public int compare(BenchPlan.Comparison comparison) {
        return benchMain(Backend.CPU, "compare", comparison::write);
    }

    /** What {@code BenchMain} is handed: a JSON file written here, read there. */
    private interface Request {
        void write(Path file) throws IOException;
    }

    /** Runs {@code BenchMain ACTION FILE} on the backend's classpath, output passed through; its exit code. */
    private int benchMain(Backend backend, String action, Request request, String... moreJavaOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions());
        command.addAll(List.of(moreJavaOptions));
        // The launching JVM prints tables and one-line messages; BenchMain turns ND4J's logging back on in the JMH
        // forks, whose output goes to the log files (a later -D of the same property wins).
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-D" + GitCommit.PROPERTY + "=" + GitCommit.atStart()); // the code this command started with
        command.add("-cp");
        command.add(classpath("benchmarks", backend));
        command.add(MAIN_CLASS);
        command.add(action);
        Path file = null;
        try {
            file = Files.createTempFile("zoobench-bench-" + action + "-", ".json");
            request.write(file);
            command.add(file.toString());
            return run(command, true, root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (file != null) {
                file.toFile().delete();
            }
        }
    }

    /**
     * Heap for JMH and DL4J's bookkeeping, and JavaCPP's pointers capped at half the machine's memory; JavaCPP's
     * check of the resident memory is off, as in every ZooBench JVM ({@link JavaCppMemoryCheck}): a batch too large
     * for the machine is the memory budget's to refuse ({@code MemoryBudget}). ZOOBENCH_BENCH_JAVA_OPTS replaces all
     * of it. JMH's forks inherit these options.
     */
    static List<String> javaOptions() {
        String custom = System.getenv("ZOOBENCH_BENCH_JAVA_OPTS");
        if (custom != null && !custom.isBlank()) {
            return List.of(custom.trim().split("\\s+"));
        }
        // not Linux: assume a small machine
        long total = ThisMachine.totalMemoryBytes().orElse(8L << 30);
        long offHeap = Math.max(2L << 30, total * 5 / 10);
        return List.of("-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=" + offHeap, JavaCppMemoryCheck.offOption());
    }

    /**
     * Runs a command to its end, output passed through. When this JVM is stopped (SIGTERM, SIGINT) the command
     * and everything it started (the benchmark JVM's forks) are stopped with it, not left running on their own.
     */
    static int run(List<String> command, boolean passStdout, Path directory) {
        // in place before the process starts, so that a stop that comes at once still finds it; the child runs (and
        // may start its own) before start() returns, so the stop waits for start() under the same lock
        AtomicReference<Process> started = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            Process child;
            synchronized (started) {
                child = started.get();
            }
            if (child != null) {
                stopTree(child);
            }
        }, "zoobench-stop-child");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT);
            pb.redirectOutput(passStdout ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
            Process process;
            synchronized (started) {
                process = pb.start();
                started.set(process);
            }
            try {
                return process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopTree(process);
                return 130;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it stops the process
            }
        }
    }

    /** How long a stopped child may take to stop its own children and exit before it is killed. */
    private static final long STOP_GRACE_MS = 10_000;

    /**
     * Asks the process to stop (SIGTERM: the benchmark JVM then kills its forks), waits a while, then kills it and
     * whatever it started that is still alive.
     */
    private static void stopTree(Process process) {
        List<ProcessHandle> started = process.descendants().toList();
        process.destroy();
        try {
            process.waitFor(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process.destroyForcibly();
        started.forEach(ProcessHandle::destroyForcibly);
    }
}

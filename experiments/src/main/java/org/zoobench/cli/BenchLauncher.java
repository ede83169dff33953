package org.zoobench.cli;

import org.zoobench.zoo.UserInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Starts the benchmark JVM ({@code org.zoobench.benchmarks.BenchMain}) on the benchmarks module's classpath for one
 * ND4J backend. The CLI has no compile-time dependency on the benchmarks: each backend is a different set of native
 * jars, so each gets its own classpath file, written by Maven with that backend's profile.
 */
final class BenchLauncher {

    static final String MAIN_CLASS = "org.zoobench.benchmarks.BenchMain";

    /** The backends `--backend` accepts, with the Maven profile that selects each. */
    enum Backend {
        cpu(null), onednn("onednn"), cuda("cuda");

        final String mavenProfile;

        Backend(String mavenProfile) {
            this.mavenProfile = mavenProfile;
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

    /** Fails with one line, before anything is built or started, when the backend cannot run on this machine. */
    static void checkBackendUsable(Backend backend) {
        if (backend == Backend.cuda && !gpuPresent()) {
            throw new UserInputException("--backend cuda needs an NVIDIA GPU and its driver, and this machine has "
                    + "none (no /dev/nvidia0, nvidia-smi finds no GPU); use --backend cpu or --backend onednn");
        }
    }

    static boolean gpuPresent() {
        if (Files.exists(Path.of("/dev/nvidia0"))) {
            return true;
        }
        try {
            Process smi = new ProcessBuilder("nvidia-smi", "-L").redirectErrorStream(true).start();
            String out = new String(smi.getInputStream().readAllBytes());
            return smi.waitFor(20, TimeUnit.SECONDS) && smi.exitValue() == 0
                    && out.toUpperCase(Locale.ROOT).contains("GPU");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The benchmark classpath for a backend, building it with that backend's Maven profile the first time. */
    String classpath(Backend backend) {
        return classpath("benchmarks", backend);
    }

    /** A module's classpath for a backend (classes plus jars), built with the backend's Maven profile if missing. */
    private String classpath(String module, Backend backend) {
        Path classes = root.resolve(module + "/target/classes");
        Path list = root.resolve(module + "/target/classpath-" + backend.name() + ".txt");
        if (!Files.isRegularFile(list) || !Files.isDirectory(classes)) {
            build(module, backend);
        }
        try {
            return classes + java.io.File.pathSeparator + Files.readString(list).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void build(String module, Backend backend) {
        String profile = backend.mavenProfile == null ? "" : " -P" + backend.mavenProfile;
        String mvn = "mvn -q -B -DskipTests" + profile + " -pl " + module + " -am compile";
        System.err.println("zoobench: building the " + module + " for the " + backend + " backend (" + mvn + ")...");
        // Maven's stdout goes to stderr so that --format csv/json output stays clean.
        int exit = run(List.of("bash", "-c", mvn + " 1>&2"), false);
        if (exit != 0) {
            throw new UserInputException("building the " + backend + " " + module + " classpath failed (`" + mvn
                    + "` exited " + exit + "; see its output above)");
        }
    }

    /** Runs {@code BenchMain} with these arguments on the backend's classpath, output passed through; its exit code. */
    int runBenchmarks(Backend backend, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions());
        // The launching JVM prints tables and one-line messages; BenchMain turns ND4J's logging back on in the JMH
        // forks, whose output goes to the log files (a later -D of the same property wins).
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(classpath(backend));
        command.add(MAIN_CLASS);
        command.addAll(args);
        return run(command, true);
    }

    /**
     * Runs the CLI itself with these arguments on the experiments module's classpath for {@code backend} (training
     * on a GPU: the same code, another ND4J backend's jars), output passed through; its exit code.
     */
    int runCli(Backend backend, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions());
        command.add("-Dzoobench.root=" + root);
        command.add("-cp");
        command.add(classpath("experiments", backend));
        command.add(ZooBenchCli.class.getName());
        command.addAll(args);
        return run(command, true);
    }

    /**
     * Heap for JMH and DL4J's bookkeeping; ND4J's off-heap buffers capped below physical memory so that a batch too
     * large fails as an OutOfMemoryError the benchmark can step down from, rather than the kernel killing the JVM.
     * ZOOBENCH_BENCH_JAVA_OPTS replaces all of it. JMH's forks inherit these options.
     */
    static List<String> javaOptions() {
        String custom = System.getenv("ZOOBENCH_BENCH_JAVA_OPTS");
        if (custom != null && !custom.isBlank()) {
            return List.of(custom.trim().split("\\s+"));
        }
        long total = physicalMemoryBytes();
        long gib = 1L << 30;
        long offHeap = Math.max(2 * gib, total * 5 / 10);
        long physical = Math.max(3 * gib, total * 6 / 10);
        return List.of("-Xmx2g", "-Dorg.bytedeco.javacpp.maxbytes=" + offHeap,
                "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + physical);
    }

    private static long physicalMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: assume a small machine
        }
        return 8L << 30;
    }

    private int run(List<String> command, boolean passStdout) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .redirectInput(ProcessBuilder.Redirect.INHERIT);
            pb.redirectOutput(passStdout ? ProcessBuilder.Redirect.INHERIT : ProcessBuilder.Redirect.DISCARD);
            return pb.start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }
}

package org.zoobench.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.stream.Stream;

/**
 * What Linux says about the machine and this process ({@code /proc}, cgroup v2), read in one place. Each fact is
 * empty, or has a fallback, where the file is missing: not Linux, or no cgroup quota.
 */
public final class ThisMachine {

    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path THREADS = Path.of("/proc/self/task");
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path LOADAVG = Path.of("/proc/loadavg");
    private static final Path CGROUP_CPU_MAX = Path.of("/sys/fs/cgroup/cpu.max");

    private ThisMachine() {
    }

    /**
     * The processors this process may use: the CPUs in any of its threads' affinity masks, and no more than its
     * cgroup's CPU quota allows. Not the JVM's availableProcessors(), which reads the calling thread's own mask,
     * nor /proc/self/status, the main thread's: once libnd4j has run an operation under OMP_PROC_BIND=true (as
     * ./zoobench and the tests set it), OpenMP has bound that thread, and each thread it starts, to one CPU; the
     * JVM's own threads (garbage collector, compilers) keep the mask the process started with.
     */
    public static int processors() {
        int cpus = threadCpus().orElseGet(() -> Runtime.getRuntime().availableProcessors());
        return readFirst(CGROUP_CPU_MAX, "").map(ThisMachine::quotaCpus).map(q -> Math.min(q, cpus)).orElse(cpus);
    }

    /**
     * Runs {@code task} (one that may load ND4J) on a new thread and returns its result. Under OMP_PROC_BIND=true
     * OpenMP binds the thread that loads libnd4j to one CPU, and a process started from a thread inherits that
     * thread's mask: a JVM started afterwards from the calling thread (a JMH fork, the benchmark JVM) keeps every
     * CPU only if the loading happened elsewhere.
     */
    public static <T> T onOwnThread(String name, Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        new Thread(future, name).start();
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The union of this process's threads' affinity masks (a thread that ends meanwhile is left out). */
    private static OptionalInt threadCpus() {
        BitSet cpus = new BitSet();
        try (Stream<Path> threads = Files.list(THREADS)) {
            threads.forEach(t -> readFirst(t.resolve("status"), "Cpus_allowed_list:").map(ThisMachine::cpuList)
                    .ifPresent(cpus::or));
        } catch (IOException | UncheckedIOException e) {
            return OptionalInt.empty();
        }
        return cpus.isEmpty() ? OptionalInt.empty() : OptionalInt.of(cpus.cardinality());
    }

    /** Physical memory (MemTotal). */
    public static OptionalLong totalMemoryBytes() {
        return kibibytes(MEMINFO, "MemTotal:");
    }

    /** Memory available to new work now (MemAvailable). */
    public static OptionalLong availableMemoryBytes() {
        return kibibytes(MEMINFO, "MemAvailable:");
    }

    /** Peak resident set size of this process so far (VmHWM): heap and ND4J's off-heap buffers. */
    public static OptionalLong peakResidentBytes() {
        return kibibytes(STATUS, "VmHWM:");
    }

    /** The 1, 5 and 15-minute load averages, e.g. {@code 0.52 / 0.60 / 0.71}, or "unknown". */
    public static String loadAverage() {
        return readFirst(LOADAVG, "").map(line -> line.split("\\s+")).filter(f -> f.length >= 3)
                .map(f -> f[0] + " / " + f[1] + " / " + f[2]).orElse("unknown");
    }

    /** The CPU's model name, or the architecture's name where /proc/cpuinfo does not say. */
    public static String cpuModel() {
        return readFirst(CPUINFO, "model name").map(rest -> rest.substring(rest.indexOf(':') + 1).strip())
                .orElseGet(() -> System.getProperty("os.arch"));
    }

    /** The CPUs of a kernel CPU list such as {@code 0-3,8,10-11}. */
    static BitSet cpuList(String list) {
        BitSet cpus = new BitSet();
        for (String range : list.split(",")) {
            String[] ends = range.strip().split("-");
            int first = Integer.parseInt(ends[0]);
            cpus.set(first, (ends.length == 1 ? first : Integer.parseInt(ends[1])) + 1);
        }
        return cpus;
    }

    /** The CPUs a cgroup v2 {@code cpu.max} ("QUOTA PERIOD", or "max PERIOD" for none) grants, rounded up. */
    static int quotaCpus(String cpuMax) {
        String[] fields = cpuMax.split("\\s+");
        if (fields[0].equals("max")) {
            return Integer.MAX_VALUE;
        }
        long quota = Long.parseLong(fields[0]);
        long period = Long.parseLong(fields[1]);
        return (int) Math.max(1, (quota + period - 1) / period);
    }

    /** A {@code Key:   1234 kB} line in bytes. */
    private static OptionalLong kibibytes(Path file, String key) {
        Optional<String> value = readFirst(file, key).map(v -> v.replaceAll("\\D", "")).filter(v -> !v.isEmpty());
        return value.isPresent() ? OptionalLong.of(Long.parseLong(value.get()) * 1024) : OptionalLong.empty();
    }

    /** The rest of the first line of {@code file} that starts with {@code prefix}, if the file can be read. */
    private static Optional<String> readFirst(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip()).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty();
        }
    }
}

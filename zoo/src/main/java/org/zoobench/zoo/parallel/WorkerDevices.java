package org.zoobench.zoo.parallel;

import org.zoobench.zoo.UserInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * How many data-parallel workers a machine takes. On CUDA each worker has a GPU of its own (ParallelWrapper puts
 * worker i on device i), so at most one per GPU CUDA can use. On the CPU the replicas share the cores: each
 * worker's steps run on its own thread beside the others', and past one worker per processor they only take turns
 * while costing a replica's memory each, so at most the processors this process may use.
 */
public final class WorkerDevices {

    private static final Path PROC_STATUS = Path.of("/proc/self/status");
    private static final Path CGROUP_CPU_MAX = Path.of("/sys/fs/cgroup/cpu.max");

    private WorkerDevices() {
    }

    /**
     * The processors this process may use: the CPUs of its affinity mask, as the kernel lists them for the process,
     * and no more than its cgroup's CPU quota allows. Not the JVM's availableProcessors(), which reads the calling
     * thread's own mask: once libnd4j has run an operation under OMP_PROC_BIND=true (as ./zoobench and the tests
     * set it), OpenMP has bound that thread, and the threads it starts, to one CPU.
     */
    public static int processors() {
        int cpus = readFirst(PROC_STATUS, "Cpus_allowed_list:").map(WorkerDevices::countCpus)
                .orElseGet(() -> Runtime.getRuntime().availableProcessors());
        return readFirst(CGROUP_CPU_MAX, "").map(WorkerDevices::quotaCpus).map(q -> Math.min(q, cpus)).orElse(cpus);
    }

    /** The rest of the first line of {@code file} that starts with {@code prefix}, if the file can be read. */
    private static Optional<String> readFirst(Path file, String prefix) {
        try {
            return Files.readAllLines(file).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(prefix.length()).strip()).findFirst();
        } catch (IOException | UncheckedIOException e) {
            return Optional.empty(); // not Linux, or no cgroup v2 quota file
        }
    }

    /** CPUs in a kernel CPU list such as {@code 0-3,8,10-11} (7). */
    static int countCpus(String list) {
        int count = 0;
        for (String range : list.split(",")) {
            String[] ends = range.strip().split("-");
            count += ends.length == 1 ? 1 : Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1;
        }
        return count;
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

    /**
     * The GPUs CUDA can use: those the driver lists, or fewer where {@code CUDA_VISIBLE_DEVICES} names fewer (set
     * but empty, it hides them all).
     */
    public static int visibleGpus(int listed, String cudaVisibleDevices) {
        if (cudaVisibleDevices == null) {
            return listed;
        }
        long named = Arrays.stream(cudaVisibleDevices.split(",")).filter(s -> !s.isBlank()).count();
        return (int) Math.min(listed, named);
    }

    /**
     * Fails with one line when {@code workers} is below 1, or above the devices the backend has (counted only for
     * more than one worker).
     */
    public static void check(int workers, boolean cuda, IntSupplier devicesCount) {
        if (workers < 1) {
            throw new UserInputException("--workers must be at least 1, got " + workers);
        }
        if (workers == 1) {
            return;
        }
        int devices = devicesCount.getAsInt();
        if (workers <= devices) {
            return;
        }
        throw new UserInputException(cuda
                ? String.format(Locale.ROOT, "--workers %d is more than the %d GPU%s CUDA can use here: each worker "
                + "trains on a GPU of its own, so at most %d", workers, devices, devices == 1 ? "" : "s", devices)
                : String.format(Locale.ROOT, "--workers %d is more than the %d processor%s this process may use: on "
                + "the CPU the workers share the cores, so at most %d (more would only take turns)", workers, devices,
                devices == 1 ? "" : "s", devices));
    }
}

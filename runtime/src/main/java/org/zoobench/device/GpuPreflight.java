package org.zoobench.device;

import org.zoobench.device.GpuFacts.Demand;
import org.zoobench.device.GpuFacts.Device;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides from {@link GpuFacts} alone whether {@code --backend cuda} can run here, and if not, says in one line what
 * is missing and what to do. Nothing here touches the machine, so every failure is testable without a GPU.
 */
public final class GpuPreflight {

    /** CUDA 11.6 GA needs this driver on Linux x86-64 (NVIDIA's CUDA toolkit and driver compatibility table). */
    public static final String MIN_DRIVER = "510.39.01";

    public enum Failure {
        NO_DRIVER, DRIVER_TOO_OLD, NO_DEVICE, CUDNN_MISSING, OUT_OF_MEMORY, BACKEND_FAILED
    }

    /** {@code failure} is null when the GPU can be used; {@code message} is then null too. */
    public record Verdict(Failure failure, String message) {
        public boolean ok() {
            return failure == null;
        }
    }

    private static final Verdict OK = new Verdict(null, null);
    /** The library the dynamic loader could not find, in an UnsatisfiedLinkError's message. */
    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("([\\w.+-]+\\.so[.\\d]*): cannot open shared object file");

    private GpuPreflight() {
    }

    public static Verdict judge(GpuFacts f) {
        if (f.driverVersion() == null) {
            return fail(Failure.NO_DRIVER, "no NVIDIA driver on this machine (no /proc/driver/nvidia/version, no "
                    + "nvidia-smi that reaches one): --backend cuda needs an NVIDIA GPU with driver >= " + MIN_DRIVER
                    + "; use --backend cpu here");
        }
        if (compareVersions(f.driverVersion(), MIN_DRIVER) < 0) {
            return fail(Failure.DRIVER_TOO_OLD, "NVIDIA driver " + f.driverVersion() + " is too old for CUDA 11.6, "
                    + "which needs >= " + MIN_DRIVER + ": upgrade the driver (no CUDA toolkit needed), "
                    + "or use --backend cpu");
        }
        if (f.libcuda() == null) {
            return fail(Failure.NO_DRIVER, "NVIDIA kernel driver " + f.driverVersion() + " is loaded but its library "
                    + "libcuda.so.1 is not on the dynamic loader's path (ldconfig -p): install the driver's user-space "
                    + "libraries (e.g. libnvidia-compute) or, in a container, start it with --gpus all");
        }
        if (f.devices() != null && f.devices().isEmpty()) {
            return fail(Failure.NO_DEVICE, "NVIDIA driver " + f.driverVersion() + " sees no GPU: check that "
                    + "CUDA_VISIBLE_DEVICES is unset or names a GPU and, in a container, that it runs with --gpus all");
        }
        if (f.backendError() != null) {
            return backendFailure(f);
        }
        if (f.backendLoaded() && cudnn(f.libraries()) == null) {
            return fail(Failure.CUDNN_MISSING, cudnnMissing("the CUDA backend loaded without it"));
        }
        Demand d = f.demand();
        if (d != null && f.devices() != null) {
            Device gpu = f.devices().get(0);
            long need = d.bytes(d.batch());
            if (need > gpu.freeBytes()) {
                int fits = largestBatchThatFits(d, gpu.freeBytes());
                return fail(Failure.OUT_OF_MEMORY, String.format(Locale.ROOT, "GPU %d (%s) is out of memory for %s "
                                + "at batch %d: it needs about %s and %s is free; %s", gpu.index(), gpu.name(),
                        d.what(), d.batch(), gb(need), gb(gpu.freeBytes()), fits > 0
                                ? "use --batch " + fits + " or less"
                                : "it does not fit even at batch 1, use a smaller model or --backend cpu"));
            }
        }
        return OK;
    }

    private static Verdict backendFailure(GpuFacts f) {
        String error = f.backendError();
        String lower = error.toLowerCase(Locale.ROOT);
        Matcher missing = MISSING_LIBRARY.matcher(error);
        String library = missing.find() ? missing.group(1) : "";
        if (library.startsWith("libcuda.so")) {
            return fail(Failure.NO_DRIVER, "the CUDA runtime cannot open the driver's " + library + " (" + error
                    + "): install the NVIDIA driver's user-space libraries or, in a container, start it with "
                    + "--gpus all");
        }
        if (library.contains("cudnn") || library.isEmpty() && lower.contains("cudnn")) {
            return fail(Failure.CUDNN_MISSING, cudnnMissing("loading it failed: " + error));
        }
        if (lower.contains("driver version is insufficient")) {
            return fail(Failure.DRIVER_TOO_OLD, "CUDA 11.6 says NVIDIA driver " + f.driverVersion() + " is too old ("
                    + error + "): upgrade the driver to >= " + MIN_DRIVER + ", or use --backend cpu");
        }
        if (lower.contains("no cuda-capable device")) {
            return fail(Failure.NO_DEVICE, "CUDA sees no GPU (" + error + "): check that CUDA_VISIBLE_DEVICES is "
                    + "unset or names a GPU and, in a container, that it runs with --gpus all");
        }
        return fail(Failure.BACKEND_FAILED, "the ND4J CUDA backend did not load (" + error + "): run "
                + "`./zoobench gpu-check` for the driver and libraries it found, or use --backend cpu");
    }

    private static String cudnnMissing(String detail) {
        return "cuDNN 8 (libcudnn.so.8) is missing, " + detail + ": it comes in the org.bytedeco:cuda redist jar, so "
                + "rebuild the CUDA classpath with `mvn -Pcuda -DskipTests package` (online)";
    }

    /** The largest power of two whose working set fits in the free bytes; 0 when not even one example fits. */
    static int largestBatchThatFits(Demand d, long freeBytes) {
        int batch = Integer.highestOneBit(Math.max(1, d.batch()));
        while (batch >= 1 && d.bytes(batch) > freeBytes) {
            batch /= 2;
        }
        return batch;
    }

    /** The loaded cuDNN library's path, or null. */
    static String cudnn(Map<String, String> libraries) {
        return libraries.entrySet().stream().filter(e -> e.getKey().toLowerCase(Locale.ROOT).contains("cudnn"))
                .map(Map.Entry::getValue).sorted().findFirst().orElse(null);
    }

    /** Numeric, part by part: 510.39.01 > 510.39 > 470.161.03. Non-numeric parts count as 0. */
    static int compareVersions(String a, String b) {
        String[] x = a.trim().split("\\.");
        String[] y = b.trim().split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Long.compare(part(x, i), part(y, i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static long part(String[] parts, int i) {
        try {
            return i < parts.length ? Long.parseLong(parts[i]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** What was found, one fact per line, for {@code zoobench gpu-check} and the benchmark folder. */
    public static String report(GpuFacts f) {
        StringBuilder s = new StringBuilder();
        s.append("NVIDIA driver: ").append(f.driverVersion() == null ? "none" : f.driverVersion())
                .append(" (CUDA 11.6 needs >= ").append(MIN_DRIVER).append(")\n");
        s.append("libcuda.so.1: ").append(f.libcuda() == null ? "not found" : f.libcuda()).append('\n');
        List<Device> devices = f.devices() == null ? List.of() : f.devices();
        for (Device d : devices) {
            s.append(String.format(Locale.ROOT, "GPU %d: %s, %s total, %s free, compute capability %s%n", d.index(),
                    d.name(), gb(d.totalBytes()), gb(d.freeBytes()), d.computeCapability()));
        }
        for (Map.Entry<String, String> lib : f.libraries().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .toList()) {
            s.append("loaded ").append(lib.getKey()).append(": ").append(lib.getValue()).append('\n');
        }
        return s.toString();
    }

    static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }

    private static Verdict fail(Failure failure, String message) {
        return new Verdict(failure, message);
    }
}

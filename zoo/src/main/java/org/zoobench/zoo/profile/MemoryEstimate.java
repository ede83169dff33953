package org.zoobench.zoo.profile;

import org.bytedeco.javacpp.Pointer;
import org.zoobench.device.GpuFacts;
import org.zoobench.device.ThisMachine;

import java.util.Locale;

/**
 * The memory a step of a model needs, worked out from its profile before anything is allocated, and the memory
 * this process can still get. ND4J's CPU buffers are plain native allocations that no Java limit sees: a batch
 * too large for RAM is not an exception but swapping, a hang, or the kernel's OOM killer, so callers compare the
 * two before the first step.
 *
 * <p>Estimate: every vertex output of the batch (what DL4J keeps for backprop) once for inference, three times
 * for training (activations, their gradients, and workspace slack), plus parameters once for inference and four
 * times for training (weights, gradients and Adam's two moments).
 */
public final class MemoryEstimate {

    /** Overrides {@link #availableBytes()} and {@link #machineAvailableBytes()} (tests use it to make a batch not fit). */
    public static final String AVAILABLE_PROPERTY = "zoobench.memoryAvailable";

    private MemoryEstimate() {
    }

    public static long bytes(ModelProfile profile, int batch, boolean training) {
        long params = profile.trainableParams() * 4L;
        long activations = profile.activationBytes() * batch;
        return training ? 3 * activations + 4 * params : activations + params;
    }

    /** The GPU memory one model needs at one batch, as the GPU checks take it: {@link #bytes}, linear in the batch. */
    public static GpuFacts.Demand demand(ModelProfile profile, int batch, boolean training) {
        long fixed = bytes(profile, 0, training);
        return new GpuFacts.Demand(profile.model() + (training ? " training" : " inference"), batch, fixed,
                bytes(profile, 1, training) - fixed);
    }

    /**
     * What this process can still allocate off-heap: what Linux says is available, and no more than JavaCPP's
     * caps (by default the JVM's -Xmx, and twice that for the whole process) leave.
     */
    public static long availableBytes() {
        String override = System.getProperty(AVAILABLE_PROPERTY);
        if (override != null) {
            return Long.parseLong(override);
        }
        long available = machineAvailableBytes();
        if (Pointer.maxBytes() > 0) {
            available = Math.min(available, Pointer.maxBytes() - Pointer.totalBytes());
        }
        if (Pointer.maxPhysicalBytes() > 0) {
            available = Math.min(available, Pointer.maxPhysicalBytes() - Pointer.physicalBytes());
        }
        return Math.max(0, available);
    }

    /** What Linux says is available now (MemAvailable); the JVM's heap limit elsewhere. */
    public static long machineAvailableBytes() {
        String override = System.getProperty(AVAILABLE_PROPERTY);
        if (override != null) {
            return Long.parseLong(override);
        }
        return ThisMachine.availableMemoryBytes().orElseGet(() -> Runtime.getRuntime().maxMemory());
    }

    /** Out of heap, out of JavaCPP's off-heap budget, or the CUDA allocator's failure, possibly wrapped by DL4J. */
    public static boolean isOutOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
            String message = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("out of memory") || message.contains("cannot allocate")
                    || message.contains("failed to allocate") || message.contains("memoryallocation")) {
                return true;
            }
        }
        return false;
    }

    /** E.g. "3.14 GB". */
    public static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }
}

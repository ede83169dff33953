package org.zoobench.benchmarks;

import org.bytedeco.javacpp.Pointer;
import org.zoobench.zoo.profile.MemoryEstimate;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.Locale;

/**
 * The memory a benchmark may use: a batch whose estimated working set ({@link MemoryEstimate}) exceeds the budget
 * counts as out of memory without being tried on the CPU, where a batch too large for RAM is not an exception but
 * the kernel's OOM killer, which on a shared machine may pick someone else's process (CUDA allocation failures
 * are real exceptions and are caught as they happen).
 */
public record MemoryBudget(long bytes) {

    /** Overrides the budget in bytes (tests use it to make a batch not fit). */
    public static final String PROPERTY = "zoobench.bench.memoryBudget";

    /** 80% of what Linux says is available now, and no more than JavaCPP's physical-memory cap. */
    public static MemoryBudget ofThisMachine() {
        String override = System.getProperty(PROPERTY);
        if (override != null) {
            return new MemoryBudget(Long.parseLong(override));
        }
        long available = MemoryEstimate.machineAvailableBytes();
        long cap = Pointer.maxPhysicalBytes() > 0 ? Pointer.maxPhysicalBytes() : Long.MAX_VALUE;
        return new MemoryBudget(Math.min(available * 8 / 10, cap));
    }

    public static long estimate(ModelProfile profile, int batch, boolean training) {
        return MemoryEstimate.bytes(profile, batch, training);
    }

    /** Throws the OutOfMemoryError the step-down expects when the estimate does not fit. */
    public void check(ModelProfile profile, int batch, boolean training) {
        long need = estimate(profile, batch, training);
        if (need > bytes) {
            throw new OutOfMemoryError(String.format(Locale.ROOT,
                    "estimated working set %.2f GB exceeds the memory budget %.2f GB", need / 1e9, bytes / 1e9));
        }
    }
}

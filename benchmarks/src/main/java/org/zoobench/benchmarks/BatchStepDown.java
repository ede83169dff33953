package org.zoobench.benchmarks;

import org.zoobench.zoo.profile.MemoryEstimate;

import java.util.ArrayList;
import java.util.List;

/**
 * What timm's benchmark does when a batch does not fit: try the step once at the requested batch size, and on
 * out-of-memory halve the batch and try again, remembering every size that failed.
 */
public final class BatchStepDown {

    /** A step that can be tried at a batch size; it throws when that batch does not fit. */
    @FunctionalInterface
    public interface Trial {
        void run(int batchSize) throws Exception;
    }

    /** Called between attempts so the failed attempt's memory is released before the next one. */
    @FunctionalInterface
    public interface Cleanup {
        void run();
    }

    /**
     * @param batch  the batch size that fits, or 0 when not even a batch of one did
     * @param failed the sizes that ran out of memory, largest first
     * @param reason the first out-of-memory message, empty when nothing failed
     */
    public record Outcome(int requested, int batch, List<Integer> failed, String reason) {
        public boolean steppedDown() {
            return !failed.isEmpty();
        }

        public boolean fits() {
            return batch > 0;
        }
    }

    private BatchStepDown() {
    }

    public static Outcome find(int requested, Trial trial, Cleanup cleanup) throws Exception {
        List<Integer> failed = new ArrayList<>();
        String reason = "";
        for (int batch = requested; batch >= 1; batch /= 2) {
            try {
                trial.run(batch);
                return new Outcome(requested, batch, List.copyOf(failed), reason);
            } catch (Throwable t) {
                if (!isOutOfMemory(t)) {
                    throw t;
                }
                if (failed.isEmpty()) {
                    reason = String.valueOf(t.getMessage());
                }
                failed.add(batch);
                cleanup.run();
            }
        }
        return new Outcome(requested, 0, List.copyOf(failed), reason);
    }

    static boolean isOutOfMemory(Throwable t) {
        return MemoryEstimate.isOutOfMemory(t);
    }
}

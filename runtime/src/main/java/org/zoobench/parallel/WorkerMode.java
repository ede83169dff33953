package org.zoobench.parallel;

import org.deeplearning4j.parallelism.ParallelWrapper.TrainingMode;
import org.zoobench.UserInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How the replicas of a data-parallel run stay in step: ParallelWrapper's two built-in training modes. */
public enum WorkerMode {
    /**
     * Every worker takes its own step, then parameters and updater state are averaged across the replicas after
     * every step (averaging frequency 1): synchronous, exact, and close to one worker on the whole batch.
     */
    AVERAGING(TrainingMode.AVERAGING),
    /**
     * Every worker's update is threshold-encoded (Strom 2015) and applied by all replicas, its residual kept for
     * later: compressed messages between devices, so a replica applies the sum of all workers' updates each step.
     */
    SHARED_GRADIENTS(TrainingMode.SHARED_GRADIENTS);

    private final TrainingMode trainingMode;

    WorkerMode(TrainingMode trainingMode) {
        this.trainingMode = trainingMode;
    }

    /** The lower-case name used on the command line and in records, e.g. {@code shared-gradients}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    TrainingMode trainingMode() {
        return trainingMode;
    }

    public static WorkerMode parse(String text) {
        for (WorkerMode mode : values()) {
            if (mode.id().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new UserInputException("unknown worker mode '" + text + "'; expected "
                + Arrays.stream(values()).map(WorkerMode::id).collect(Collectors.joining(" or ")));
    }

    /**
     * The mode DL4J recommends for the backend. On CUDA, gradient sharing: DL4J's multi-GPU examples use it as "a
     * more effective distributed training method", since its compressed updates cost little to move between GPUs.
     * On the CPU, ParallelWrapper's own default, averaging: the replicas share one memory, so there is nothing to
     * compress, and encoding every update would only take CPU time from training.
     */
    public static WorkerMode recommended(boolean cuda) {
        return cuda ? SHARED_GRADIENTS : AVERAGING;
    }
}

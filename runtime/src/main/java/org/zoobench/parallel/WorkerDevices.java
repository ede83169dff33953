package org.zoobench.parallel;

import org.zoobench.UserInputException;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;

/**
 * How many data-parallel workers a machine takes. On CUDA each worker has a GPU of its own (ParallelWrapper puts
 * worker i on device i), so at most one per GPU CUDA can use. On the CPU the replicas share the cores: each
 * worker's steps run on its own thread beside the others', and past one worker per processor they only take turns
 * while costing a replica's memory each, so at most the processors this process may use
 * ({@link org.zoobench.device.ThisMachine#processors()}).
 */
public final class WorkerDevices {

    private WorkerDevices() {
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

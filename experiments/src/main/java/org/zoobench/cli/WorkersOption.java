package org.zoobench.cli;

import org.zoobench.cli.BenchLauncher.Backend;
import org.zoobench.experiments.results.DataParallel;
import org.zoobench.UserInputException;
import org.zoobench.device.GpuFacts;
import org.zoobench.device.GpuProbe;
import org.zoobench.parallel.WorkerDevices;
import org.zoobench.parallel.WorkerMode;
import org.zoobench.device.ThisMachine;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code --workers N [--worker-mode MODE]}, for train and run: data-parallel training with DL4J's ParallelWrapper. */
final class WorkersOption {

    @Option(names = "--workers", defaultValue = "1", paramLabel = "N",
            description = "data-parallel workers (DL4J's ParallelWrapper): N model replicas, one per GPU with "
                    + "--backend cuda, sharing the cores on the CPU (at most one per processor); each step's batch is "
                    + "split among them (default ${DEFAULT-VALUE}: no ParallelWrapper)")
    int workers;

    @Option(names = "--worker-mode", converter = Converters.WorkerModeConverter.class, paramLabel = "MODE",
            description = "how the replicas stay in step: averaging (parameters and updater state averaged after "
                    + "every step) or shared-gradients (threshold-compressed updates shared between replicas) "
                    + "(default: shared-gradients with --backend cuda, as DL4J recommends for GPUs; averaging on "
                    + "the CPU)")
    WorkerMode mode;

    /**
     * The workers asked for, checked against the backend's devices and the batches they split; null for one
     * worker, which trains as the runner always has.
     */
    DataParallel dataParallel(Backend backend, List<Integer> batches) {
        boolean cuda = backend == Backend.CUDA;
        WorkerDevices.check(workers, cuda, () -> devices(backend));
        if (workers == 1) {
            if (mode != null) {
                throw new UserInputException("--worker-mode " + mode.id() + " needs --workers of at least 2");
            }
            return null;
        }
        int smallest = batches.stream().mapToInt(Integer::intValue).min().orElse(workers);
        if (smallest < workers) {
            throw new UserInputException(String.format("a batch of %d cannot be split among %d workers: use a "
                    + "--batch of at least %d, or fewer --workers", smallest, workers, workers));
        }
        return new DataParallel(workers, mode != null ? mode : WorkerMode.recommended(cuda));
    }

    /** The devices workers can each have: GPUs CUDA can use (checked for a usable driver first), or processors. */
    private static int devices(Backend backend) {
        if (backend != Backend.CUDA) {
            return ThisMachine.processors();
        }
        BenchLauncher.checkBackendUsable(backend, null);
        List<GpuFacts.Device> listed = GpuProbe.driver().devices();
        return WorkerDevices.visibleGpus(listed == null ? 0 : listed.size(), System.getenv("CUDA_VISIBLE_DEVICES"));
    }

}

package org.zoobench.parallel;

import org.junit.jupiter.api.Test;
import org.zoobench.UserInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerDevicesTest {

    private static String refusal(int workers, boolean cuda, int devices) {
        return assertThrows(UserInputException.class, () -> WorkerDevices.check(workers, cuda, () -> devices))
                .getMessage();
    }

    @Test
    void workersAreAtLeastOneAndAtMostOnePerDevice() {
        assertEquals("--workers must be at least 1, got 0", refusal(0, false, 4));
        assertEquals("--workers 3 is more than the 2 GPUs CUDA can use here: each worker trains on a GPU of its "
                + "own, so at most 2", refusal(3, true, 2));
        assertEquals("--workers 2 is more than the 1 GPU CUDA can use here: each worker trains on a GPU of its own, "
                + "so at most 1", refusal(2, true, 1));
        assertEquals("--workers 5 is more than the 4 processors this process may use: on the CPU the workers share the "
                + "cores, so at most 4 (more would only take turns)", refusal(5, false, 4));
        WorkerDevices.check(4, false, () -> 4);
        WorkerDevices.check(1, true, () -> {
            throw new AssertionError("one worker needs no device count");
        });
    }

    @Test
    void cudaVisibleDevicesCanHideGpus() {
        assertEquals(4, WorkerDevices.visibleGpus(4, null));
        assertEquals(2, WorkerDevices.visibleGpus(4, "0,2"));
        assertEquals(1, WorkerDevices.visibleGpus(4, "GPU-8f6c1a2e-0000-0000-0000-000000000000"));
        assertEquals(0, WorkerDevices.visibleGpus(4, ""));
        assertEquals(1, WorkerDevices.visibleGpus(1, "0,1,2"));
    }

    @Test
    void modesByTheirCommandLineNames() {
        assertEquals(WorkerMode.SHARED_GRADIENTS, WorkerMode.parse("shared-gradients"));
        assertEquals("averaging", WorkerMode.AVERAGING.id());
        assertEquals(WorkerMode.SHARED_GRADIENTS, WorkerMode.recommended(true));
        assertEquals(WorkerMode.AVERAGING, WorkerMode.recommended(false));
        assertEquals("unknown worker mode 'sync'; expected averaging or shared-gradients",
                assertThrows(UserInputException.class, () -> WorkerMode.parse("sync")).getMessage());
    }
}

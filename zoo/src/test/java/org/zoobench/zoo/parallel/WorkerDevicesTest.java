package org.zoobench.zoo.parallel;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.UserInputException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void processorsAreCountedFromTheProcessMaskAndCgroupQuota() {
        assertEquals(7, WorkerDevices.countCpus("0-3,8,10-11"));
        assertEquals(1, WorkerDevices.countCpus("0"));
        assertEquals(Integer.MAX_VALUE, WorkerDevices.quotaCpus("max 100000"));
        assertEquals(2, WorkerDevices.quotaCpus("150000 100000"));
        assertEquals(1, WorkerDevices.quotaCpus("50000 100000"));
        // libnd4j's OpenMP binding narrows this thread's mask once it has run an operation; the count must not move
        int before = WorkerDevices.processors();
        Nd4j.rand(256, 256).mmul(Nd4j.rand(256, 256)).sumNumber();
        assertEquals(before, WorkerDevices.processors());
        assertTrue(before >= 1);
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

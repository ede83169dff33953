package org.zoobench.device;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThisMachineTest {

    @Test
    void processorsAreCountedFromTheProcessMaskAndCgroupQuota() {
        assertEquals(7, ThisMachine.cpuList("0-3,8,10-11").cardinality());
        assertEquals(1, ThisMachine.cpuList("0").cardinality());
        assertEquals(Integer.MAX_VALUE, ThisMachine.quotaCpus("max 100000"));
        assertEquals(2, ThisMachine.quotaCpus("150000 100000"));
        assertEquals(1, ThisMachine.quotaCpus("50000 100000"));
        // libnd4j's OpenMP binding narrows a thread's mask once it has run an operation there; the count must not
        // move, whichever thread asks (the bench JVM asks from its main thread, which OpenMP binds)
        int before = ThisMachine.processors();
        Nd4j.rand(256, 256).mmul(Nd4j.rand(256, 256)).sumNumber();
        assertEquals(before, ThisMachine.processors());
        assertTrue(before >= 1);
    }

    @Test
    void memoryAndLoadAreReadWhereLinuxSaysThem() {
        // every Linux kernel ZooBench runs on has MemAvailable (3.14 and later)
        if (ThisMachine.totalMemoryBytes().isPresent()) {
            long total = ThisMachine.totalMemoryBytes().getAsLong();
            long available = ThisMachine.availableMemoryBytes().orElseThrow();
            assertTrue(available > 0 && available <= total, available + " of " + total);
            assertTrue(ThisMachine.peakResidentBytes().orElseThrow() > 0);
            assertTrue(ThisMachine.loadAverage().matches("[\\d.]+ / [\\d.]+ / [\\d.]+"), ThisMachine.loadAverage());
        }
        assertFalse(ThisMachine.cpuModel().isBlank());
    }
}

package org.zoobench.benchmarks;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchStepDownTest {

    @Test
    void halvesTheBatchUntilItFitsAndRecordsEverySizeThatDidNot() throws Exception {
        List<Integer> tried = new ArrayList<>();
        int[] cleanups = {0};
        BatchStepDown.Outcome outcome = BatchStepDown.find(64, batch -> {
            tried.add(batch);
            if (batch > 16) {
                throw new OutOfMemoryError("Java heap space");
            }
        }, () -> cleanups[0]++);

        assertEquals(List.of(64, 32, 16), tried);
        assertEquals(16, outcome.batch());
        assertEquals(List.of(64, 32), outcome.failed());
        assertTrue(outcome.steppedDown());
        assertEquals(2, cleanups[0]);
    }

    @Test
    void recognisesOffHeapExhaustionWrappedByDl4j() throws Exception {
        BatchStepDown.Outcome outcome = BatchStepDown.find(8, batch -> {
            if (batch == 8) {
                throw new RuntimeException("op failed", new IllegalStateException(
                        "Cannot allocate 1073741824 + 2147483648 bytes (> Pointer.maxBytes)"));
            }
        }, () -> { });
        assertEquals(4, outcome.batch());
        assertEquals(List.of(8), outcome.failed());
    }

    @Test
    void reportsNoFittingBatchWhenEvenOneRunsOutOfMemory() throws Exception {
        BatchStepDown.Outcome outcome = BatchStepDown.find(4, batch -> {
            throw new OutOfMemoryError("Physical memory usage is too high");
        }, () -> { });
        assertFalse(outcome.fits());
        assertEquals(List.of(4, 2, 1), outcome.failed());
    }

    @Test
    void otherFailuresAreNotMistakenForOutOfMemory() {
        assertThrows(IllegalArgumentException.class, () -> BatchStepDown.find(4, batch -> {
            throw new IllegalArgumentException("shape mismatch");
        }, () -> { }));
    }
}

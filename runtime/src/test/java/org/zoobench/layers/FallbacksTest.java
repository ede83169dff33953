package org.zoobench.layers;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FallbacksTest {

    @Test
    @NoFallbacks.FallsBackOnPurpose
    void aFailingNativeOpIsCountedOrFatalNeverSilent() {
        RuntimeException failure = new IllegalStateException("op rejected its arguments");
        long counted = Fallbacks.count();
        assertThrows(IllegalStateException.class, () -> Fallbacks.guard("conv1", "forward", () -> {
            throw failure;
        }), "strict in tests");
        assertEquals(counted + 1, Fallbacks.count(), "counted even when thrown: DL4J may catch it");
        String strict = System.clearProperty(Fallbacks.STRICT_PROPERTY);
        try {
            long before = Fallbacks.count();
            assertNull(Fallbacks.guard("conv1", "forward", () -> {
                throw failure;
            }));
            assertEquals(before + 1, Fallbacks.count());
        } finally {
            if (strict != null) {
                System.setProperty(Fallbacks.STRICT_PROPERTY, strict);
            }
        }
    }
}

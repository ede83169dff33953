package org.zoobench.experiments;

import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.zoobench.layers.NoFallbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The runtime's {@link NoFallbacks} guards this module's tests too: a test during which a fast layer fell back to
 * DL4J's Java code fails, with this module's test class path and JUnit configuration as Maven runs them.
 */
class NoFallbacksGuardsThisModuleTest {

    /** Run only by the test below (Maven's test run skips nested classes): a test that falls back. */
    static class FallingBack {
        @Test
        void aFastLayerFallsBack() {
            NoFallbacks.fallBackOnce("conv1");
        }
    }

    @Test
    @NoFallbacks.FallsBackOnPurpose
    void aTestDuringWhichAFastLayerFellBackFails() {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(FallingBack.class)).build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        assertEquals(1, summary.getTestsFoundCount());
        assertEquals(1, summary.getTestsFailedCount(), "the test that fell back fails");
        String message = summary.getFailures().get(0).getException().getMessage();
        assertTrue(message.contains("fell back to DL4J's Java code"), message);
    }
}

package org.zoobench.layers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails every test during which a fast layer fell back to DL4J's Java code. Under strict mode the helper throws,
 * but DL4J's batch norm and convolution layers catch that and carry on with their own code (logging a warning), so
 * the exception alone would let a broken fast layer pass every equality test against stock. Registered for all
 * tests through {@code META-INF/services} (JUnit's extension autodetection, {@code junit-platform.properties}): the
 * runtime's own, and every module's that has the runtime's test-jar on its test class path (a module with a
 * {@code junit-platform.properties} of its own must enable the autodetection there too).
 */
public final class NoFallbacks implements BeforeEachCallback, AfterEachCallback {

    /** A test that makes native calls fail on purpose. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    public @interface FallsBackOnPurpose {
    }

    /** What a fast layer's native op failing looks like from outside: counted, and caught as DL4J's layers do. */
    public static void fallBackOnce(String layerName) {
        try {
            Fallbacks.guard(layerName, "forward", () -> {
                throw new IllegalStateException("a native op rejected its arguments");
            });
        } catch (IllegalStateException caughtAsDl4jDoes) {
            // strict mode threw it; the layer would now run its Java code
        }
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoFallbacks.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NAMESPACE).put("before", Fallbacks.count());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (context.getRequiredTestMethod().isAnnotationPresent(FallsBackOnPurpose.class)) {
            return;
        }
        long before = context.getStore(NAMESPACE).get("before", Long.class);
        assertEquals(before, Fallbacks.count(), "fast layer calls that fell back to DL4J's Java code (see the log)");
    }
}

package org.zoobench.layers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a native layer op fails. A stock DL4J layer treats a helper that returns null as "use the
 * Java implementation", so a failure could go unnoticed and a run would silently measure the stock layers. Here
 * every failure is counted (runs record {@link #count()}) and warned about once per layer and pass; with the
 * system property {@value #STRICT_PROPERTY}{@code =true} (set for the tests) it is thrown instead, and because
 * DL4J's batch norm and convolution layers catch what their helpers throw and carry on with their Java code, the
 * zoo's tests also fail any test during which {@link #count()} grew.
 */
public final class Fallbacks {

    public static final String STRICT_PROPERTY = "zoobench.layers.strict";

    private static final Logger log = LoggerFactory.getLogger(Fallbacks.class);
    private static final AtomicLong COUNT = new AtomicLong();
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private Fallbacks() {
    }

    /** How many native layer calls have fallen back to DL4J's Java implementation in this JVM. */
    public static long count() {
        return COUNT.get();
    }

    static <T> T guard(String layerName, String pass, Supplier<T> nativeCall) {
        try {
            return nativeCall.get();
        } catch (RuntimeException e) {
            if (String.valueOf(e.getMessage()).contains("Failed to allocate")) {
                throw e; // out of memory is not a reason to try a slower path that needs more memory
            }
            COUNT.incrementAndGet();
            if (Boolean.getBoolean(STRICT_PROPERTY)) {
                throw e; // DL4J's layers catch their helpers' errors and run their Java code: tests also check count()
            }
            if (WARNED.add(layerName + "/" + pass)) {
                log.warn("layer '{}': native {} failed ({}); using DL4J's Java implementation for this call",
                        layerName, pass, e.toString());
            }
            return null;
        }
    }
}

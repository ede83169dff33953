package org.zoobench.experiments.suites;

import org.zoobench.UserInputException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/** The suites `zoobench run` knows, by name. */
public final class Suites {

    private static final Map<String, Supplier<Suite>> SUITES = new LinkedHashMap<>();

    static {
        SUITES.put(AlexNetAblationSuite.NAME, AlexNetAblationSuite::new);
        SUITES.put(DepthSuite.NAME, DepthSuite::new);
        SUITES.put(ArchitecturesSuite.NAME, ArchitecturesSuite::new);
        SUITES.put(BiRnnSuite.NAME, BiRnnSuite::new);
    }

    private Suites() {
    }

    public static List<String> names() {
        return List.copyOf(SUITES.keySet());
    }

    public static Suite get(String name) {
        Supplier<Suite> suite = SUITES.get(name.toLowerCase(Locale.ROOT));
        if (suite == null) {
            throw new UserInputException("unknown suite '" + name + "'; available: " + String.join(", ", names()));
        }
        return suite.get();
    }
}

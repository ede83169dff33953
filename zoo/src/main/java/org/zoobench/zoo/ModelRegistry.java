package org.zoobench.zoo;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one place where model names live. Experiments, benchmarks and notebooks get every model through here.
 */
public final class ModelRegistry {

    private static final InputShape IMAGENET = InputShape.image(3, 224, 224);
    private static final InputShape CIFAR = InputShape.image(3, 32, 32);
    private static final InputShape MNIST = InputShape.image(1, 28, 28);

    private static final Map<String, ModelEntry> ENTRIES = new LinkedHashMap<>();

    static {
        // Families register here in the order `zoobench models` lists them.
    }

    private ModelRegistry() {
    }

    private static void add(String name, String description, InputShape input, int classes,
                            Function<ModelOptions, ComputationGraphConfiguration> factory) {
        if (ENTRIES.put(name, new ModelEntry(name, description, input, classes, factory)) != null) {
            throw new IllegalStateException("model registered twice: " + name);
        }
    }

    public static List<ModelEntry> all() {
        return List.copyOf(ENTRIES.values());
    }

    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    /** The entry for {@code name} (case-insensitive), or a one-line error naming the closest registered names. */
    public static ModelEntry get(String name) {
        ModelEntry entry = ENTRIES.get(name.toLowerCase(Locale.ROOT));
        if (entry == null) {
            throw new UserInputException("unknown model '" + name + "'; closest registered names: "
                    + String.join(", ", closest(name, 3)) + " (see `zoobench models`)");
        }
        return entry;
    }

    /** Registered names matching a glob such as {@code resnet*} or an exact name. */
    public static List<ModelEntry> matching(String pattern) {
        if (!pattern.contains("*") && !pattern.contains("?")) {
            return List.of(get(pattern));
        }
        String regex = pattern.toLowerCase(Locale.ROOT).replace(".", "\\.").replace("*", ".*").replace("?", ".");
        List<ModelEntry> found = ENTRIES.values().stream().filter(e -> e.name().matches(regex)).toList();
        if (found.isEmpty()) {
            throw new UserInputException("no registered model matches '" + pattern + "' (see `zoobench models`)");
        }
        return found;
    }

    static List<String> closest(String name, int count) {
        LevenshteinDistance distance = LevenshteinDistance.getDefaultInstance();
        String query = name.toLowerCase(Locale.ROOT);
        List<String> names = new ArrayList<>(ENTRIES.keySet());
        Collections.sort(names, Comparator.<String>comparingInt(n -> n.startsWith(query) || query.startsWith(n) ? 0 : 1)
                .thenComparingInt(n -> distance.apply(query, n)));
        return names.stream().limit(count).collect(Collectors.toList());
    }
}

package org.zoobench.zoo;

import org.apache.commons.text.similarity.LevenshteinDistance;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.zoobench.zoo.blocks.RecurrentBlocks.Cell;
import org.zoobench.zoo.blocks.RecurrentBlocks.Merge;
import org.zoobench.zoo.models.RecurrentClassifier;
import org.zoobench.zoo.models.RecurrentClassifier.Head;

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

        // Recurrent models: each bidirectional entry is paired with its causal twin (same cell, depth, widths).
        // Fashion-MNIST rows: each 28x28 image read as 28 steps of 28 pixels.
        InputShape rows = InputShape.sequence(28, 28);
        addTwins("bilstm-max", "lstm-max", "2x64 LSTM, max over time (Fashion-MNIST rows)", rows, 10,
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 64, 0.2, Head.MAX));
        addTwins("bilstm-mean", "lstm-mean", "2x64 LSTM, mean over time (Fashion-MNIST rows)", rows, 10,
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 64, 0.2, Head.MEAN));
        addTwins("bilstm-last", "lstm-last", "2x64 LSTM, last step (Fashion-MNIST rows)", rows, 10,
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 2, 64, 0.2, Head.LAST));
        for (Merge merge : List.of(Merge.ADD, Merge.AVERAGE, Merge.MULTIPLY)) {
            String mode = merge.name().toLowerCase(Locale.ROOT);
            add("bilstm-max-" + mode, "bidirectional 2x64 LSTM, directions merged by " + mode
                            + ", max over time (Fashion-MNIST rows); causal twin: lstm-max", rows, 10,
                    RecurrentClassifier.bidirectional(Cell.LSTM, merge, 2, 64, 0.2, Head.MAX)::configuration);
        }
        addTwins("birnn-max", "rnn-max", "2x64 simple RNN, max over time (Fashion-MNIST rows)", rows, 10,
                RecurrentClassifier.bidirectional(Cell.SIMPLE_RNN, Merge.CONCAT, 2, 64, 0.2, Head.MAX));
        // Per-step labelling at the future-context task's default size: 4 symbols per step, 16 steps.
        InputShape symbols = InputShape.sequence(4, 16);
        addTwins("bilstm-tagger", "lstm-tagger", "1x32 LSTM, one label per step (future-context)", symbols, 4,
                RecurrentClassifier.bidirectional(Cell.LSTM, Merge.CONCAT, 1, 32, 0, Head.PER_STEP));
        addTwins("birnn-tagger", "rnn-tagger", "1x32 simple RNN, one label per step (future-context)", symbols, 4,
                RecurrentClassifier.bidirectional(Cell.SIMPLE_RNN, Merge.CONCAT, 1, 32, 0, Head.PER_STEP));
    }

    private ModelRegistry() {
    }

    private static void add(String name, String description, InputShape input, int classes,
                            Function<ModelOptions, ComputationGraphConfiguration> factory) {
        if (ENTRIES.put(name, new ModelEntry(name, description, input, classes, factory)) != null) {
            throw new IllegalStateException("model registered twice: " + name);
        }
    }

    /** A bidirectional recurrent model and, under {@code causalName}, its forward-only twin. */
    private static void addTwins(String name, String causalName, String description, InputShape input, int classes,
                                 RecurrentClassifier bidirectional) {
        add(name, "bidirectional " + description, input, classes, bidirectional::configuration);
        add(causalName, "causal " + description + "; twin of " + name, input, classes,
                bidirectional.unidirectional()::configuration);
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

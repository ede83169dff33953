package org.zoobench.experiments.data;

import org.zoobench.UserInputException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one place data set names live. {@code Datasets.load("fashion-mnist", DataOptions.defaults())} returns the
 * whole data set in memory at its native shape; {@link DataPipeline} turns it into batches for a model.
 * To add a data set, add one {@code register(...)} line to the static block.
 */
public final class Datasets {

    /** A registered data set: its name, a one-line description, and how to load it. */
    public record Entry(String name, String description, Function<DataOptions, LoadedDataset> loader) {
    }

    private static final Map<String, Entry> ENTRIES = new LinkedHashMap<>();

    static {
        register("fashion-mnist", "Zalando Fashion-MNIST, 60k+10k 28x28 grey, 10 classes (IDX files)",
                IdxDataset.FASHION_MNIST::load);
        register("mnist", "MNIST handwritten digits, 60k+10k 28x28 grey, 10 classes (IDX files)",
                IdxDataset.MNIST::load);
        register("cifar10", "CIFAR-10, 50k+10k 32x32 colour, 10 classes (binary batches; --data-dir)",
                Cifar10Dataset::load);
        register("image-folder", "any folder tree with one sub-folder of images per class (--data-dir)",
                ImageFolderDataset::load);
        register("synthetic", "seeded random images with a learnable class signal, for smoke runs",
                SyntheticDataset::load);
        register("future-context", "seeded symbol sequences labelled per step by the symbol 3 steps ahead "
                + "(4 symbols x 16 steps; causal models cannot see it)", FutureContextTask::load);
        register("fashion-mnist-rows", "Fashion-MNIST as sequences: 28 steps (rows) of 28 pixels, 10 classes",
                ImageRows::fashionMnist);
    }

    /** Any image data set's name plus this reads its images as sequences of rows (e.g. {@code mnist-rows}). */
    public static final String ROWS_SUFFIX = "-rows";

    private Datasets() {
    }

    private static String stem(String rowsName) {
        return rowsName.substring(0, rowsName.length() - ROWS_SUFFIX.length());
    }

    private static void register(String name, String description, Function<DataOptions, LoadedDataset> loader) {
        if (ENTRIES.putIfAbsent(name, new Entry(name, description, loader)) != null) {
            throw new IllegalStateException("data set registered twice: " + name);
        }
    }

    /** Loads the named data set; an unknown name is a {@link UserInputException} listing the known ones. */
    public static LoadedDataset load(String name, DataOptions options) {
        return get(name).loader().apply(options);
    }

    public static Entry get(String name) {
        String key = name.trim().toLowerCase();
        Entry entry = ENTRIES.get(key);
        if (entry == null && key.endsWith(ROWS_SUFFIX) && ENTRIES.containsKey(stem(key))) {
            Entry images = ENTRIES.get(stem(key));
            entry = new Entry(key, images.name() + " read row by row, one image row per step",
                    o -> ImageRows.asSequences(images.loader().apply(o), key));
        }
        if (entry == null) {
            throw new UserInputException("unknown dataset '" + name + "'; known datasets: "
                    + String.join(", ", ENTRIES.keySet()));
        }
        return entry;
    }

    /** Registered names, in registration order. */
    public static List<String> names() {
        return List.copyOf(ENTRIES.keySet());
    }

    public static Map<String, Entry> entries() {
        return Collections.unmodifiableMap(ENTRIES);
    }
}

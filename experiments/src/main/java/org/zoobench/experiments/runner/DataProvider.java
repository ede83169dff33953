package org.zoobench.experiments.runner;

import org.zoobench.UserInputException;
import org.zoobench.experiments.data.DataOptions;
import org.zoobench.experiments.data.DataPipeline;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.data.ImageFolderStream;
import org.zoobench.experiments.data.LoadedDataset;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.zoo.InputShape;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Loads each data set (at each subset size) once for a whole suite and hands every run its batches. Subsets
 * are seeded by the data options alone, so every model and every run seed of a suite sees the same examples.
 * Thread-safe: a Spark executor trains several runs at once from one provider.
 */
public final class DataProvider {

    /** The crop the papers train ImageNet nets on. */
    public static final InputShape CROP_INPUT = InputShape.image(3, 224, 224);
    public static final String IMAGE_FOLDER = "image-folder";

    private final BiFunction<String, DataOptions, LoadedDataset> loader;
    private final DataOptions baseOptions;
    private final Map<String, LoadedDataset> loaded = new HashMap<>();
    private final Map<String, ImageFolderStream> streams = new HashMap<>();

    public DataProvider(BiFunction<String, DataOptions, LoadedDataset> loader, DataOptions baseOptions) {
        this.loader = loader;
        this.baseOptions = baseOptions;
    }

    /** The registered data sets at their default locations. */
    public static DataProvider standard() {
        return new DataProvider(Datasets::load, DataOptions.defaults());
    }

    public synchronized LoadedDataset dataset(String name, int trainLimit, int testLimit) {
        LoadedDataset data = loaded.get(key(name, trainLimit, testLimit));
        if (data == null) {
            data = loader.apply(name, baseOptions.withLimit(trainLimit).withTestLimit(testLimit));
            loaded.put(key(name, trainLimit, testLimit), data);
            // A limit above the data's size keeps it all; a run recording the size it got asks for the same data.
            loaded.putIfAbsent(key(name, trainLimit == 0 ? 0 : data.train().numExamples(),
                    testLimit == 0 ? 0 : data.test().numExamples()), data);
        }
        return data;
    }

    private static String key(String name, int trainLimit, int testLimit) {
        return name + "|" + trainLimit + "|" + testLimit;
    }

    /** The batches of one run; close them when the run ends. */
    public RunData forRun(RunConfig config) {
        if (config.resize() == ResizeMode.CROP) {
            return StreamRunData.open(stream(config), config.input(), config.batchSize(), config.seed());
        }
        LoadedDataset dataset = dataset(config.dataset(), config.trainLimit(), config.testLimit());
        if (config.classes() != dataset.numClasses()) {
            throw new UserInputException("model built for " + config.classes() + " classes but "
                    + dataset.name() + " has " + dataset.numClasses());
        }
        return PipelineRunData.open(dataset, config.input(), inMemory(config.resize()), config.batchSize(),
                config.seed(), config.augmentation());
    }

    /** The image folder of a run with resize mode {@link ResizeMode#CROP}. */
    private ImageFolderStream stream(RunConfig config) {
        requireImageFolder(config.dataset());
        ImageFolderStream stream = imageFolder(config.trainLimit(), config.testLimit());
        if (config.classes() != stream.classes().size()) {
            throw new UserInputException("model built for " + config.classes() + " classes but " + stream.root()
                    + "/train has " + stream.classes().size());
        }
        return stream;
    }

    /** Crops are taken from image folders only: any other data set is a user mistake. */
    public static void requireImageFolder(String dataset) {
        if (!Datasets.get(dataset).name().equals(IMAGE_FOLDER)) {
            throw new UserInputException("random crops and flips (resize mode '" + ResizeMode.CROP
                    + "') read image folders only: use --dataset " + IMAGE_FOLDER + ", not " + dataset);
        }
    }

    /** The image folder under {@code --data-dir} as train/ and val/ read from disk, listed once per subset size. */
    public synchronized ImageFolderStream imageFolder(int trainLimit, int valLimit) {
        return streams.computeIfAbsent(trainLimit + "|" + valLimit,
                k -> ImageFolderStream.open(baseOptions.path(), trainLimit, valLimit, baseOptions.seed()));
    }

    /** The pipeline's resize of a run whose data set is held in memory (crops are streamed instead). */
    private static DataPipeline.Resize inMemory(ResizeMode mode) {
        return switch (mode) {
            case BILINEAR -> DataPipeline.Resize.BILINEAR;
            case PAD -> DataPipeline.Resize.PAD;
            case CROP -> throw new IllegalArgumentException("crops are taken from image folders read from disk");
        };
    }
}

package org.zoobench.experiments.runner;

import org.zoobench.experiments.data.LoadedDataset;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.UserInputException;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/** Loads each data set once and prepares the batches of each distinct data recipe once, for a whole suite. */
public final class DataProvider {

    private final Function<String, LoadedDataset> loader;
    private final Map<String, LoadedDataset> datasets = new HashMap<>();
    private final Map<String, RunData> prepared = new HashMap<>();

    public DataProvider(Function<String, LoadedDataset> loader) {
        this.loader = loader;
    }

    public LoadedDataset dataset(String name) {
        return datasets.computeIfAbsent(name, loader);
    }

    public RunData forRun(RunConfig config) {
        String key = config.dataset() + "|" + config.input() + "|" + config.trainLimit() + "|" + config.testLimit()
                + "|" + config.batchSize();
        RunData data = prepared.get(key);
        if (data == null) {
            LoadedDataset dataset = dataset(config.dataset());
            InputShape wanted = InputShape.parse(config.input());
            if (!wanted.equals(dataset.shape())) {
                throw new UserInputException("input " + wanted + " differs from " + dataset.name() + "'s "
                        + dataset.shape() + "; train at " + dataset.shape());
            }
            if (config.classes() != dataset.numClasses()) {
                throw new UserInputException("model built for " + config.classes() + " classes but "
                        + dataset.name() + " has " + dataset.numClasses());
            }
            data = new InMemoryRunData(dataset, config.trainLimit(), config.testLimit(), config.batchSize());
            prepared.put(key, data);
        }
        return data;
    }
}

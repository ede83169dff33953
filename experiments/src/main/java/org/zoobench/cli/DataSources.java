package org.zoobench.cli;

import org.zoobench.experiments.data.DataOptions;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.data.LoadedDataset;

/** How the CLI's commands get a data set by name. */
final class DataSources {

    private DataSources() {
    }

    static LoadedDataset load(String name) {
        return Datasets.load(name, DataOptions.defaults());
    }
}

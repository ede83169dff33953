package org.zoobench.cli;

import org.zoobench.experiments.data.DataOptions;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.runner.DataProvider;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --data-dir}, shared by every command that loads data: where a data set's files are, if not the default. */
final class DataDirOption {

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "where the data set's files are: IDX files for fashion-mnist/mnist (default "
                    + "/usr/share/datasets/fashion-mnist, then the download cache), the cifar-10-batches-bin folder "
                    + "for cifar10, the class folders' parent for image-folder")
    Path dataDir;

    DataProvider provider() {
        return new DataProvider(Datasets::load, DataOptions.defaults().withPath(dataDir));
    }
}

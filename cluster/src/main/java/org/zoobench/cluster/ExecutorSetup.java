package org.zoobench.cluster;

import org.zoobench.experiments.data.DataOptions;
import org.zoobench.experiments.data.Datasets;
import org.zoobench.experiments.runner.DataProvider;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What every task needs besides its run, sent with it to the executors: where the data sets are and where run
 * directories go.
 *
 * @param dataDir the driver's {@code --data-dir}, absolute, or null for the data sets' default locations
 * @param runDirs a Hadoop FileSystem URI under which each run's directory goes, or null to keep no model
 */
record ExecutorSetup(String dataDir, String runDirs) implements Serializable {

    /** One provider per data location (the default ones: "") and executor JVM: its tasks load each data set once. */
    private static final Map<String, DataProvider> PROVIDERS = new ConcurrentHashMap<>();

    /** Creates the run directories' root if need be and writes a file there, as a task must be able to. */
    boolean probe() throws IOException {
        if (runDirs != null) {
            RunDirectories.of(runDirs).probe();
        }
        return true;
    }

    DataProvider data() {
        return PROVIDERS.computeIfAbsent(dataDir == null ? "" : dataDir, dir -> new DataProvider(Datasets::load,
                DataOptions.defaults().withPath(dir.isEmpty() ? null : Path.of(dir))));
    }
}

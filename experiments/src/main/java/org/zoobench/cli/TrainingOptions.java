package org.zoobench.cli;

import org.zoobench.cli.BenchLauncher.Backend;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options train and run share: where the data are, the backend and layer implementation that run the nets,
 * the workers sharing each step, how much to print, and DL4J's live statistics.
 */
final class TrainingOptions {

    @Mixin
    DataDirOption dataDir;

    @Option(names = "--backend", defaultValue = "cpu",
            description = "cpu (ND4J's CPU build with oneDNN), avx2 (its plain AVX2 build) or cuda (CUDA 11.6 + "
                    + "cuDNN, after `zoobench gpu-check`'s "
                    + "checks; reruns on the CUDA classpath); default cpu")
    Backend backend;

    @Mixin
    LayerImplOption implementation;

    @Mixin
    WorkersOption workers;

    @Mixin
    QuietOption quiet;

    @Mixin
    LiveStatsOptions liveStats;
}

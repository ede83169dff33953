package org.zoobench.cluster;

import org.zoobench.experiments.runner.RunExecutor;
import org.zoobench.experiments.runner.SparkRunExecutors;

/** What the CLI finds through ServiceLoader when the cluster module is on its class path. */
public final class SparkRunExecutorProvider implements SparkRunExecutors {

    @Override
    public RunExecutor open(Options options) {
        return SparkRunExecutor.start(options);
    }
}

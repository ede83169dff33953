package org.zoobench.experiments.runner;

import org.zoobench.UserInputException;

import java.net.URI;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Opens a {@link RunExecutor} that trains runs as tasks on Apache Spark. The implementation is the cluster module's,
 * found on the class path, so that neither the default build nor the CLI's class path carries Spark: {@code
 * ./zoobench} adds the module for {@code --spark}, and the shaded jar given to {@code spark-submit} contains it.
 */
public interface SparkRunExecutors {

    /**
     * @param master     the Spark master: {@code local[N]}, {@code spark://HOST:PORT}, {@code yarn}, {@code k8s://URL}
     * @param taskCpus   the cores one run uses ({@code spark.task.cpus}); null: Spark's setting, else 1
     * @param runDirs    a Hadoop FileSystem URI every executor can write, where each run's directory (its model)
     *                   goes; null: the results directory in local mode, elsewhere nowhere (only the records and
     *                   predictions come back)
     * @param dataDir    {@code --data-dir}, a path every executor sees; null: the data sets' default locations
     * @param resultsDir the driver's results directory
     */
    record Options(String master, Integer taskCpus, URI runDirs, Path dataDir, Path resultsDir) {
    }

    /**
     * Starts Spark and checks, before anything is written, that executors run and can write to the run
     * directories' location; a failure is a one-line {@link UserInputException}.
     */
    RunExecutor open(Options options);

    /** The cluster module's executor, or a one-line user error saying how to get it. */
    static RunExecutor load(Options options) {
        return ServiceLoader.load(SparkRunExecutors.class).findFirst()
                .orElseThrow(() -> new UserInputException("--spark needs ZooBench's cluster module, which is not on "
                        + "the class path: run through ./zoobench, which builds it (Maven profile cluster) on first use "
                        + "of --spark, or spark-submit the jar of `mvn -Pcluster -DskipTests package` (docs/"
                        + "cluster.md)"))
                .open(options);
    }
}

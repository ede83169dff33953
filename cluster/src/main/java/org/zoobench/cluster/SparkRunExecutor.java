package org.zoobench.cluster;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.runner.Progress;
import org.zoobench.experiments.runner.RunExecutor;
import org.zoobench.experiments.runner.SparkRunExecutors.Options;
import org.zoobench.zoo.UserInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Trains each run as one Spark task and saves what comes back into the results store from the calling thread, so
 * that the store keeps one writer. Each run is a job of its own: a run whose task fails as often as Spark allows
 * ({@code spark.task.maxFailures}; {@code local[N,F]} in local mode) aborts only its job, is noted as failed with
 * Spark's reason, and the other runs go on.
 */
final class SparkRunExecutor implements RunExecutor {

    /** How long executors have to run a first task before the master is taken to offer none. */
    static final long START_TIMEOUT_MINUTES = 3;
    /** Where {@code ./zoobench} builds the jar that executors outside this JVM load ZooBench from. */
    static final String SHADED_JAR = "cluster/target/zoobench-cluster.jar";

    private static final Pattern FAILED_TIMES = Pattern.compile("failed (\\d+) times?");

    private final JavaSparkContext spark;
    private final ExecutorSetup setup;

    private SparkRunExecutor(JavaSparkContext spark, ExecutorSetup setup) {
        this.spark = spark;
        this.setup = setup;
    }

    static SparkRunExecutor start(Options options) {
        MasterAddress.checkReachable(options.master());
        SparkConf conf = configure(options);
        JavaSparkContext spark;
        try {
            spark = new JavaSparkContext(conf);
        } catch (Exception e) { // SparkException is checked, though Scala's constructor does not say so
            String message = firstLine(e.getMessage());
            throw new UserInputException("cannot start Spark on master '" + options.master() + "': " + message
                    + (message.startsWith("Could not parse Master URL") ? "; yarn and k8s:// masters need "
                    + "spark-submit on that cluster (README, Running on a cluster)" : ""), e);
        }
        try {
            ExecutorSetup setup = new ExecutorSetup(options.dataDir() == null ? null
                    : options.dataDir().toAbsolutePath().toString(), runDirs(options));
            checkExecutors(spark, setup, conf.getInt("spark.task.cpus", 1));
            return new SparkRunExecutor(spark, setup);
        } catch (RuntimeException e) {
            spark.stop();
            throw e;
        }
    }

    static boolean isLocal(String master) {
        return master.equals("local") || master.startsWith("local[");
    }

    /** Spark's settings: spark-submit's (system properties) where it set them, ours otherwise. */
    private static SparkConf configure(Options options) {
        SparkConf conf = new SparkConf();
        String submitted = conf.get("spark.master", null);
        if (submitted != null && !submitted.equals(options.master())) {
            throw new UserInputException("--spark " + options.master() + " is not the master spark-submit was given ("
                    + submitted + "): give both the same master");
        }
        conf.setMaster(options.master());
        conf.setIfMissing("spark.app.name", "zoobench");
        if (options.taskCpus() != null) {
            conf.set("spark.task.cpus", String.valueOf(options.taskCpus()));
        }
        conf.setIfMissing("spark.task.cpus", "1");
        conf.setIfMissing("spark.ui.showConsoleProgress", "false"); // the suite prints a line per run
        if (isLocal(options.master())) {
            // Several runs train at once in this JVM: bars redrawn in place would overwrite each other.
            if (Progress.enabled()) {
                System.setProperty(Progress.PROPERTY, Progress.LINES);
            }
        } else {
            // ND4J would give every run all the cores of its machine, however many runs share them.
            conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", conf.get("spark.task.cpus"));
            if (!conf.contains("spark.jars")) {
                conf.set("spark.jars", shadedJar(options.master()).toString());
            }
        }
        return conf;
    }

    private static Path shadedJar(String master) {
        Path jar = Path.of(System.getProperty("zoobench.root", ".")).toAbsolutePath().resolve(SHADED_JAR).normalize();
        if (!Files.isRegularFile(jar)) {
            throw new UserInputException("executors of " + master + " load ZooBench from its shaded jar, which is not "
                    + "built (" + jar + "): run `mvn -Pcluster -DskipTests package`, or spark-submit that jar");
        }
        return jar;
    }

    /** The Hadoop URI of run directories: the one given, else the results directory itself in local mode. */
    private static String runDirs(Options options) {
        if (options.runDirs() != null) {
            return options.runDirs().toString();
        }
        return isLocal(options.master()) ? options.resultsDir().toUri().toString() : null;
    }

    /**
     * Runs one small task per {@code taskCpus} cores the cluster offers, each writing and deleting a file where run
     * directories go, and removes what that created: executors that cannot start or cannot write are found before
     * anything is trained or written.
     */
    private static void checkExecutors(JavaSparkContext spark, ExecutorSetup setup, int taskCpus) {
        String master = spark.master();
        RunDirectories dirs = setup.runDirs() == null ? null : RunDirectories.of(setup.runDirs());
        org.apache.hadoop.fs.Path created;
        try {
            created = dirs == null ? null : dirs.firstMissing();
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("cannot write run directories to " + setup.runDirs() + " ("
                    + firstLine(e.getMessage()) + "); give --spark-results a Hadoop FileSystem URI every executor "
                    + "can write (a FileSystem other than file:// and hdfs:// needs its jars, e.g. hadoop-aws for s3a)",
                    e);
        }
        int tasks = Math.max(1, spark.defaultParallelism() / taskCpus);
        JavaFutureAction<List<Boolean>> probe = spark.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
                .map(i -> setup.probe()).collectAsync();
        try {
            probe.get(START_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (TimeoutException e) {
            probe.cancel(true);
            throw new UserInputException(String.format(Locale.ROOT, "no executor of %s ran a task within %d minutes: "
                    + "check that workers are registered with the master and that each offers spark.task.cpus=%d "
                    + "cores", master, START_TIMEOUT_MINUTES, taskCpus));
        } catch (ExecutionException e) {
            throw new UserInputException(dirs == null ? "executors of " + master + " cannot run a task: "
                    + reason(e.getCause()) : "executors cannot write run directories to " + setup.runDirs() + " ("
                    + reason(e.getCause()) + "); give --spark-results a location every executor can write", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking Spark's executors", e);
        } finally {
            if (created != null) {
                try {
                    dirs.deleteIfNoFiles(created);
                } catch (IOException e) {
                    // best effort: an empty directory where run directories were to go
                }
            }
        }
    }

    @Override
    public void trainAll(List<PlannedRun> runs, ResultsStore store, Listener listener) {
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        ExecutorService waiting = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "zoobench-spark-job");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (PlannedRun run : runs) {
                JavaFutureAction<List<TrainedRun>> job = spark.parallelize(List.of(new RunTask(run.spec(), run.label(),
                        setup)), 1).map(RunTask::train).collectAsync();
                waiting.execute(() -> outcomes.add(Outcome.of(run, job)));
            }
            for (int i = 0; i < runs.size(); i++) {
                Outcome outcome = outcomes.take();
                if (outcome.trained() == null) {
                    listener.failed(outcome.run(), outcome.failure());
                } else {
                    store.save(outcome.trained().record(), outcome.trained().predictions(), null);
                    listener.saved(outcome.run(), outcome.trained().record());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while runs trained on Spark", e);
        } finally {
            // Jobs are left only when something above failed; a lost local executor stops the context itself.
            if (!spark.sc().isStopped()) {
                spark.cancelAllJobs();
            }
            waiting.shutdownNow();
        }
    }

    @Override
    public void close() {
        spark.stop();
    }

    /** A run's job as it ended: what the task sent back, or why Spark gave up on it. */
    private record Outcome(PlannedRun run, TrainedRun trained, String failure) {

        static Outcome of(PlannedRun run, JavaFutureAction<List<TrainedRun>> job) {
            try {
                return new Outcome(run, job.get().get(0), null);
            } catch (ExecutionException e) {
                return new Outcome(run, null, reason(e.getCause()));
            } catch (CancellationException | InterruptedException e) {
                return new Outcome(run, null, "cancelled");
            }
        }
    }

    /**
     * Spark's reason in one line: how often the task failed and the last exception, where Spark sent that along;
     * otherwise its own first line (an executor lost, a container killed for its memory).
     */
    static String reason(Throwable jobFailure) {
        String message = firstLine(jobFailure.getMessage()).replaceFirst("^Job aborted due to stage failure: ", "");
        Matcher times = FAILED_TIMES.matcher(message);
        Throwable last = jobFailure.getCause();
        if (last != null && times.find()) {
            return "its task failed " + times.group(1) + (times.group(1).equals("1") ? " time" : " times")
                    + ", last with " + last.getClass().getSimpleName() + ": " + firstLine(last.getMessage());
        }
        return message;
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("").strip();
    }
}

package org.zoobench.cluster;

import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.zoobench.UserInputException;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.runner.Progress;
import org.zoobench.experiments.runner.RunExecutor;
import org.zoobench.experiments.runner.SparkRunExecutors.Options;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
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

    /** Where {@code ./zoobench} builds the jar that executors outside this JVM load ZooBench from. */
    static final String SHADED_JAR = "cluster/target/zoobench-cluster.jar";

    /**
     * How long executors have to run a first task before the master is taken to offer none, and how long a suite
     * waits for one after Spark lost them all: a Spark time ("3min", "20s").
     */
    static final String EXECUTOR_WAIT = "spark.zoobench.executorWait";
    static final String DEFAULT_EXECUTOR_WAIT = "3min";
    /** The job property naming the run a job trains. */
    private static final String RUN_PROPERTY = "zoobench.run";
    private static final long WATCH_SECONDS = 5;

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
                    + "spark-submit on that cluster (docs/cluster.md)" : ""), e);
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
        executorWaitSeconds(conf); // a setting it cannot read is a mistake to name before Spark starts
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
        long waitSeconds = executorWaitSeconds(spark.getConf());
        int tasks = Math.max(1, spark.defaultParallelism() / taskCpus);
        JavaFutureAction<List<Boolean>> probe = spark.parallelize(IntStream.range(0, tasks).boxed().toList(), tasks)
                .map(i -> setup.probe()).collectAsync();
        try {
            probe.get(waitSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            probe.cancel(true);
            throw new UserInputException(String.format(Locale.ROOT, "no executor of %s ran a task within %s: check "
                    + "that workers are registered with the master and that each offers spark.task.cpus=%d cores",
                    master, inWords(waitSeconds), taskCpus));
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
        // What the jobs' threads and Spark's listener learn, told to the listener on this thread.
        BlockingQueue<Consumer<Listener>> reports = new LinkedBlockingQueue<>();
        Map<String, PlannedRun> byId = new ConcurrentHashMap<>();
        runs.forEach(run -> byId.put(run.spec().runId(), run));
        int[] finished = {0};
        LostExecutors lost = new LostExecutors(byId, reports, spark.getConf().getInt("spark.task.maxFailures",
                isLocal(spark.master()) ? 1 : 4));
        spark.sc().addSparkListener(lost);
        ExecutorService waiting = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "zoobench-spark-job");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (PlannedRun run : runs) {
                spark.setLocalProperty(RUN_PROPERTY, run.spec().runId());
                JavaFutureAction<List<TrainedRun>> job = spark.parallelize(List.of(new RunTask(run.spec(), run.label(),
                        setup)), 1).map(RunTask::train).collectAsync();
                waiting.execute(() -> {
                    Outcome outcome = Outcome.of(run, job);
                    reports.add(told -> {
                        finished[0]++;
                        outcome.tell(store, told);
                    });
                });
            }
            spark.setLocalProperty(RUN_PROPERTY, null);
            long waitSeconds = executorWaitSeconds(spark.getConf());
            long noExecutorSince = -1;
            while (finished[0] < runs.size()) {
                Consumer<Listener> report = reports.poll(WATCH_SECONDS, TimeUnit.SECONDS);
                if (report != null) {
                    report.accept(listener);
                } else if (isLocal(spark.master()) || liveExecutors() > 0) {
                    noExecutorSince = -1;
                } else if (noExecutorSince < 0) {
                    noExecutorSince = System.nanoTime();
                } else if (System.nanoTime() - noExecutorSince > TimeUnit.SECONDS.toNanos(waitSeconds)) {
                    long saved = runs.stream().filter(run -> store.isFinished(run.spec().runId())).count();
                    throw new UserInputException(String.format(Locale.ROOT, "Spark lost every executor of %s and got "
                                    + "none back within %s%s; %d of %d runs finished and are saved: rerun the same "
                                    + "command once the cluster has workers again, to train the other %d",
                            spark.master(), inWords(waitSeconds), lost.last(), saved, runs.size(),
                            runs.size() - saved));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while runs trained on Spark", e);
        } finally {
            spark.sc().removeSparkListener(lost);
            // Jobs are left only when something above failed; a lost local executor stops the context itself.
            if (!spark.sc().isStopped()) {
                spark.cancelAllJobs();
            }
            waiting.shutdownNow();
        }
    }

    /** Executors alive now (the driver's own block manager, listed among them, is not one). */
    private int liveExecutors() {
        return spark.sc().statusTracker().getExecutorInfos().length - 1;
    }

    /** {@value #EXECUTOR_WAIT} as seconds, default {@value #DEFAULT_EXECUTOR_WAIT}. */
    static long executorWaitSeconds(SparkConf conf) {
        long seconds;
        try {
            seconds = conf.getTimeAsSeconds(EXECUTOR_WAIT, DEFAULT_EXECUTOR_WAIT);
        } catch (NumberFormatException e) {
            seconds = 0;
        }
        if (seconds < 1) {
            throw new UserInputException(EXECUTOR_WAIT + " is a time of at least 1s, such as 90s or 10min, not '"
                    + conf.get(EXECUTOR_WAIT) + "'");
        }
        return seconds;
    }

    /** E.g. "3 minutes", "20 s". */
    static String inWords(long seconds) {
        return seconds % 60 == 0 ? seconds / 60 + (seconds == 60 ? " minute" : " minutes") : seconds + " s";
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

        /** Saves what came back, or notes the failure, and tells the listener. */
        void tell(ResultsStore store, Listener listener) {
            if (trained == null) {
                listener.failed(run, failure);
            } else {
                store.save(trained.record(), trained.predictions(), null);
                listener.saved(run, trained.record());
            }
        }
    }

    /**
     * Spark's word of each task cut off by its executor's loss (a worker or machine gone, a container killed): one
     * report per attempt that Spark will make again, naming the executor, its host and Spark's reason.
     */
    private static final class LostExecutors extends SparkListener {

        private final Map<String, PlannedRun> runs;
        private final BlockingQueue<Consumer<Listener>> reports;
        private final int maxFailures;
        private final Map<Integer, PlannedRun> byStage = new ConcurrentHashMap<>();
        private volatile String last = "";

        LostExecutors(Map<String, PlannedRun> runs, BlockingQueue<Consumer<Listener>> reports, int maxFailures) {
            this.runs = runs;
            this.reports = reports;
            this.maxFailures = maxFailures;
        }

        @Override
        public void onJobStart(SparkListenerJobStart jobStart) {
            PlannedRun run = jobStart.properties() == null ? null
                    : runs.get(String.valueOf(jobStart.properties().getProperty(RUN_PROPERTY)));
            if (run != null) {
                jobStart.stageIds().foreach(stage -> byStage.put((Integer) stage, run));
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
            PlannedRun run = byStage.get(taskEnd.stageId());
            if (run == null || !(taskEnd.reason() instanceof ExecutorLostFailure failure)) {
                return;
            }
            String what = "executor " + failure.execId() + " on " + taskEnd.taskInfo().host() + " was lost ("
                    + firstSentence(failure.reason().getOrElse(() -> "no reason given")) + ")";
            last = " (last: " + what + ")";
            // Attempts cut off by no fault of the task do not count towards spark.task.maxFailures.
            if (!failure.exitCausedByApp() || taskEnd.taskInfo().attemptNumber() + 1 < maxFailures) {
                reports.add(listener -> listener.retried(run, what + " while it trained this run; Spark trains it "
                        + "again on another executor"));
            }
        }

        String last() {
            return last;
        }
    }

    private static String firstSentence(String message) {
        String line = firstLine(message);
        int end = line.indexOf(". ");
        return end < 0 ? line : line.substring(0, end);
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

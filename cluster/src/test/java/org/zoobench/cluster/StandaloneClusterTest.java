package org.zoobench.cluster;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.cli.ZooBenchCli;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.Progress;
import picocli.CommandLine;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./zoobench run birnn --quick --spark spark://...} as a user runs it, against Spark's standalone master and
 * two one-core workers, JVMs of their own on 127.0.0.1 ({@link StandaloneCluster}): the driver here, the shaded jar
 * shipped to the executors, every record and prediction back over the network, compared with the same suite in
 * this JVM (one thread, as an executor of one core: the pom's OMP_NUM_THREADS). Each run is cut to 320 training and
 * 200 test examples, which keeps the suite's four runs and its two data sets to about a minute.
 */
class StandaloneClusterTest {

    private static final List<String> SUITE = List.of("run", "birnn", "--quick", "--limit", "320", "--test-limit",
            "200");
    private static final int RUNS = 4;
    /** A progress line of an image-rows run (the suite's 3rd and 4th, the longest) on an executor. */
    private static final Pattern ROWS_RUN_TRAINING = Pattern.compile("\\[[34]/4] \\S+ seed 1: \\d+% \\(");
    private static final Duration TRAINING_TIMEOUT = Duration.ofMinutes(8);
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);
    private static final String WORKER_MEMORY = "1g";

    @TempDir
    static Path tmp;
    private static Path oneJvm;

    @BeforeAll
    static void buildTheJarThenTrainInOneJvm() throws Exception {
        // As on a user's first --spark spark://..., ./zoobench builds the shaded jar where it is missing or older than
        // the sources; then it finds no master at the address given and says so in one line.
        int nobody = StandaloneCluster.freePort();
        Process first = new ProcessBuilder(StandaloneCluster.ROOT.resolve("zoobench").toString(), "run", "birnn",
                "--spark", "spark://127.0.0.1:" + nobody, "--results", tmp.resolve("never").toString())
                .redirectErrorStream(true).start();
        String output;
        try {
            output = new String(first.getInputStream().readAllBytes());
            assertTrue(first.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS), output);
        } finally {
            first.descendants().forEach(ProcessHandle::destroyForcibly);
            first.destroyForcibly();
        }
        assertEquals(ZooBenchCli.USER_ERROR, first.exitValue(), output);
        assertTrue(output.endsWith("zoobench: cannot reach the Spark master spark://127.0.0.1:" + nobody
                + " (ConnectException: Connection refused): check its address and that it runs\n"), output);
        assertTrue(Files.isRegularFile(StandaloneCluster.ROOT.resolve(SparkRunExecutor.SHADED_JAR)), output);

        System.setProperty(Progress.PROPERTY, "false");
        oneJvm = tmp.resolve("one-jvm");
        List<String> args = new ArrayList<>(SUITE);
        args.addAll(List.of("--results", oneJvm.toString()));
        CommandLine cli = ZooBenchCli.commandLine();
        StringWriter log = new StringWriter();
        cli.setOut(new PrintWriter(log, true));
        cli.setErr(new PrintWriter(log, true));
        assertEquals(0, cli.execute(args.toArray(String[]::new)), log.toString());
    }

    @Test
    void aSuiteOnTwoWorkersGivesTheNumbersOfOneJvm() throws Exception {
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("plain"), 2, WORKER_MEMORY)) {
            Path results = tmp.resolve("plain-results");
            Driver driver = Driver.zoobench(cluster, results, "");
            assertEquals(0, driver.waitFor(), driver.output());
            assertSameRunsAndNumbers(results);
            for (int worker = 1; worker <= 2; worker++) {
                assertTrue(cluster.executorLogged(worker, Pattern.compile("\\[\\d/4] \\S+ seed 1: \\d+% \\(")),
                        "worker " + worker + " trained a run");
                assertTrue(shippedJar(cluster.workDir(worker)), "the shaded jar went to worker " + worker);
            }
        }
    }

    @Test
    void aWorkerKilledMidRunLosesNothing() throws Exception {
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("one-killed"), 2, WORKER_MEMORY)) {
            Path results = tmp.resolve("one-killed-results");
            Driver driver = Driver.zoobench(cluster, results, "");
            int[] training = {0};
            StandaloneCluster.await("a worker trains an image-rows run; " + driver.output(), TRAINING_TIMEOUT, () -> {
                driver.assertRunning();
                for (int worker = 1; worker <= 2 && training[0] == 0; worker++) {
                    training[0] = cluster.executorLogged(worker, ROWS_RUN_TRAINING) ? worker : 0;
                }
                return training[0] > 0;
            });
            cluster.killWorkers(training[0]);
            assertEquals(0, driver.waitFor(), driver.output());
            assertEquals("", Files.readString(driver.err()), "Spark's own logs stay quiet");
            List<String> lost = driver.output().lines().filter(l -> l.contains(" was lost (")).toList();
            assertEquals(1, lost.size(), driver.output());
            assertTrue(Pattern.compile("^\\[[34]/4] \\S+ seed 1: executor \\d+ on 127\\.0\\.0\\.1 was lost \\(.+\\) "
                    + "while it trained this run; Spark trains it again on another executor$").matcher(lost.get(0))
                    .find(), lost.get(0));
            assertSameRunsAndNumbers(results);
        }
    }

    @Test
    void bothWorkersKilledEndInOneLineAndARerunTrainsOnlyWhatIsMissing() throws Exception {
        killBothWorkersThenResume("both-killed", "");
    }

    @Test
    void dataParallelWorkersKilledMidRunResumeWithNothingDuplicated() throws Exception {
        List<RunRecord> records = killBothWorkersThenResume("data-parallel", "--workers 2");
        assertTrue(records.stream().allMatch(r -> r.config().workers() == 2), records.toString());
    }

    @Test
    void sparkSubmitOfTheShadedJarGivesTheSameNumbers() throws Exception {
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve("submit"), 2, WORKER_MEMORY)) {
            Path results = tmp.resolve("submit-results");
            List<String> command = new ArrayList<>(List.of(StandaloneCluster.javaBin(), "-Xmx1g"));
            command.addAll(StandaloneCluster.javaOptions());
            command.addAll(List.of("-cp", cluster.home().resolve("jars") + File.separator + "*",
                    "org.apache.spark.deploy.SparkSubmit", "--master", cluster.masterUrl(), "--deploy-mode", "client",
                    StandaloneCluster.ROOT.resolve(SparkRunExecutor.SHADED_JAR).toString()));
            command.addAll(SUITE);
            command.addAll(List.of("--spark", cluster.masterUrl(), "--results", results.toString()));
            Driver driver = Driver.start(cluster, new ProcessBuilder(command), results);
            assertEquals(0, driver.waitFor(), driver.output());
            assertSameRunsAndNumbers(results);
        }
    }

    /**
     * The suite, with {@code extra} options, on two workers that are both killed while they train the image-rows
     * runs: the command ends in one line and exit 2 once Spark has had no executor for the wait set here; the same
     * command against two new workers trains only the runs missing. Returns the records of the second command.
     */
    private static List<RunRecord> killBothWorkersThenResume(String name, String extra) throws Exception {
        try (StandaloneCluster cluster = StandaloneCluster.start(tmp.resolve(name), 2, WORKER_MEMORY)) {
            Path results = tmp.resolve(name + "-results");
            Driver driver = Driver.zoobench(cluster, results, "-D" + SparkRunExecutor.EXECUTOR_WAIT + "=30s",
                    extra.isEmpty() ? new String[0] : extra.split(" "));
            StandaloneCluster.await("both workers train an image-rows run; " + driver.output(), TRAINING_TIMEOUT,
                    () -> driver.assertRunning() && cluster.executorLogged(1, ROWS_RUN_TRAINING)
                            && cluster.executorLogged(2, ROWS_RUN_TRAINING));
            cluster.killWorkers(1, 2);
            assertEquals(ZooBenchCli.USER_ERROR, driver.waitFor(), driver.output());
            // The taggers are done; an image-rows run that ended between the check and the kill is saved too.
            int saved = ResultsStore.openForReading(results).records().size();
            assertTrue(saved == 2 || saved == 3, driver.output());
            String error = Files.readString(driver.err());
            assertEquals(1, error.lines().count(), error);
            assertTrue(error.startsWith("zoobench: Spark lost every executor of " + cluster.masterUrl() + " and got "
                    + "none back within 30 s (last: executor "), error);
            assertTrue(error.endsWith(saved + " of 4 runs finished and are saved: rerun the same command once the "
                    + "cluster has workers again, to train the other " + (RUNS - saved) + "\n"), error);
            assertNothingDuplicated(results, saved);

            cluster.startWorkers(2, WORKER_MEMORY);
            Driver rerun = Driver.zoobench(cluster, results, "", extra.isEmpty() ? new String[0] : extra.split(" "));
            assertEquals(0, rerun.waitFor(), rerun.output());
            assertTrue(rerun.output().contains("resuming: " + saved + " of 4 runs already finished"), rerun.output());
            assertEquals(RUNS - saved, rerun.output().lines().filter(l -> l.contains(": top-1 ")).count(),
                    rerun.output());
            return assertNothingDuplicated(results, RUNS);
        }
    }

    /** The same run ids, top-1, epoch curves and byte-identical predictions as in one JVM, each run once. */
    private static void assertSameRunsAndNumbers(Path results) throws IOException {
        List<RunRecord> here = ResultsStore.openForReading(oneJvm).records();
        List<RunRecord> there = assertNothingDuplicated(results, RUNS);
        assertEquals(ids(here), ids(there));
        for (RunRecord one : here) {
            RunRecord other = there.stream().filter(r -> r.runId().equals(one.runId())).findFirst().orElseThrow();
            assertEquals(one.top1(), other.top1(), one.runId());
            assertEquals(SparkSuiteTest.curves(one), SparkSuiteTest.curves(other), one.runId());
            assertArrayEquals(Files.readAllBytes(oneJvm.resolve("runs").resolve(one.runId())
                    .resolve(ResultsStore.PREDICTIONS)), Files.readAllBytes(results.resolve("runs")
                    .resolve(one.runId()).resolve(ResultsStore.PREDICTIONS)), one.runId());
        }
    }

    /**
     * {@code runs} finished runs, each once in results.csv, results.jsonl and runs/ (a folder with its record and
     * predictions, no failure note, no temporary file), and nothing else there; returns their records.
     */
    private static List<RunRecord> assertNothingDuplicated(Path results, int runs) throws IOException {
        List<RunRecord> records = ResultsStore.openForReading(results).records();
        List<String> ids = ids(records);
        assertEquals(runs, ids.size(), ids.toString());
        assertEquals(runs, ids.stream().distinct().count(), ids.toString());
        List<String> csv = Files.readAllLines(results.resolve(ResultsStore.CSV));
        assertEquals(1 + runs, csv.size(), csv.toString());
        List<String> jsonl = Files.readAllLines(results.resolve(ResultsStore.JSONL));
        assertEquals(runs, jsonl.size(), jsonl.toString());
        for (String id : ids) {
            assertEquals(1, csv.stream().filter(row -> row.contains(id)).count(), id);
            assertEquals(1, jsonl.stream().filter(row -> row.contains(id)).count(), id);
        }
        try (Stream<Path> dirs = Files.list(results.resolve("runs"))) {
            assertEquals(ids, dirs.map(d -> d.getFileName().toString()).sorted().toList());
        }
        for (String id : ids) {
            try (Stream<Path> files = Files.list(results.resolve("runs").resolve(id))) {
                assertEquals(List.of(ResultsStore.PREDICTIONS, ResultsStore.RECORD),
                        files.map(f -> f.getFileName().toString()).sorted().toList(), id);
            }
        }
        return records;
    }

    private static List<String> ids(List<RunRecord> records) {
        return records.stream().map(RunRecord::runId).sorted().toList();
    }

    /** Whether an executor of this worker fetched the shaded jar into its application folder. */
    private static boolean shippedJar(Path workDir) throws IOException {
        try (Stream<Path> files = Files.walk(workDir)) {
            return files.anyMatch(f -> f.getFileName().toString().equals("zoobench-cluster.jar"));
        }
    }

    /** A driver JVM, its stdout and stderr in files beside its results. */
    private record Driver(Process process, Path out, Path err) {

        /** {@code ./zoobench} with the suite's arguments on the cluster, a small heap and {@code javaOptions}. */
        static Driver zoobench(StandaloneCluster cluster, Path results, String javaOptions, String... extra)
                throws IOException {
            List<String> command = new ArrayList<>(List.of(StandaloneCluster.ROOT.resolve("zoobench").toString()));
            command.addAll(SUITE);
            command.addAll(List.of("--spark", cluster.masterUrl(), "--results", results.toString()));
            command.addAll(Arrays.asList(extra));
            ProcessBuilder builder = new ProcessBuilder(command).directory(StandaloneCluster.ROOT.toFile());
            builder.environment().put("ZOOBENCH_JAVA_OPTS", ("-Xmx1g " + javaOptions).strip());
            return start(cluster, builder, results);
        }

        static Driver start(StandaloneCluster cluster, ProcessBuilder builder, Path results) throws IOException {
            Path logs = Files.createDirectories(results.resolveSibling(results.getFileName() + "-logs"));
            Path out = Files.createTempFile(logs, "stdout", ".txt");
            Path err = Files.createTempFile(logs, "stderr", ".txt");
            return new Driver(cluster.track(builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start()),
                    out, err);
        }

        /** The exit code, after at most the training timeout (then the driver is killed and the test fails). */
        int waitFor() throws InterruptedException {
            try {
                assertTrue(process.waitFor(TRAINING_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "the driver ended");
            } finally {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
            return process.exitValue();
        }

        /** True while the driver runs; fails the test, with its output, once it has ended. */
        boolean assertRunning() {
            if (!process.isAlive()) {
                throw new AssertionError("the driver ended with exit code " + process.exitValue() + ": " + output());
            }
            return true;
        }

        String output() {
            try {
                return Files.readString(out) + Files.readString(err);
            } catch (IOException e) {
                return "(output unreadable: " + e + ")";
            }
        }
    }
}

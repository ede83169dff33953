package org.zoobench.cluster;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.cli.ZooBenchCli;
import org.zoobench.experiments.runner.Progress;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `zoobench run --spark` with what a user gets wrong: one line, exit 2, no results directory. */
class SparkCliTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty(Progress.PROPERTY, "false");
    }

    @AfterEach
    void forgetRoot() {
        System.clearProperty("zoobench.root");
    }

    /** The quick birnn suite on Spark into tmp/results; nothing trains in these tests. */
    private String failsWithOneLine(String... sparkArgs) {
        String[] args = new String[4 + sparkArgs.length];
        System.arraycopy(new String[]{"run", "birnn", "--results", tmp.resolve("results").toString()}, 0, args, 0, 4);
        System.arraycopy(sparkArgs, 0, args, 4, sparkArgs.length);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ZooBenchCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        String line = err.toString();
        assertEquals(ZooBenchCli.USER_ERROR, code, line + out);
        assertTrue(line.startsWith("zoobench: ") && line.indexOf('\n') == line.length() - 1, line);
        assertFalse(Files.exists(tmp.resolve("results")), "nothing written: " + line);
        return line;
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void anUnreachableMasterIsNamed() throws Exception {
        int port = freePort();
        String line = failsWithOneLine("--spark", "spark://127.0.0.1:" + port);
        assertTrue(line.contains("cannot reach the Spark master spark://127.0.0.1:" + port + " (ConnectException"),
                line);
    }

    @Test
    void aMasterSparkCannotUseHereIsNamed() throws Exception {
        // Spark parses the master after the jar for executors is found: any file there will do.
        Path jar = tmp.resolve("root").resolve(SparkRunExecutor.SHADED_JAR);
        Files.createDirectories(jar.getParent());
        Files.createFile(jar);
        System.setProperty("zoobench.root", tmp.resolve("root").toString());
        // spark-yarn is a YARN cluster's jar, not ZooBench's.
        String line = failsWithOneLine("--spark", "yarn");
        assertTrue(line.contains("cannot start Spark on master 'yarn': Could not parse Master URL: 'yarn'; yarn and "
                + "k8s:// masters need spark-submit on that cluster"), line);
    }

    @Test
    void executorsElsewhereNeedTheShadedJar() throws Exception {
        System.setProperty("zoobench.root", tmp.toString());
        try (ServerSocket master = new ServerSocket(0)) {
            String line = failsWithOneLine("--spark", "spark://127.0.0.1:" + master.getLocalPort());
            assertTrue(line.contains("load ZooBench from its shaded jar, which is not built ("
                    + tmp.resolve(SparkRunExecutor.SHADED_JAR) + "): run `mvn -Pcluster -DskipTests package`"), line);
        }
    }

    @Test
    void anExecutorWaitSparkCannotReadIsNamed() {
        for (String wait : List.of("soon", "0s")) {
            System.setProperty(SparkRunExecutor.EXECUTOR_WAIT, wait);
            try {
                String line = failsWithOneLine("--spark", "local[2]");
                assertTrue(line.contains("spark.zoobench.executorWait is a time of at least 1s, such as 90s or 10min, "
                        + "not '" + wait + "'"), line);
            } finally {
                System.clearProperty(SparkRunExecutor.EXECUTOR_WAIT);
            }
        }
    }

    @Test
    void aResultsLocationExecutorsCannotWriteIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        String location = file.toUri() + "/models";
        String line = failsWithOneLine("--spark", "local[2]", "--spark-results", location);
        assertTrue(line.contains("executors cannot write run directories to " + location + " ("), line);
        assertTrue(line.endsWith("give --spark-results a location every executor can write\n"), line);
        assertEquals("not a directory", Files.readString(file));
    }

    @Test
    void aFileSystemWithoutItsJarsIsNamed() {
        String line = failsWithOneLine("--spark", "local[2]", "--spark-results", "s3a://bucket/zoobench");
        assertTrue(line.contains("cannot write run directories to s3a://bucket/zoobench (java.lang."
                + "ClassNotFoundException: Class org.apache.hadoop.fs.s3a.S3AFileSystem not found)"), line);
        assertTrue(line.contains("needs its jars, e.g. hadoop-aws for s3a"), line);
    }
}

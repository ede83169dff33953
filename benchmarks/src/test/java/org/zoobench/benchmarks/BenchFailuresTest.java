package org.zoobench.benchmarks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.UserInputException;
import org.zoobench.layers.LayerImpl;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A benchmark that did not measure is not a success, and a file that is not a bench result is one line. */
class BenchFailuresTest {

    @TempDir
    Path tmp;

    @AfterEach
    void clearBudget() {
        System.clearProperty(MemoryBudget.PROPERTY);
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }

    @Test
    void rowsThatDidNotMeasureEndWithANonZeroExitAndOneLine() {
        System.setProperty(MemoryBudget.PROPERTY, "1"); // not even batch 1 fits: no figure for either pass
        Path out = tmp.resolve("out");
        BenchPlan plan = new BenchPlan(List.of("lenet5"), List.of(1), null, List.of(), false, List.of(), false, "cpu",
                LayerImpl.FAST, "table", out, "test", 64, BenchHarnessSmokeTest.IN_PROCESS);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = BenchMain.run(plan, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true,
                StandardCharsets.UTF_8));
        assertEquals(BenchMain.ROWS_FAILED, exit, text(err));
        String last = text(err).strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals("zoobench: 2 of the benchmarks did not measure (lenet5 batch 1 inference: out of memory at every "
                + "batch size; the others are marked in results.md); see the JMH logs in " + out.toAbsolutePath(), last);
        assertTrue(Files.isRegularFile(out.resolve("results.md")), "what did measure is still written");
    }

    @Test
    void forksWriteTheirCrashReportsIntoTheResultsFolder() {
        Path out = tmp.resolve("out");
        BenchPlan plan = new BenchPlan(List.of("lenet5"), List.of(1), null, List.of(), false, List.of(), true, "cpu",
                LayerImpl.FAST, "table", out, "test", 64, null);
        List<String> options = List.of(BenchMain.forkProperties(plan, out.resolve("facts"), out));
        assertTrue(options.contains("-XX:ErrorFile=" + out.resolve("hs_err_pid%p.log")), options.toString());
    }

    @Test
    void compareRefusesFilesThatAreNotBenchResultsInOneLine() throws Exception {
        for (String content : List.of("root:x:0:0:root:/root:/bin/bash\n", "{}", "[1,2]", "{\"command\": \"./zoo")) {
            Path file = tmp.resolve("results.json");
            Files.writeString(file, content);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = BenchMain.compare(new BenchPlan.Comparison(file, file, "table", null),
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(UserInputException.EXIT_CODE, exit, content);
            assertEquals(1, text(err).strip().lines().count(), text(err));
            assertTrue(text(err).startsWith("zoobench: " + file + " is not a results.json written by `zoobench "
                    + "bench`"), text(err));
        }
    }

    @Test
    void aStageWaitsWhileAnotherProcessHoldsJmhsLock() throws Exception {
        Path lockFile = tmp.resolve("jmh.lock");
        Process holder = new ProcessBuilder("/usr/bin/python3", "-c", "import fcntl,sys,time\n"
                + "f=open(sys.argv[1],'w'); fcntl.lockf(f, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
                lockFile.toString()).redirectErrorStream(true).start();
        try {
            assertEquals("held", new String(holder.getInputStream().readNBytes(4), StandardCharsets.UTF_8));
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            CompletableFuture<Void> wait = CompletableFuture.runAsync(() -> JmhLock.awaitFree(lockFile,
                    new PrintStream(err, true, StandardCharsets.UTF_8)));
            Thread.sleep(1500);
            assertFalse(wait.isDone(), "waits while the lock is held");
            assertTrue(text(err).contains("another JMH instance holds " + lockFile + "; waiting for it to finish"),
                    text(err));
            holder.destroy();
            wait.get(10, TimeUnit.SECONDS);
        } finally {
            holder.destroyForcibly();
        }
    }
}

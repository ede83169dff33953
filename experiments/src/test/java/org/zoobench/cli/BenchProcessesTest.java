package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `bench` among real processes: stopped, it stops what it started; a second one waits for the first. */
class BenchProcessesTest {

    @TempDir
    Path tmp;

    @Test
    void stoppingTheCommandStopsEverythingItStarted() throws Exception {
        Path pids = tmp.resolve("pids");
        // a stand-in for the benchmark JVM: it starts two processes of its own, as JMH starts forks
        Process bench = ChildJvm.start("run", "bash", "-c", "sleep 300 & echo $! >> " + pids + "; sleep 300 & echo $! >> "
                + pids + "; wait");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while ((!Files.exists(pids) || Files.readAllLines(pids).size() < 2) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            List<ProcessHandle> started = Files.readAllLines(pids).stream()
                    .map(pid -> ProcessHandle.of(Long.parseLong(pid)).orElseThrow()).toList();
            assertTrue(running(started.get(0).pid()) && running(started.get(1).pid()), "both run before the stop");
            assertEquals(2, started.size());
            bench.destroy(); // SIGTERM, as `kill PID` sends
            assertTrue(bench.waitFor(20, TimeUnit.SECONDS), "the command exits");
            assertEquals(143, bench.exitValue());
            for (ProcessHandle p : started) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (running(p.pid()) && System.nanoTime() < until) {
                    Thread.sleep(100);
                }
                assertFalse(running(p.pid()), "process " + p.pid() + " was stopped with the command");
            }
        } finally {
            bench.destroyForcibly();
        }
    }

    /**
     * Whether the process still runs: a killed process whose new parent has not reaped it yet is a zombie, which
     * ProcessHandle still calls alive.
     */
    private static boolean running(long pid) throws Exception {
        Path stat = Path.of("/proc", String.valueOf(pid), "stat");
        try {
            String line = Files.readString(stat);
            return line.charAt(line.lastIndexOf(')') + 2) != 'Z';
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    @Test
    void aSecondBenchWaitsForTheFirstAndSaysWhoItWaitsFor() throws Exception {
        Process first = ChildJvm.start("bench-lock", tmp.toString());
        try {
            ChildJvm.awaitLocked(first);
            StringWriter said = new StringWriter();
            CompletableFuture<BenchLock> second = CompletableFuture.supplyAsync(() -> BenchLock.acquire(tmp,
                    new PrintWriter(said, true)));
            Thread.sleep(1000);
            assertFalse(second.isDone(), "waits while the first holds the lock");
            assertEquals("zoobench: another `zoobench bench` (pid " + first.pid() + ") is measuring on this machine; "
                    + "waiting for it to finish, as two would measure each other (Ctrl-C to stop waiting)",
                    said.toString().strip());
            first.destroy();
            second.get(20, TimeUnit.SECONDS).close();
        } finally {
            first.destroyForcibly();
        }
    }
}

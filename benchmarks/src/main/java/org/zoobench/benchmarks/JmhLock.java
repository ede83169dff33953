package org.zoobench.benchmarks;

import org.openjdk.jmh.runner.RunnerException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * JMH's machine-wide lock ({@code java.io.tmpdir/jmh.lock}), which every JMH run takes so that two never measure
 * each other: JMH fails at once when it is taken, ZooBench waits for it instead.
 */
final class JmhLock {

    static final Path FILE = Path.of(System.getProperty("java.io.tmpdir"), "jmh.lock");

    private static final long POLL_MS = 1000;

    private JmhLock() {
    }

    /** Returns once no other process holds JMH's lock, saying once on {@code err} that it waits. */
    static void awaitFree(PrintStream err) {
        awaitFree(FILE, err);
    }

    static void awaitFree(Path file, PrintStream err) {
        boolean said = false;
        while (!isFree(file)) {
            if (!said) {
                err.println("zoobench: another JMH instance holds " + file + "; waiting for it to finish");
                said = true;
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static boolean isFree(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return false;
            }
            lock.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false;
        } catch (IOException e) {
            return true; // not ours to open: JMH will say what is wrong with it
        }
    }

    /** Whether JMH failed only because another instance held the lock. */
    static boolean isLockFailure(RunnerException e) {
        return e.getMessage() != null && e.getMessage().contains("Unable to acquire the JMH lock");
    }
}

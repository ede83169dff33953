package org.zoobench.cli;

import org.zoobench.experiments.results.ResultsLock;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code zoobench bench} at a time on a machine, since two would measure each other: a second one waits for
 * the first, saying so in one line, before it creates anything. The lock is the operating system's on a file in
 * {@code java.io.tmpdir}, so a benchmark that is killed releases it; the file holds its holder's pid.
 */
final class BenchLock implements AutoCloseable {

    static final String FILE_NAME = "zoobench-bench.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private BenchLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock, waiting while another process holds it; without a usable lock file, goes on unlocked. */
    static BenchLock acquire(Path directory, PrintWriter err) {
        Path file = directory.resolve(FILE_NAME);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                err.println("zoobench: another `zoobench bench` (pid " + ResultsLock.holder(file) + ") is measuring on this "
                        + "machine; waiting for it to finish, as two would measure each other (Ctrl-C to stop waiting)");
                err.flush();
                lock = channel.lock();
            }
            ResultsLock.writeOwnPid(channel);
            return new BenchLock(channel, lock);
        } catch (IOException e) {
            close(channel);
            return new BenchLock(null, null); // a lock file another user owns: JMH's own lock still guards each stage
        }
    }

    static BenchLock acquire(PrintWriter err) {
        return acquire(Path.of(System.getProperty("java.io.tmpdir")), err);
    }

    @Override
    public void close() {
        try {
            if (lock != null) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        close(channel);
    }

    private static void close(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the channel, closed or not, when this process exits
            }
        }
    }
}

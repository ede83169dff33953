package org.zoobench.experiments.results;

import org.zoobench.UserInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * One writer per results folder: a second {@code train}, {@code run} or {@code report} on a folder another process
 * is writing would train the same runs again and rewrite results.csv beside it, so it is refused in one line naming
 * the writer's pid. The lock is the operating system's on the folder's {@value #FILE_NAME}, held until the process
 * exits (a killed writer releases it); a process takes it once per folder and keeps it.
 */
public final class ResultsLock {

    public static final String FILE_NAME = ".zoobench-lock";

    private static final Map<Path, FileLock> HELD = new HashMap<>();

    private ResultsLock() {
    }

    /** Takes the folder's lock for this process, or fails in one line when another process holds it. */
    public static synchronized void take(Path dir) {
        Path key = dir.toAbsolutePath().normalize();
        if (HELD.containsKey(key)) {
            return;
        }
        Path file = key.resolve(FILE_NAME);
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new UserInputException("'" + dir + "' is being written by another zoobench (pid " + holder(file)
                        + "); two writers would train the same runs twice: wait for it to finish (then rerun to "
                        + "resume), or choose another --results");
            }
            writeOwnPid(channel);
            HELD.put(key, lock);
        } catch (IOException e) {
            throw new UserInputException("cannot lock results directory '" + dir + "' (" + e.getMessage()
                    + "); choose another with --results DIR");
        }
    }

    /** Makes the lock file say which process holds it, for the one line of whoever waits or is refused. */
    public static void writeOwnPid(FileChannel channel) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
    }

    /** The pid a lock file names, or "unknown". */
    public static String holder(Path file) {
        try {
            String pid = Files.readString(file).strip();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }
}

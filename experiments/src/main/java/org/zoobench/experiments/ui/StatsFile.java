package org.zoobench.experiments.ui;

import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.mapdb.DBException;
import org.zoobench.UserInputException;
import org.zoobench.experiments.results.ResultsStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A file of training statistics in DL4J's {@link FileStatsStorage} format (a MapDB store), as {@code --stats} writes
 * it and {@code zoobench ui} serves it. Every way to open one checks the path first, so that a wrong file is named in
 * one line and never handed to MapDB, whose errors do not say which file or what to do.
 */
public final class StatsFile {

    /** How a MapDB store file begins: its header byte and the format of a direct store. */
    private static final byte[] MAPDB_STORE_HEADER = {0x4A, 0x03};

    private StatsFile() {
    }

    /**
     * Fails, as a user error, when {@code file} could not be recorded to: a directory or a device, in a missing or
     * read-only directory, read-only itself, or some other kind of file. Writes nothing: a command checks this first.
     */
    public static void checkWritable(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new UserInputException("--stats " + file + " is a directory; name a file in it, e.g. " + file
                    .resolve("stats.bin"));
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UserInputException("--stats " + file + " is not a regular file; name a new file");
        }
        if (!Files.isDirectory(parent)) {
            throw new UserInputException("cannot write --stats " + file + ": " + parent
                    + (Files.exists(parent) ? " is not a directory" : " does not exist"));
        }
        if (ResultsStore.isReadOnly(Files.exists(file) ? file : parent)) {
            throw new UserInputException("cannot write --stats " + file + ": " + (Files.exists(file) ? file : parent)
                    + " is read-only; make it writable (chmod u+w) or choose another file");
        }
        if (!isEmpty(file)) {
            requireStatsHeader(file, "--stats " + file + " exists and is not a stats file (DL4J's FileStatsStorage); "
                    + "choose a new file, or delete it");
        }
    }

    /**
     * The stats file at {@code file} for recording: created if missing (or empty, as {@code mktemp} leaves it), else
     * opened to add sessions to it; checked first as {@link #checkWritable} does.
     */
    public static FileStatsStorage openForWriting(Path file) {
        checkWritable(file);
        try {
            if (Files.exists(file) && isEmpty(file)) {
                Files.delete(file); // MapDB takes an empty file for a damaged store
            }
        } catch (IOException e) {
            throw new UserInputException("cannot write --stats " + file + ": " + e.getMessage(), e);
        }
        return open(file, "--stats " + file, "cannot write --stats " + file);
    }

    /** Missing, or there with no bytes. */
    private static boolean isEmpty(Path file) {
        try {
            return !Files.exists(file) || Files.size(file) == 0;
        } catch (IOException e) {
            throw new UserInputException("cannot read --stats " + file + ": " + e.getMessage(), e);
        }
    }

    /** The stats file at {@code file}, to serve: it must exist and be one. */
    public static FileStatsStorage openForReading(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("no stats file " + file + (Files.isDirectory(file) ? " (it is a directory)"
                    : "") + "; `zoobench train ... --stats FILE` writes one");
        }
        if (!Files.isReadable(file) || !Files.isWritable(file)) {
            // FileStatsStorage opens its file for writing, even only to show it.
            throw new UserInputException("cannot open the stats file " + file + ": DL4J's stats storage needs to read "
                    + "and write it, and this process may not; serve a copy");
        }
        requireStatsHeader(file, file + " is not a stats file (DL4J's FileStatsStorage, as `zoobench train ... "
                + "--stats FILE` writes it)");
        return open(file, "the stats file " + file, file + " is damaged or not a stats file");
    }

    private static void requireStatsHeader(Path file, String notStats) {
        byte[] start = new byte[MAPDB_STORE_HEADER.length];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(start, 0, start.length) < start.length || !Arrays.equals(start, MAPDB_STORE_HEADER)) {
                throw new UserInputException(notStats);
            }
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens {@code file}, named {@code what} in the message if another process has it, {@code failed} otherwise. */
    private static FileStatsStorage open(Path file, String what, String failed) {
        try {
            return new FileStatsStorage(file.toFile());
        } catch (DBException.FileLocked e) {
            throw new UserInputException(what + " is open in another process (a train or run recording it with "
                    + "--stats?); serve it when that has ended, or watch such a run live with --ui", e);
        } catch (DBException e) {
            // MapDB's exceptions for a cut-off store carry no message
            throw new UserInputException(failed + " (" + (e.getMessage() != null ? e.getMessage()
                    : "cut off or corrupt: MapDB cannot read its store") + ")", e);
        }
    }
}

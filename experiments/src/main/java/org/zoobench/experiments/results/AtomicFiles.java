package org.zoobench.experiments.results;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that a reader (or a rerun after a kill) sees either the old file or the complete new one,
 * never half of it: write a temporary file beside the target, then rename it over the target.
 */
public final class AtomicFiles {

    /** Suffix of temporary files; a leftover one means a write was interrupted and is ignored. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    public interface Writer {
        void writeTo(Path temporary) throws IOException;
    }

    public static void write(Path target, Writer writer) {
        Path dir = target.toAbsolutePath().getParent();
        Path temporary = null;
        try {
            Files.createDirectories(dir);
            // Not Files.createTempFile: its files are private (0600) and the rename would keep that; results are
            // meant to be shared, so the file gets the mode the process's umask gives any new file.
            temporary = Files.createFile(dir.resolve("." + target.getFileName() + "."
                    + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX));
            writer.writeTo(temporary);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // best effort: a leftover .tmp file is ignored by every reader
                }
            }
        }
    }

    public static void writeString(Path target, String text) {
        write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * Appends {@code text} by rewriting the whole file atomically: the file only ever holds complete lines,
     * even if the process dies during the append.
     */
    public static void append(Path target, String text) {
        write(target, tmp -> {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.APPEND)) {
                if (Files.exists(target)) {
                    Files.copy(target, out); // the bytes only: Files.copy(Path, Path) would copy the mode too
                }
                out.write(text.getBytes(StandardCharsets.UTF_8));
            }
        });
    }
}

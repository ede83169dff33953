package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.experiments.results.ResultsStore;

import java.nio.file.Files;
import java.nio.file.Path;

/** The checks a command makes, before it computes anything, that the file it will write can be written. */
final class OutputTargets {

    private OutputTargets() {
    }

    /**
     * Fails as a user error unless {@code file} can be created (with any missing folders above it) or replaced;
     * {@code option} names where the user gave it.
     */
    static void checkWritable(Path file, String option) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(option + " " + file + " is a folder; name a file in it");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            throw new UserInputException(option + " " + file + " is not a regular file; name a new file");
        }
        Path existing = file.toAbsolutePath();
        while (!Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (!existing.equals(file.toAbsolutePath()) && !Files.isDirectory(existing)) {
            throw new UserInputException("cannot write " + option + " " + file + ": " + existing + " is not a folder");
        }
        if (ResultsStore.isReadOnly(existing)) {
            throw new UserInputException("cannot write " + option + " " + file + ": " + existing + " is read-only; "
                    + "make it writable (chmod u+w) or choose another place");
        }
    }
}

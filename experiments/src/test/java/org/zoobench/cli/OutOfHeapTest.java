package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A Java heap too small for the data set: one line saying what to change, not an OutOfMemoryError trace. */
class OutOfHeapTest {

    /** The Debian package's files: local data, so that nothing is downloaded (a missing file is named instead). */
    private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

    @Test
    void fashionMnistInA64MegabyteHeapIsOneLine(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        Process cli = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-Dzoobench.progress=false", "-cp", System.getProperty("java.class.path"),
                ZooBenchCli.class.getName(), "train", "lenet5", "--dataset", "fashion-mnist", "--data-dir",
                FASHION_MNIST.toString(), "--epochs", "1", "--results", results.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cli.waitFor(120, TimeUnit.SECONDS));
        assertEquals(ZooBenchCli.USER_ERROR, cli.exitValue(), err);
        String last = err.strip().lines().reduce((a, b) -> b).orElse("");
        // the heap the JVM reports is -Xmx less what its collector keeps aside
        assertTrue(last.matches("zoobench: out of memory \\(Java heap space\\) with a Java heap of 6[0-4]\\.\\d MiB: "
                + "give Java more, e.g\\. ZOOBENCH_JAVA_OPTS=-Xmx8g \\(the default\\), or ask for less \\(a smaller "
                + "--batch, --limit or --input\\)"), err);
        assertFalse(err.contains("\tat "), err);
        assertFalse(Files.exists(results), "nothing created");
    }
}

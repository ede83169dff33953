package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchLauncherTest {

    /** A backend's classpath list written before a dependency was added would miss its jars (--backend avx2). */
    @Test
    void aClasspathListOlderThanAPomIsRebuilt(@TempDir Path root) throws IOException {
        Path list = Files.createDirectories(root.resolve("experiments/target")).resolve("classpath-avx2.txt");
        Files.writeString(list, "a.jar");
        Path pom = Files.writeString(root.resolve("experiments").resolve("pom.xml"), "<project/>");
        Files.setLastModifiedTime(pom, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        Files.setLastModifiedTime(list, FileTime.from(Instant.parse("2026-01-02T00:00:00Z")));
        BenchLauncher launcher = new BenchLauncher(root);
        assertFalse(launcher.olderThanAPom(list), "a list written after every pom is current");

        Files.setLastModifiedTime(pom, FileTime.from(Instant.parse("2026-01-03T00:00:00Z")));
        assertTrue(launcher.olderThanAPom(list), "a pom changed after the list was written");
    }
}

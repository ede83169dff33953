package org.zoobench.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.RunSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.cli.NumbersAtTheirLimitsTest.assertUserError;

/** Where results go: directories that cannot hold them, and disks that fill up. */
class ResultsDirectoryTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    @AfterEach
    void forgetSpaceOverride() {
        System.clearProperty(ResultsStore.SPACE_PROPERTY);
    }

    @Test
    void theRootAndAnEmptyPathAreRefusedWithoutCreatingAnything() {
        assertUserError(CliRun.train(Path.of("/")), "'/' is the file system's root: give the results a directory of "
                + "their own with --results DIR");
        assertFalse(Files.exists(Path.of("/runs")));
        assertUserError(CliRun.of("train", "lenet5", "--dataset", "synthetic", "--results", ""),
                "the results directory is empty; give one with --results DIR");
        assertFalse(Files.exists(Path.of("runs")));
    }

    @Test
    void aDiskWithoutRoomForTheRunIsRefusedBeforeTraining() {
        System.setProperty(ResultsStore.SPACE_PROPERTY, String.valueOf(300 * 1024));
        Path results = tmp.resolve("results");
        assertUserError(CliRun.train(results), results + " has 300.0 KiB free, and 1 run needs about ");
        assertFalse(Files.exists(results), "nothing created");
    }

    @Test
    void aSaveThatFailsKeepsNothingOfTheRunAndARerunTrainsIt() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, CliRun.train(results).exitCode());
        RunRecord first = ResultsStore.openForReading(results).records().get(0);
        String id = first.runId();
        Path seed2 = results.resolve("runs").resolve(RunSpec.single(first.config().withSeed(2)).runId());
        // a model.zip that cannot be replaced, as a full disk refuses a write
        Files.createDirectories(seed2.resolve(ResultsStore.MODEL).resolve("in-the-way"));
        CliRun failed = CliRun.train(results, "--seed", "2");
        assertUserError(failed, "cannot save run " + seed2.getFileName() + " in " + results);
        assertTrue(failed.err().contains("nothing of it was kept: free some space (or fix the directory) and rerun to "
                + "train it again"), failed.err());
        assertFalse(Files.exists(seed2.resolve(ResultsStore.PREDICTIONS)));
        assertEquals(List.of(id), ResultsStore.openForReading(results).records().stream().map(RunRecord::runId)
                .toList());

        Files.delete(seed2.resolve(ResultsStore.MODEL).resolve("in-the-way"));
        Files.delete(seed2.resolve(ResultsStore.MODEL));
        assertEquals(0, CliRun.train(results, "--seed", "2").exitCode());
        assertEquals(2, ResultsStore.openForReading(results).records().size());
    }
}

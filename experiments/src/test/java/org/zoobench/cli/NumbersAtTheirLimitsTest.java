package org.zoobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.zoobench.experiments.results.ResultsStore;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Numbers at the ends of their types, typed where a user types numbers: one line each, exit 2, nothing written. */
class NumbersAtTheirLimitsTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    static void assertUserError(CliRun run, String expected) {
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), "exit " + run.exitCode() + ": " + run.err() + run.out());
        assertTrue(run.errIsOneLine(), run.err());
        assertTrue(run.err().contains(expected), run.err());
    }

    @Test
    void anInputSizeBeyondAnIntIsOneLine() {
        Path results = tmp.resolve("results");
        String expected = "input shape '1x9999999999x1' has a size above 2,147,483,647";
        assertUserError(CliRun.of("summary", "lenet5", "--input", "1x9999999999x1"), expected);
        assertUserError(CliRun.train(results, "--input", "1x9999999999x1"), expected);
        assertUserError(CliRun.of("bench", "lenet5", "--input", "1x9999999999x1"), expected);
        assertFalse(Files.exists(results));
    }

    @Test
    void anInputWithMoreValuesThanDl4jIndexesIsRefusedNotOverflowed() {
        Path results = tmp.resolve("results");
        String expected = "input shape 1x2147483647x2147483647 has 4,611,686,014,132,420,609 values per example, "
                + "more than the 2,147,483,647 DL4J can index";
        CliRun summary = CliRun.of("summary", "lenet5", "--input", "1x2147483647x2147483647");
        assertUserError(summary, expected);
        assertFalse(summary.out().contains("-"), "no negative counts: " + summary.out());
        assertUserError(CliRun.train(results, "--input", "1x2147483647x2147483647"), expected);
        assertFalse(Files.exists(results));
    }

    @Test
    void theLargestInputDl4jIndexesProfilesWithoutOverflow() {
        CliRun summary = CliRun.of("summary", "lenet5", "--input", "1x46340x46340", "--format", "csv");
        assertEquals(0, summary.exitCode(), summary.err());
        assertFalse(summary.out().contains(",-"), "no negative counts: " + summary.out());
    }

    @Test
    void aGeneratedDataSetLargerThanMemoryIsRefusedBeforeItIsGenerated() {
        Path results = tmp.resolve("results");
        assertUserError(CliRun.of("train", "lenet5", "--dataset", "synthetic", "--limit", "2147483647", "--results",
                results.toString()), "--limit 2,147,483,647: that many synthetic examples of 1x28x28 take ");
        assertUserError(CliRun.of("train", "lenet5", "--dataset", "synthetic", "--test-limit", "2147483647",
                "--results", results.toString()), "use a smaller --test-limit");
        assertUserError(CliRun.of("train", "bilstm-tagger", "--dataset", "future-context", "--limit", "2147483647",
                "--results", results.toString()), "--limit 2,147,483,647: that many future-context examples of 4x16");
        assertFalse(Files.exists(results));
    }

    @Test
    void bootstrapResamplesBeyondAMillionAreRefusedBeforeTraining() {
        Path results = tmp.resolve("results");
        assertUserError(CliRun.of("train", "lenet5", "--dataset", "synthetic", "--bootstrap", "2147483647",
                "--results", results.toString()), "--bootstrap takes at most 1,000,000 resamples");
        assertFalse(Files.exists(results));
    }

    @Test
    void aBatchAboveTheTrainingImagesIsRecordedAsTheBatchUsed() throws Exception {
        Path results = tmp.resolve("results");
        CliRun run = CliRun.of("train", "lenet5", "--dataset", "synthetic", "--epochs", "1", "--limit", "64",
                "--test-limit", "50", "--batch", "2147483647", "--bootstrap", "1000", "--results", results.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("note: --batch 2147483647 is more than the 64 training images of synthetic; "
                + "using and recording 64"), run.out());
        assertEquals(64, ResultsStore.openForReading(results).records().get(0).config().batchSize());
    }
}

package org.zoobench.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.data.ImageFolders;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** User mistakes with run's --dataset, --scale, --input and --backend: one line and exit code 2, nothing trained. */
class RunCommandOptionsTest {

    private static void oneLineUserError(CliRun run, String start) {
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), run.out() + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("zoobench: " + start), run.err());
    }

    @Test
    void imagenetScaleNeedsAnImageFolderWithTrainAndVal(@TempDir Path tmp) throws Exception {
        String results = tmp.resolve("results").toString();
        oneLineUserError(CliRun.of("run", "alexnet-ablation", "--scale", "imagenet", "--results", results),
                "--scale imagenet trains on an ImageNet-style folder: pass --dataset image-folder --data-dir DIR");
        Path data = ImageFolders.write(tmp.resolve("data"), 2, 2, 1, 20);
        Files.walk(data.resolve("val")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        oneLineUserError(CliRun.of("run", "alexnet-ablation", "--scale", "imagenet", "--dataset", "image-folder",
                "--data-dir", data.toString(), "--results", results), "image folder " + data + " has no val/ folder");
        oneLineUserError(CliRun.of("run", "alexnet-ablation", "--scale", "huge", "--results", results),
                "Invalid value for option '--scale': unknown scale 'huge'; choose mini or imagenet");
    }

    @Test
    void optionsASuiteCannotHonourAreRefused(@TempDir Path tmp) {
        String results = tmp.resolve("results").toString();
        oneLineUserError(CliRun.of("run", "depth", "--scale", "imagenet", "--results", results),
                "--scale imagenet applies to alexnet-ablation only, not depth");
        oneLineUserError(CliRun.of("run", "birnn", "--input", "3x64x64", "--results", results),
                "--input applies to alexnet-ablation only");
        oneLineUserError(CliRun.of("run", "architectures", "--dataset", "nonsense", "--results", results),
                "unknown dataset 'nonsense'");
    }

    @Test
    void limitsBelowOneAreRefused(@TempDir Path tmp) {
        String results = tmp.resolve("results").toString();
        oneLineUserError(CliRun.of("run", "birnn", "--quick", "--limit", "0", "--results", results),
                "--limit must be at least 1 (leave it out for the recipe's training examples), got 0");
        oneLineUserError(CliRun.of("run", "birnn", "--quick", "--test-limit", "-3", "--results", results),
                "--test-limit must be at least 1 (leave it out for the recipe's test examples), got -3");
        assertTrue(Files.notExists(tmp.resolve("results")));
    }

    @Test
    void limitsCutEveryRunOfTheSuite(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        CliRun run = CliRun.of("run", "birnn", "--quick", "--limit", "40", "--test-limit", "30",
                "--results", results.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        List<RunRecord> records = ResultsStore.openForReading(results).records();
        assertEquals(4, records.size());
        for (RunRecord r : records) {
            assertEquals(List.of(40, 30), List.of(r.config().trainLimit(), r.config().testLimit()), r.runId());
        }
        assertTrue(run.out().contains("Note: every run cut to at most 40 training and 30 test examples"), run.out());
    }

    @Test
    void sittingsThatAreNoLengthOfTimeOrCannotBePlannedAreRefused(@TempDir Path tmp) {
        String results = tmp.resolve("results").toString();
        oneLineUserError(CliRun.of("run", "depth", "--sitting", "2 hours", "--results", results),
                "Invalid value for option '--sitting': '2 hours' is not a length of time: write it as 2h30m, 90m or 45s");
        oneLineUserError(CliRun.of("run", "depth", "--sitting", "0m", "--results", results),
                "Invalid value for option '--sitting': '0m' is no time at all");
        oneLineUserError(CliRun.of("run", "depth", "--sitting", "2h", "--estimate", "--results", results),
                "--estimate trains nothing, so a --sitting has nothing to plan");
        oneLineUserError(CliRun.of("run", "depth", "--sitting", "2h", "--spark", "local[1]", "--results", results),
                "--sitting plans by a calibration in this JVM");
        assertTrue(Files.notExists(tmp.resolve("results")));
    }

    @Test
    void aSittingTooShortForAnyRunSaysWhichIsShortestAndTrainsNothing(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        CliRun run = CliRun.of("run", "birnn", "--quick", "--limit", "40", "--test-limit", "30", "--sitting", "1s",
                "--results", results.toString());
        oneLineUserError(run, "no run fits in a sitting of 0m01s: the shortest left, ");
        assertTrue(run.out().contains(": left for a later sitting (expected "), run.out());
        assertTrue(ResultsStore.openForReading(results).records().isEmpty());
    }
}

package org.zoobench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.suites.Suites;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `run SUITE --estimate` on a results folder: the runs finished there are left out, and nothing is trained or
 * written. (The estimate itself, calibrated on real steps, is SuiteEstimateTest's.)
 */
class RunEstimateTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    private static List<Path> files(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.sorted().toList();
        }
    }

    @Test
    void finishedRunsAreLeftOutAndNothingIsWritten(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        List<RunSpec> runs = Suites.get("depth").plan(true).runs();
        for (RunSpec run : runs) {
            // A run counts as finished once it has a whole record: its id, config and end time.
            Path dir = Files.createDirectories(results.resolve("runs").resolve(run.runId()));
            ObjectNode record = JSON.createObjectNode().put("runId", run.runId())
                    .put("finishedAt", "2026-01-01T00:00:00Z");
            record.set("config", JSON.valueToTree(run.config()));
            Files.writeString(dir.resolve("record.json"), JSON.writeValueAsString(record));
        }
        List<Path> before = files(results);
        CliRun run = CliRun.of("run", "depth", "--quick", "--estimate", "--results", results.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        String out = run.out() + run.err();
        assertTrue(out.contains("Recipe: "), out);
        assertTrue(out.contains("4 of 4 runs already finished in " + results + "\nNothing left to train."), out);
        assertEquals(before, files(results), "nothing written");
    }
}

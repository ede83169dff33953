package org.zoobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `run SUITE --estimate`: the recipe and each run's expected time, and nothing trained or written. */
class RunEstimateTest {

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    @Test
    void estimatePrintsEachRunsExpectedTimeAndWritesNothing(@TempDir Path tmp) {
        Path results = tmp.resolve("results");
        // The quick depth suite's runs have time budgets: only a few forward passes of each net are timed.
        CliRun run = CliRun.of("run", "depth", "--quick", "--estimate", "--results", results.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());
        String out = run.out() + run.err();
        assertTrue(out.contains("Recipe: "), out);
        assertTrue(out.matches("(?s).*Expected duration: about \\d+m\\d\\ds for 4 runs, calibrated on this machine.*"),
                out);
        assertTrue(out.matches("(?s).*- resnet56 seed 1: 150 s of training and 4 evaluations: \\d+m\\d\\ds\n.*"), out);
        assertFalse(Files.exists(results), "nothing written");
    }
}

package org.zoobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.ResultsLock;
import org.zoobench.experiments.results.ResultsStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.cli.NumbersAtTheirLimitsTest.assertUserError;

/** A results folder is rebuilt from what survived, and says in one line what it could not use. */
class DamagedResultsTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    private static List<Path> runs(Path results) throws Exception {
        try (Stream<Path> runs = Files.list(results.resolve("runs"))) {
            return runs.sorted().toList();
        }
    }

    @Test
    void aDamagedSuiteFileIsNotedAndTheReportAndTheSuiteGoOn() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, CliRun.train(results).exitCode());
        Path suite = results.resolve(ResultsStore.SUITE);
        Files.writeString(suite, "{\"suite\": \"alexnet-abl");
        CliRun report = CliRun.of("report", results.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(report.out().contains("note: could not use " + suite + " (Unexpected end-of-input"), report.out());
        assertTrue(report.out().contains("until then reports take the suite from the runs' records"), report.out());
        assertTrue(report.out().contains("| lenet5 |"), report.out());

        for (String damaged : List.of("[1,2]", "{}", "")) {
            Files.writeString(suite, damaged);
            CliRun again = CliRun.of("report", results.toString());
            assertEquals(0, again.exitCode(), again.err());
            assertTrue(again.out().contains("note: could not use " + suite), damaged + ": " + again.out());
        }
        // what `run SUITE` reads before it writes the file again
        ResultsStore store = ResultsStore.openForReading(results);
        assertTrue(store.suiteInfo().isEmpty());
        assertEquals(1, store.repairs().size());
    }

    @Test
    void aDamagedRecordIsLeftOutOfTheReportAndTrainedAgainByARerun() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, CliRun.train(results).exitCode());
        assertEquals(0, CliRun.train(results, "--seed", "2").exitCode());
        Path record = runs(results).get(0).resolve(ResultsStore.RECORD);
        String whole = Files.readString(record);
        Files.writeString(record, whole.substring(0, whole.length() / 3));

        CliRun report = CliRun.of("report", results.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(report.out().contains("note: could not use " + record + " ("), report.out());
        assertTrue(report.out().contains("its run is left out, and a rerun trains it again"), report.out());

        String seed = whole.contains("\"seed\" : 1,") ? "1" : "2";
        CliRun rerun = CliRun.train(results, "--seed", seed);
        assertEquals(0, rerun.exitCode(), rerun.err());
        assertTrue(rerun.out().contains("[1/1] lenet5 seed " + seed), "trained again: " + rerun.out());
        assertEquals(2, ResultsStore.openForReading(results).records().size());
    }

    @Test
    void strayAndForeignRecordsAreLeftOutAndNamed() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, CliRun.train(results).exitCode());
        Path run = runs(results).get(0);
        Path copy = Files.createDirectories(results.resolve("runs/copy of a run"));
        Files.copy(run.resolve(ResultsStore.RECORD), copy.resolve(ResultsStore.RECORD));
        Path empty = Files.createDirectories(results.resolve("runs/empty-record"));
        Files.writeString(empty.resolve(ResultsStore.RECORD), "{}");
        Files.writeString(results.resolve("runs/notes.txt"), "a stray file");
        CliRun report = CliRun.of("report", results.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(report.out().contains("note: could not use " + copy.resolve(ResultsStore.RECORD) + " (it is the "
                + "record of run " + run.getFileName() + ", not of copy of a run)"), report.out());
        assertTrue(report.out().contains("note: could not use " + empty.resolve(ResultsStore.RECORD) + " (it is not "
                + "a whole run record)"), report.out());
        assertEquals(2, Files.readAllLines(results.resolve(ResultsStore.CSV)).size(), "header and the one run");
    }

    @Test
    void reportRepairsCutOffRowFiles() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, CliRun.train(results).exitCode());
        Path jsonl = results.resolve(ResultsStore.JSONL);
        String rows = Files.readString(jsonl);
        Files.writeString(jsonl, rows.substring(0, rows.length() / 2));
        Files.writeString(results.resolve(ResultsStore.CSV), "garbage\n");
        CliRun report = CliRun.of("report", results.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertTrue(report.out().contains("note: repaired " + jsonl + ": line 1 was cut off or garbled"), report.out());
        assertEquals(rows, Files.readString(jsonl));
        assertEquals(2, Files.readAllLines(results.resolve(ResultsStore.CSV)).size(), "header and the run's row");
    }

    @Test
    void reportOnAReadOnlyFolderIsOneLine() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, CliRun.train(results).exitCode());
        String table = Files.readString(results.resolve("results.md"));
        Files.setPosixFilePermissions(results, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertUserError(CliRun.of("report", results.toString()), "cannot write results to '" + results + "': "
                    + results + " is read-only; make it writable (chmod u+w), or write the results elsewhere");
        } finally {
            Files.setPosixFilePermissions(results, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertEquals(table, Files.readString(results.resolve("results.md")));
    }

    @Test
    void aSecondWriterIsRefusedInOneLineNamingTheFirst() throws Exception {
        Path results = tmp.resolve("results");
        Files.createDirectories(results.resolve("runs"));
        Process first = ChildJvm.start("results-lock", results.toString());
        try {
            ChildJvm.awaitLocked(first);
            String expected = "'" + results + "' is being written by another zoobench (pid " + first.pid() + "); two "
                    + "writers would train the same runs twice: wait for it to finish (then rerun to resume), or "
                    + "choose another --results";
            assertUserError(CliRun.train(results), expected);
            assertUserError(CliRun.of("run", "birnn", "--quick", "--results", results.toString()), expected);
            assertUserError(CliRun.of("report", results.toString()), expected);
            assertEquals(List.of(), runs(results), "nothing trained");
        } finally {
            first.destroyForcibly().waitFor();
        }
        assertEquals(0, CliRun.train(results).exitCode(), "the folder is free once its writer is gone");
        assertTrue(Files.isRegularFile(results.resolve(ResultsLock.FILE_NAME)));
    }
}

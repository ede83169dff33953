package org.zoobench.experiments.suites;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.AtomicFiles;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.runner.LocalRunExecutor;
import org.zoobench.experiments.runner.RunExecutor;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.experiments.runner.TinyRuns;
import org.zoobench.zoo.ModelEntry;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteRunnerTest {

    private static final List<RunSpec> SUITE = List.of(
            new RunSpec("test", "a", TinyRuns.config("tiny-a", 1), 0),
            new RunSpec("test", "b", TinyRuns.config("tiny-b", 1), 0),
            new RunSpec("test", "a", TinyRuns.config("tiny-a", 2), 0),
            new RunSpec("test", "b", TinyRuns.config("tiny-b", 2), 0));

    /** Models by name, counting how many runs were actually started; the run numbered {@code killAt} is "killed". */
    private static Function<String, ModelEntry> models(List<String> started, int killAt) {
        return name -> {
            started.add(name);
            if (started.size() == killAt) {
                throw new IllegalStateException("killed");
            }
            return TinyRuns.tinyCnn(name);
        };
    }

    @Test
    void aKilledSuiteResumesSkippingFinishedRunsAndLosesNothing(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.openForWriting(dir);
        List<String> firstAttempt = new ArrayList<>();
        SuiteRunner first = new SuiteRunner(store, models(firstAttempt, 3), TinyRuns.syntheticData(),
                new PrintWriter(new StringWriter()));
        assertThrows(IllegalStateException.class, () -> first.run(SUITE));
        assertEquals(2, store.records().size(), "the two runs before the kill are saved");
        // A kill in the middle of a write leaves at most a temporary file, which nothing reads.
        Files.createDirectories(store.runDir(SUITE.get(2).runId()));
        Files.writeString(store.runDir(SUITE.get(2).runId()).resolve(".record.json123" + AtomicFiles.TEMP_SUFFIX),
                "{ half a rec");
        List<RunRecord> before = store.records();

        List<String> secondAttempt = new ArrayList<>();
        StringWriter log = new StringWriter();
        List<RunRecord> records = new SuiteRunner(store, models(secondAttempt, -1), TinyRuns.syntheticData(),
                new PrintWriter(log, true)).run(SUITE);

        assertEquals(List.of("tiny-a", "tiny-b"), secondAttempt, "only the two unfinished runs are trained again");
        assertTrue(log.toString().contains("resuming: 2 of 4 runs already finished"), log.toString());
        assertEquals(SUITE.stream().map(RunSpec::runId).toList(), records.stream().map(RunRecord::runId).toList());
        assertEquals(before, records.subList(0, 2), "finished runs are kept as they were");
        List<String> csv = Files.readAllLines(dir.resolve(ResultsStore.CSV), StandardCharsets.UTF_8);
        assertEquals(1 + SUITE.size(), csv.size(), "header plus one row per run, none twice");
        assertEquals(SUITE.size(), Files.readAllLines(dir.resolve(ResultsStore.JSONL)).size());

        // Nothing left to do: a third attempt trains nothing.
        List<String> third = new ArrayList<>();
        new SuiteRunner(store, models(third, -1), TinyRuns.syntheticData(), new PrintWriter(new StringWriter()))
                .run(SUITE);
        assertTrue(third.isEmpty());
    }

    @Test
    void rowsMissingAfterAKillBetweenRecordAndCsvAreRestored(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.openForWriting(dir);
        new SuiteRunner(store, models(new ArrayList<>(), -1), TinyRuns.syntheticData(),
                new PrintWriter(new StringWriter())).run(SUITE.subList(0, 1));
        Files.delete(dir.resolve(ResultsStore.CSV));
        Files.delete(dir.resolve(ResultsStore.JSONL));
        store.reconcile();
        assertEquals(2, Files.readAllLines(dir.resolve(ResultsStore.CSV)).size());
        assertEquals(1, Files.readAllLines(dir.resolve(ResultsStore.JSONL)).size());
    }

    /** Trains runs here, except that the run numbered {@code failing} (from 1) fails, as a Spark task can. */
    private static RunExecutor failingRun(int failing) {
        RunExecutor here = new LocalRunExecutor(TinyRuns::tinyCnn, TinyRuns.syntheticData());
        return (runs, store, listener) -> {
            for (int i = 0; i < runs.size(); i++) {
                if (i + 1 == failing) {
                    listener.failed(runs.get(i), "executor lost");
                } else {
                    here.trainAll(List.of(runs.get(i)), store, listener);
                }
            }
        };
    }

    @Test
    void aFailedRunIsNotedTheSuiteGoesOnAndARerunTrainsIt(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.openForWriting(dir);
        StringWriter log = new StringWriter();
        SuiteRunner first = new SuiteRunner(store, failingRun(2), new PrintWriter(log, true));
        List<RunRecord> records = first.run(SUITE.subList(0, 3));
        String failed = SUITE.get(1).runId();
        assertEquals(List.of(SUITE.get(0).runId(), SUITE.get(2).runId()),
                records.stream().map(RunRecord::runId).toList(), "the runs after the failed one are trained");
        assertEquals(java.util.Map.of(failed, "executor lost"), first.failures());
        Path note = store.runDir(failed).resolve(ResultsStore.FAILURE);
        assertEquals("executor lost\n", Files.readString(note));
        assertTrue(log.toString().contains("[2/3] tiny-b seed 1: FAILED: executor lost"), log.toString());

        SuiteRunner rerun = new SuiteRunner(store, failingRun(-1), new PrintWriter(new StringWriter()));
        assertEquals(3, rerun.run(SUITE.subList(0, 3)).size());
        assertTrue(rerun.failures().isEmpty());
        assertTrue(store.isFinished(failed));
        assertFalse(Files.exists(note), "the note goes once the run is saved");
    }

    @Test
    void aSittingTrainsTheRunsThatFitInOrderAndLeavesTheRestForTheNext(@TempDir Path dir) throws Exception {
        ResultsStore store = ResultsStore.openForWriting(dir);
        // The b runs are expected to outlast the sitting, the a runs to fit.
        Map<String, Double> expected = new LinkedHashMap<>();
        SUITE.forEach(r -> expected.put(r.runId(), r.config().model().equals("tiny-a") ? 1.0 : 1e6));
        List<String> started = new ArrayList<>();
        StringWriter log = new StringWriter();
        SuiteRunner first = new SuiteRunner(store, models(started, -1), TinyRuns.syntheticData(),
                new PrintWriter(log, true));
        List<RunRecord> records = first.run(SUITE, new SuiteRunner.Sitting(Duration.ofHours(1), expected));

        assertEquals(List.of("tiny-a", "tiny-a"), started, "the runs after one left for later still train");
        assertEquals(List.of(SUITE.get(0).runId(), SUITE.get(2).runId()),
                records.stream().map(RunRecord::runId).toList());
        assertEquals(List.of(SUITE.get(1).runId(), SUITE.get(3).runId()), first.leftForLater());
        assertTrue(log.toString().contains("[2/4] tiny-b seed 1: left for a later sitting (expected 277h46m to its "
                + "earliest stop; "), log.toString());

        List<String> next = new ArrayList<>();
        SuiteRunner second = new SuiteRunner(store, models(next, -1), TinyRuns.syntheticData(),
                new PrintWriter(new StringWriter()));
        assertEquals(4, second.run(SUITE).size(), "the next sitting trains what the first left");
        assertEquals(List.of("tiny-b", "tiny-b"), next);
        assertTrue(second.leftForLater().isEmpty());
    }
}

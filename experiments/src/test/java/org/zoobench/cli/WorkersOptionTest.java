package org.zoobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.device.ThisMachine;
import org.zoobench.experiments.results.DataParallel;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.parallel.WorkerMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** --workers and --worker-mode of train and run: bad values are one line and exit 2, with nothing written. */
class WorkersOptionTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    private CliRun train(String... more) {
        List<String> args = new ArrayList<>(List.of("train", "lenet5", "--dataset", "synthetic", "--epochs", "1",
                "--limit", "64", "--test-limit", "32", "--batch", "32", "--bootstrap", "1000",
                "--results", tmp.resolve("results").toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertRefused(CliRun run, String expected) {
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), run.err() + run.out());
        assertTrue(run.errIsOneLine(), run.err());
        assertEquals("zoobench: " + expected, run.err().strip());
        assertFalse(Files.exists(tmp.resolve("results")), "nothing written");
    }

    @Test
    void badWorkersAreRefusedBeforeAnythingIsWritten() {
        int processors = ThisMachine.processors();
        assertRefused(train("--workers", "0"), "--workers must be at least 1, got 0");
        assertRefused(train("--workers", "-3"), "--workers must be at least 1, got -3");
        assertRefused(train("--workers", String.valueOf(processors + 1)), "--workers " + (processors + 1)
                + " is more than the " + processors + " processor" + (processors == 1 ? "" : "s") + " this process "
                + "may use: on the CPU the workers share the cores, so at most " + processors + " (more would only take "
                + "turns)");
        assertRefused(train("--workers", "two"), "Invalid value for option '--workers': 'two' is not an int "
                + "(see `zoobench train --help`)");
        assertRefused(train("--worker-mode", "averaging"), "--worker-mode averaging needs --workers of at least 2");
        assertRefused(train("--workers", "2", "--worker-mode", "sync"), "Invalid value for option '--worker-mode': "
                + "unknown worker mode 'sync'; expected averaging or shared-gradients (see `zoobench train --help`)");
        CliRun suite = CliRun.of("run", "birnn", "--quick", "--workers", "0", "--results",
                tmp.resolve("results").toString());
        assertRefused(suite, "--workers must be at least 1, got 0");
    }

    @Test
    void aBatchSmallerThanTheWorkersIsRefused() {
        assumeTrue(ThisMachine.processors() >= 2, "needs two processors for two workers");
        CliRun run = CliRun.of("train", "lenet5", "--dataset", "synthetic", "--batch", "1", "--workers", "2",
                "--results", tmp.resolve("results").toString());
        assertRefused(run, "a batch of 1 cannot be split among 2 workers: use a --batch of at least 2, or fewer "
                + "--workers");
    }

    @Test
    void twoWorkersTrainAndTheRecordSaysHow() {
        assumeTrue(ThisMachine.processors() >= 2, "needs two processors for two workers");
        CliRun run = train("--workers", "2");
        assertEquals(0, run.exitCode(), run.err() + run.out());
        RunRecord r = ResultsStore.openForReading(tmp.resolve("results")).records().get(0);
        assertEquals(new DataParallel(2, WorkerMode.AVERAGING), r.config().dataParallel(), "the CPU's default mode");
        assertEquals(RunRecord.FINISHED, r.status());
    }
}

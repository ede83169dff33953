package org.zoobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.ResultsStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.cli.HostileInputsTest.onlyRun;
import static org.zoobench.cli.NumbersAtTheirLimitsTest.assertUserError;

/** `eval` on a run whose files no longer agree with each other says which and why. */
class EvalMismatchTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    @Test
    void aModelReplacedByAnotherRunsIsNamedInOneLine() throws Exception {
        Path at28 = tmp.resolve("at28");
        Path at32 = tmp.resolve("at32");
        assertEquals(0, CliRun.train(at28).exitCode());
        assertEquals(0, CliRun.train(at32, "--input", "1x32x32").exitCode());
        Path run = onlyRun(at28);
        Path model = run.resolve(ResultsStore.MODEL);
        Files.copy(onlyRun(at32).resolve(ResultsStore.MODEL), model, StandardCopyOption.REPLACE_EXISTING);
        CliRun eval = CliRun.of("eval", run.toString());
        assertUserError(eval, model + " holds a network of ");
        assertTrue(eval.err().contains("but its record.json describes lenet5 at 1x28x28 with 10 classes (61,706 "
                + "parameters): it was replaced by another model"), eval.err());
    }

    @Test
    void aTop1FarFromTheRecordedOneGetsANote() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, CliRun.train(results).exitCode());
        Path run = onlyRun(results);
        CliRun same = CliRun.of("eval", run.toString());
        assertEquals(0, same.exitCode(), same.err());
        assertFalse(same.out().contains("note:"), "the same model on the same data agrees: " + same.out());

        Path record = run.resolve(ResultsStore.RECORD);
        String text = Files.readString(record);
        String changed = text.replaceFirst("\"top1\" : \\{\\s*\"value\" : [0-9.E-]+,\\s*\"low\" : [0-9.E-]+,\\s*"
                + "\"high\" : [0-9.E-]+", "\"top1\" : { \"value\" : 99.5, \"low\" : 99.0, \"high\" : 100.0");
        assertFalse(changed.equals(text), "the record's top-1 was rewritten");
        Files.writeString(record, changed);
        CliRun far = CliRun.of("eval", run.toString());
        assertEquals(0, far.exitCode(), far.err());
        assertTrue(far.out().contains("outside the recorded interval and the recorded 99.5 outside this one: the test "
                + "images read now (--data-dir, the data set's files) or model.zip are not what the run was evaluated "
                + "on"), far.out());
    }
}

package org.zoobench.cli;

import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.cli.CliRun.train;

/**
 * --ui, --stats and `zoobench ui` given what they cannot use: one line naming the problem, exit 2, before anything
 * is trained or written; and how --ui's optional port is read.
 */
class TrainingUiInputsTest {

    @TempDir
    static Path tmp;

    /** A stats file with one training session in it. */
    static Path stats;

    @BeforeAll
    static void recordOneRun() {
        System.setProperty("zoobench.progress", "false");
        stats = tmp.resolve("stats.bin");
        CliRun run = train(tmp.resolve("recorded"), "--stats", stats.toString());
        assertEquals(0, run.exitCode(), run.err());
    }

    private static void assertUserError(CliRun run, String message) {
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), run.out() + run.err());
        assertTrue(run.errIsOneLine(), run.err());
        assertEquals("zoobench: " + message + "\n", run.err());
    }

    /** Nothing was trained or written under {@code results}. */
    private static void assertNothingWritten(Path results) {
        assertFalse(Files.exists(results), "no results directory");
    }

    @Test
    void aPortInUseIsRefusedBeforeAnythingIsLoadedOrWritten() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Path results = tmp.resolve("port-in-use");
            assertUserError(train(results, "--ui", String.valueOf(port)), "cannot serve the training UI on "
                    + "127.0.0.1:" + port + ": Address already in use; choose another port with --ui PORT (0 picks a "
                    + "free one)");
            assertNothingWritten(results);
            assertUserError(CliRun.of("run", "alexnet-ablation", "--quick", "--ui", String.valueOf(port), "--results",
                    results.toString()), "cannot serve the training UI on 127.0.0.1:" + port + ": Address already in "
                    + "use; choose another port with --ui PORT (0 picks a free one)");
            assertNothingWritten(results);
            assertUserError(CliRun.of("ui", stats.toString(), "--port", String.valueOf(port)), "cannot serve the "
                    + "training UI on 127.0.0.1:" + port + ": Address already in use; choose another port with --port "
                    + "(0 picks a free one)");
        }
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        Path results = tmp.resolve("out-of-range");
        assertUserError(train(results, "--ui", "70000"), "--ui PORT must be a port from 1 to 65535 (or 0 for any free "
                + "port), got 70000");
        assertNothingWritten(results);
        assertUserError(train(results, "--ui", "abc"), "--ui takes a port number (0 picks a free one; leave it out for "
                + "9000), not 'abc' (see `zoobench train --help`)");
        assertNothingWritten(results);
        assertUserError(CliRun.of("ui", stats.toString(), "--port", "-1"), "--port must be a port from 1 to 65535 (or "
                + "0 for any free port), got -1");
    }

    @Test
    void aStatsFileThatCannotBeWrittenIsRefusedBeforeTraining() throws Exception {
        Path results = tmp.resolve("unwritable");
        Path readOnly = Files.createDirectories(tmp.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            Path inReadOnly = readOnly.resolve("stats.bin");
            assertUserError(train(results, "--stats", inReadOnly.toString()), "cannot write --stats " + inReadOnly
                    + ": " + readOnly + " is read-only; make it writable (chmod u+w) or choose another file");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path notADirectory = Files.writeString(tmp.resolve("plain.txt"), "text\n");
        assertUserError(train(results, "--stats", notADirectory.resolve("stats.bin").toString()), "cannot write "
                + "--stats " + notADirectory.resolve("stats.bin") + ": " + notADirectory + " is not a directory");
        assertUserError(train(results, "--stats", tmp.toString()), "--stats " + tmp + " is a directory; name a file "
                + "in it, e.g. " + tmp.resolve("stats.bin"));
        assertUserError(train(results, "--stats", "/dev/null"), "--stats /dev/null is not a regular file; name a new "
                + "file");
        assertUserError(train(results, "--stats", notADirectory.toString()), "--stats " + notADirectory + " exists "
                + "and is not a stats file (DL4J's FileStatsStorage); choose a new file, or delete it");
        assertEquals("text\n", Files.readString(notADirectory), "left as it was");
        assertNothingWritten(results);
    }

    @Test
    void anEmptyFileCountsAsANewStatsFile() throws Exception {
        Path empty = Files.createFile(tmp.resolve("mktemp.bin"));
        CliRun run = train(tmp.resolve("into-empty"), "--stats", empty.toString());
        assertEquals(0, run.exitCode(), run.err());
        FileStatsStorage recorded = new FileStatsStorage(empty.toFile());
        try {
            assertEquals(1, recorded.listSessionIDs().size());
        } finally {
            recorded.close();
        }
    }

    @Test
    void uiRefusesWhatIsNotAStatsFileAndLeavesItAsItWas() throws Exception {
        Path csv = Files.writeString(tmp.resolve("results.csv"), "model,top1\nlenet5,99.0\n");
        assertUserError(CliRun.of("ui", csv.toString()), csv + " is not a stats file (DL4J's FileStatsStorage, as "
                + "`zoobench train ... --stats FILE` writes it)");
        assertEquals("model,top1\nlenet5,99.0\n", Files.readString(csv));

        Path missing = tmp.resolve("missing.bin");
        assertUserError(CliRun.of("ui", missing.toString()), "no stats file " + missing + "; `zoobench train ... "
                + "--stats FILE` writes one");
        assertFalse(Files.exists(missing), "not created");

        byte[] whole = Files.readAllBytes(stats);
        for (int length : new int[]{64, 16, whole.length / 2}) {
            // a file of its own: MapDB keeps a store it failed to open locked for the rest of this JVM
            Path cut = tmp.resolve("cut-to-" + length + ".bin");
            Files.write(cut, java.util.Arrays.copyOf(whole, length));
            CliRun damaged = CliRun.of("ui", cut.toString());
            assertEquals(ZooBenchCli.USER_ERROR, damaged.exitCode(), damaged.err());
            assertTrue(damaged.errIsOneLine(), damaged.err());
            assertTrue(damaged.err().startsWith("zoobench: " + cut + " is damaged or not a stats file ("), damaged.err());
            assertFalse(damaged.err().contains("(null)"), "a reason: " + damaged.err());
            assertArrayEquals(java.util.Arrays.copyOf(whole, length), Files.readAllBytes(cut), "left as it was");
        }

        Path fresh = tmp.resolve("fresh.bin");
        new FileStatsStorage(fresh.toFile()).close();
        assertUserError(CliRun.of("ui", fresh.toString()), fresh + " holds no training statistics yet; a train or run "
                + "with --stats " + fresh + " records them");
    }

    @Test
    void uiWithoutAPortTakesTheDefaultAndLeavesTheNextArgumentAlone() {
        TrainCommand train = new TrainCommand();
        parse(train, "lenet5", "--dataset", "synthetic", "--ui");
        assertEquals(9000, train.training.liveStats.uiPort);
        RunCommand run = new RunCommand();
        parse(run, "--ui", "alexnet-ablation", "--quick");
        assertEquals(9000, run.training.liveStats.uiPort);
        assertEquals("alexnet-ablation", run.suiteName);
        parse(run = new RunCommand(), "alexnet-ablation", "--ui", "9100");
        assertEquals(9100, run.training.liveStats.uiPort);
        parse(run = new RunCommand(), "alexnet-ablation", "--ui=0");
        assertEquals(0, run.training.liveStats.uiPort);
        parse(run = new RunCommand(), "alexnet-ablation");
        assertNull(run.training.liveStats.uiPort, "no UI unless asked for");
    }

    /** As the CLI parses (its enum options in lower case), without running anything. */
    private static void parse(Object command, String... args) {
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    }
}

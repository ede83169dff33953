package org.zoobench.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.zoo.ModelRegistry;
import org.zoobench.zoo.profile.MemoryEstimate;
import org.zoobench.zoo.profile.ModelProfile;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad inputs and broken files, each tried as a user would: one clear line, exit 2, and no result lost. */
class HostileInputsTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    @AfterEach
    void forgetMemoryOverride() {
        System.clearProperty(MemoryEstimate.AVAILABLE_PROPERTY);
    }

    /** A small synthetic training run; extra arguments are appended. */
    private static CliRun train(Path results, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("train", "lenet5", "--dataset", "synthetic",
                "--epochs", "1", "--limit", "64", "--test-limit", "32", "--batch", "32", "--bootstrap", "1000",
                "--results", results.toString()));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertUserError(CliRun run, String expected) {
        assertEquals(ZooBenchCli.USER_ERROR, run.exitCode(), "exit " + run.exitCode() + ": " + run.err() + run.out());
        assertTrue(run.errIsOneLine(), run.err());
        assertTrue(run.err().contains(expected), run.err());
    }

    /** The one run folder of a results directory. */
    static Path onlyRun(Path results) throws Exception {
        try (Stream<Path> runs = Files.list(results.resolve("runs"))) {
            return runs.findFirst().orElseThrow();
        }
    }

    /** Each option with a closed set of values: the line names the option, the value and the choices. */
    @Test
    void aValueOutsideAnOptionsChoicesNamesAllThree() {
        Path results = tmp.resolve("results");
        assertUserError(train(results, "--updater", "adagrad"), "Invalid value for option '--updater': unknown "
                + "updater 'adagrad'; choose adam, sgd or nesterovs (see `zoobench train --help`)");
        assertUserError(train(results, "--resize", "nearest"), "Invalid value for option '--resize': unknown resize "
                + "mode 'nearest'; choose bilinear or pad (or crop for ImageNet-style crops of an image folder)");
        assertUserError(train(results, "--lr-schedule", "cosine"), "Invalid value for option '--lr-schedule': "
                + "unknown learning-rate schedule 'cosine'; choose constant or linear");
        assertUserError(train(results, "--impl", "turbo"), "Invalid value for option '--impl': unknown layer "
                + "implementation 'turbo'; expected fast or stock");
        assertFalse(Files.exists(results), "nothing written for a bad value");
    }

    /** The choices in any case, as before they were typed. */
    @Test
    void choicesAreTakenInAnyCase() throws Exception {
        Path results = tmp.resolve("results");
        CliRun run = train(results, "--updater", "SGD", "--resize", "Pad", "--lr-schedule", "LINEAR", "--impl",
                "Stock");
        assertEquals(0, run.exitCode(), run.err());
        RunRecord record = ResultsStore.readRecord(onlyRun(results).resolve(ResultsStore.RECORD));
        assertEquals(List.of("sgd", "pad", "linear", "stock"), List.of(record.config().updater().id(),
                record.config().resize().id(), record.config().lrSchedule().id(), record.config().layers().id()));
    }

    @Test
    void limitZeroIsRejectedAndALimitAboveTheDataIsRecordedAsTheSizeUsed() throws Exception {
        Path results = tmp.resolve("results");
        assertUserError(CliRun.of("train", "lenet5", "--dataset", "synthetic", "--limit", "0",
                "--results", results.toString()), "--limit must be at least 1 (leave it out to train on every image)");
        assertUserError(CliRun.of("train", "lenet5", "--dataset", "synthetic", "--test-limit", "0",
                "--results", results.toString()), "--test-limit must be at least 1");
        assertFalse(Files.exists(results));

        Path images = tmp.resolve("images");
        for (int c = 0; c < 2; c++) {
            Path folder = Files.createDirectories(images.resolve("class" + c));
            for (int i = 0; i < 10; i++) {
                ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png",
                        folder.resolve(i + ".png").toFile());
            }
        }
        CliRun big = CliRun.of("train", "lenet5", "--dataset", "image-folder", "--data-dir", images.toString(),
                "--input", "1x28x28", "--epochs", "1", "--batch", "8", "--limit", "1000", "--bootstrap", "1000",
                "--results", results.toString());
        assertEquals(0, big.exitCode(), big.err());
        assertTrue(big.out().contains("note: --limit 1000 is more than the 16 training images of image-folder; "
                + "using and recording all 16"), big.out());
        assertEquals(16, ResultsStore.openForReading(results).records().get(0).config().trainLimit());
    }

    @Test
    void runsThatAllDivergeGetATableAndOneLine() throws Exception {
        Path results = tmp.resolve("results");
        CliRun run = train(results, "--seeds", "2", "--lr", "1e6", "--updater", "sgd");
        assertUserError(run, "all 2 runs diverged (lenet5 seed 1: ");
        assertTrue(run.err().contains("loss became NaN"), run.err());
        assertTrue(run.err().contains("recorded and marked in " + results.resolve("results.md")), run.err());
        String table = Files.readString(results.resolve("results.md"));
        assertTrue(table.contains("| 2 diverged |"), table);
        assertFalse(table.contains("NaN"), table);
        assertEquals(2, ResultsStore.openForReading(results).records().stream().filter(RunRecord::diverged).count());

        CliRun report = CliRun.of("report", results.toString());
        assertUserError(report, "all 2 runs diverged");
        assertTrue(report.out().contains("| 2 diverged |"), report.out());

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty.resolve("runs"));
        assertUserError(CliRun.of("report", empty.toString()), "'" + empty + "' holds no finished run yet");
        assertFalse(Files.exists(empty.resolve("results.md")));
    }

    @Test
    void evalOfADamagedModelSaysSo() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, train(results).exitCode());
        Path run = onlyRun(results);
        Path model = run.resolve(ResultsStore.MODEL);
        byte[] whole = Files.readAllBytes(model);
        Files.write(model, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertUserError(CliRun.of("eval", run.toString()), "cannot load " + model + ": it is damaged or not a DL4J "
                + "model");
        Files.write(model, new byte[0]);
        assertUserError(CliRun.of("eval", run.toString()), "delete " + run + " and rerun");
    }

    @Test
    void unwritableResultsAreFoundBeforeTrainingAndEarlierResultsStayAsTheyWere() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, train(results).exitCode());
        Path jsonl = results.resolve(ResultsStore.JSONL);
        String rows = Files.readString(jsonl);
        Path runs = results.resolve("runs");

        Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertUserError(train(results, "--seed", "2"), "cannot write results to '" + results + "': " + runs
                    + " is read-only; make it writable");
        } finally {
            Files.setPosixFilePermissions(runs, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(jsonl, PosixFilePermissions.fromString("r--r--r--"));
        assertUserError(train(results, "--seed", "2"), jsonl + " is read-only");
        assertEquals(rows, Files.readString(jsonl));
        try (Stream<Path> all = Files.list(runs)) {
            assertEquals(1, all.count(), "nothing trained");
        }
    }

    @Test
    void aBatchThatCannotFitIsRefusedBeforeAnythingIsAllocatedOrWritten() throws Exception {
        ModelProfile profile = ModelProfile.of(ModelRegistry.get("lenet5"),
                ModelRegistry.get("lenet5").defaultOptions());
        System.setProperty(MemoryEstimate.AVAILABLE_PROPERTY, String.valueOf(MemoryEstimate.bytes(profile, 16, true)));
        Path results = tmp.resolve("results");
        CliRun run = CliRun.of("train", "lenet5", "--dataset", "synthetic", "--limit", "64", "--batch", "1000000",
                "--results", results.toString());
        assertUserError(run, "batch 1,000,000 does not fit in memory: a training step of lenet5 at batch 64 (all "
                + "training images) needs about ");
        assertTrue(run.err().contains("use a smaller --batch, e.g. 16"), run.err());
        assertFalse(Files.exists(results), "nothing written");
        try (Stream<Path> root = Files.list(Path.of("."))) {
            assertTrue(root.noneMatch(p -> p.getFileName().toString().startsWith("dl4j-memory-crash-dump")));
        }
    }

    @Test
    void aResultsPathThroughADirectoryThatDoesNotExistYetIsReadAsTheShellReadsIt() throws Exception {
        Path fresh = Files.createDirectories(tmp.resolve("fresh"));
        CliRun run = train(fresh.resolve("results/../../x"));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, ResultsStore.openForReading(tmp.resolve("x")).records().size());
        assertFalse(Files.exists(fresh.resolve("results")), "no stray directory");
    }

    @Test
    void badOptionsGiveOneLineWithoutTheUsage() {
        Path results = tmp.resolve("results");
        assertUserError(train(results, "--batch", "abc"), "Invalid value for option '--batch': 'abc' is not an int");
        assertUserError(CliRun.of("train", "lenet5"), "Missing required option: '--dataset=NAME'");
        assertUserError(train(results, "--seed", "1", "--seeds", "2"), "mutually exclusive");
        assertUserError(train(results, "--epoch", "2"), "Unknown options: '--epoch', '2'; did you mean --epochs?");
        assertUserError(train(results, "--target", "150"), "--target is a top-1 accuracy in percent, from 0 to 100,"
                + " got 150.0");
        assertFalse(Files.exists(results));
    }

    @Test
    void aCutOffLastRowIsRepairedFromTheRecordsAndReported() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, train(results).exitCode());
        Path jsonl = results.resolve(ResultsStore.JSONL);
        Path csv = results.resolve(ResultsStore.CSV);
        String rows = Files.readString(jsonl);
        String table = Files.readString(csv);
        Files.writeString(jsonl, rows.substring(0, rows.length() / 2));
        Files.writeString(csv, table.substring(0, table.length() - 10));

        CliRun again = train(results, "--seed", "2");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("note: repaired " + jsonl + ": line 1 was cut off or garbled (by a "
                + "crash or a full disk?) and was dropped; 1 row rebuilt from the runs' record.json"), again.out());
        assertTrue(again.out().contains("note: repaired " + csv + ": line 2 was cut off or garbled"), again.out());
        List<String> lines = Files.readAllLines(jsonl);
        assertEquals(2, lines.size());
        assertEquals(rows.strip(), lines.get(0), "the lost row comes back as it was");
        assertEquals(3, Files.readAllLines(csv).size());
    }

    @Test
    void resultFilesGetTheUmasksMode() throws Exception {
        Path results = tmp.resolve("results");
        assertEquals(0, train(results).exitCode());
        Path probe = Files.createFile(tmp.resolve("probe")); // what the umask gives any new file
        var expected = Files.getPosixFilePermissions(probe);
        Path run = onlyRun(results);
        for (Path file : List.of(results.resolve(ResultsStore.CSV), results.resolve(ResultsStore.JSONL),
                results.resolve("results.md"), results.resolve("plots/top1_bars.png"), run.resolve(ResultsStore.RECORD),
                run.resolve(ResultsStore.MODEL), run.resolve(ResultsStore.PREDICTIONS))) {
            assertEquals(expected, Files.getPosixFilePermissions(file), file.toString());
        }
    }
}

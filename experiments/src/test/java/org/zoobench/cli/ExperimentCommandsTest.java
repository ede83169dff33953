package org.zoobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.data.ImageFolders;
import org.zoobench.experiments.results.ResultsStore;
import org.zoobench.experiments.results.SuiteInfo;
import org.zoobench.experiments.results.RunRecord;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExperimentCommandsTest {

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    private static String tableOf(String output) {
        int start = output.indexOf("| model");
        return output.substring(start);
    }

    @Test
    void reportRebuildsTheSameTableFromSavedResults(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        CliRun train = CliRun.of("train", "lenet5", "--dataset", "synthetic", "--epochs", "1", "--limit", "256",
                "--test-limit", "200", "--seeds", "2", "--bootstrap", "1000", "--results", results.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("lenet5"), train.out());
        assertTrue(train.out().contains("| lenet5 |    2 | 61,706 |"), train.out());

        CliRun report = CliRun.of("report", results.toString());
        assertEquals(0, report.exitCode(), report.err());
        assertEquals(tableOf(train.out()), tableOf(report.out()));
        assertEquals(Files.readString(results.resolve("results.md")), tableOf(report.out()));
        for (String plot : List.of("curves_test_top1.png", "curves_train_loss.png", "top1_bars.png",
                "params_vs_top1.png")) {
            assertTrue(Files.size(results.resolve("plots").resolve(plot)) > 1000, plot);
        }
        List<String> csv = Files.readAllLines(results.resolve(ResultsStore.CSV), StandardCharsets.UTF_8);
        assertTrue(csv.get(0).startsWith("model,param_count,top1,top1_low,top1_high,top5,"), csv.get(0));
        assertEquals(3, csv.size());

        // The saved model evaluates again to the recorded accuracy.
        Path run;
        try (Stream<Path> runs = Files.list(results.resolve("runs"))) {
            run = runs.sorted().findFirst().orElseThrow();
        }
        RunRecord record = ResultsStore.readRecord(run.resolve(ResultsStore.RECORD));
        CliRun eval = CliRun.of("eval", run.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().contains("top-1 " + record.top1().format()), eval.out() + " vs " + record.top1());
    }

    @Test
    void quietTrainPrintsOnlyTheFinalTable(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        CliRun train = CliRun.train(results, "--quiet");
        assertEquals(0, train.exitCode(), train.err());
        assertEquals(Files.readString(results.resolve("results.md")), train.out());
    }

    @Test
    void dataDirPointsTrainAtAnImageFolder(@TempDir Path tmp) throws Exception {
        Path images = tmp.resolve("images");
        for (int c = 0; c < 2; c++) {
            Path folder = Files.createDirectories(images.resolve(c == 0 ? "dark" : "light"));
            for (int i = 0; i < 12; i++) {
                BufferedImage image = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
                int grey = c == 0 ? 20 + i : 220 - i;
                for (int y = 0; y < 10; y++) {
                    for (int x = 0; x < 10; x++) {
                        image.getRaster().setSample(x, y, 0, grey);
                    }
                }
                ImageIO.write(image, "png", folder.resolve(i + ".png").toFile());
            }
        }
        Path results = tmp.resolve("results");
        CliRun missing = CliRun.of("train", "lenet5", "--dataset", "image-folder", "--results", results.toString());
        assertEquals(ZooBenchCli.USER_ERROR, missing.exitCode());
        assertTrue(missing.errIsOneLine() && missing.err().contains("--data-dir"), missing.err());

        CliRun train = CliRun.of("train", "lenet5", "--dataset", "image-folder", "--data-dir", images.toString(),
                "--input", "1x28x28", "--epochs", "1", "--batch", "8", "--bootstrap", "1000",
                "--results", results.toString());
        assertEquals(0, train.exitCode(), train.err());
        RunRecord record = ResultsStore.openForReading(results).records().get(0);
        assertEquals("image-folder", record.config().dataset());
        assertEquals(2, record.config().classes());
    }

    @Test
    void aSuiteKeepsItsEstimateBesideTheTimeItTook(@TempDir Path tmp) throws Exception {
        Path images = ImageFolders.write(tmp.resolve("images"), 2, 4, 2, 20);
        Path results = tmp.resolve("results");
        String[] command = {"run", "alexnet-ablation", "--quick", "--dataset", "image-folder", "--data-dir",
                images.toString(), "--results", results.toString()};
        CliRun run = CliRun.of(command);
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("Expected duration: about "), run.out());
        assertTrue(run.out().matches("(?s).*Suite time \\S+ \\(estimated \\S+ beforehand: \\d+% (over|under), kept in "
                + "suite.json\\).*"), run.out());
        SuiteInfo.Session session = ResultsStore.openForReading(results).suiteInfo().orElseThrow().sessions().get(0);
        assertEquals(7, session.runs(), "the seven variants of Table 3, one quick seed");
        assertTrue(session.estimatedSeconds() > 0 && session.actualSeconds() > 0, session.toString());

        CliRun again = CliRun.of(command);
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("runs already finished"), again.out());
        assertEquals(List.of(session), ResultsStore.openForReading(results).suiteInfo().orElseThrow().sessions(),
                "a rerun with nothing left to train adds no session");
    }

    @Test
    void userMistakesGiveOneLineExitTwoAndWriteNothing(@TempDir Path tmp) throws Exception {
        Path results = tmp.resolve("results");
        String dir = results.toString();
        CliRun suite = CliRun.of("run", "alexnet-ablatoin", "--quick", "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, suite.exitCode());
        assertTrue(suite.errIsOneLine() && suite.err().contains("unknown suite 'alexnet-ablatoin'"), suite.err());

        CliRun dataset = CliRun.of("train", "lenet5", "--dataset", "fashion-mnsit", "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, dataset.exitCode());
        assertTrue(dataset.errIsOneLine() && dataset.err().contains("unknown dataset"), dataset.err());

        CliRun shape = CliRun.of("train", "alexnet", "--dataset", "synthetic", "--limit", "64", "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, shape.exitCode());
        assertTrue(shape.errIsOneLine() && shape.err().contains("1x28x28")
                && shape.err().contains("'alexnet'"), shape.err());

        CliRun updater = CliRun.of("train", "lenet5", "--dataset", "synthetic", "--updater", "adagrad",
                "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, updater.exitCode());
        assertTrue(updater.errIsOneLine() && updater.err().contains("unknown updater"), updater.err());
        assertFalse(Files.exists(results), "nothing written for a bad request");

        Path file = Files.writeString(tmp.resolve("a-file"), "not a directory");
        CliRun unwritable = CliRun.of("train", "lenet5", "--dataset", "synthetic", "--limit", "64", "--epochs", "1",
                "--results", file.resolve("results").toString());
        assertEquals(ZooBenchCli.USER_ERROR, unwritable.exitCode());
        assertTrue(unwritable.errIsOneLine() && unwritable.err().contains("cannot write results"), unwritable.err());

        CliRun notResults = CliRun.of("report", tmp.toString());
        assertEquals(ZooBenchCli.USER_ERROR, notResults.exitCode());
        assertTrue(notResults.errIsOneLine() && notResults.err().contains("holds no ZooBench results"),
                notResults.err());
    }

    /** Spark's options, where the cluster module is not on the class path (as in this module's tests). */
    @Test
    void sparkMistakesGiveOneLineExitTwoAndWriteNothing(@TempDir Path tmp) {
        String dir = tmp.resolve("results").toString();
        CliRun noModule = CliRun.of("run", "birnn", "--quick", "--spark", "local[2]", "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, noModule.exitCode());
        assertTrue(noModule.errIsOneLine() && noModule.err().contains("--spark needs ZooBench's cluster module, "
                + "which is not on the class path: run through ./zoobench"), noModule.err());

        CliRun withoutSpark = CliRun.of("run", "birnn", "--quick", "--task-cpus", "2", "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, withoutSpark.exitCode());
        assertTrue(withoutSpark.errIsOneLine() && withoutSpark.err().contains("--task-cpus applies to runs on Spark "
                + "only"), withoutSpark.err());

        CliRun noCores = CliRun.of("run", "birnn", "--spark", "local[2]", "--task-cpus", "0", "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, noCores.exitCode());
        assertTrue(noCores.errIsOneLine() && noCores.err().contains("--task-cpus must be at least 1"), noCores.err());

        CliRun gpu = CliRun.of("run", "birnn", "--spark", "local[2]", "--backend", "cuda", "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, gpu.exitCode());
        assertTrue(gpu.errIsOneLine() && gpu.err().contains("leave out --backend cuda"), gpu.err());

        CliRun ui = CliRun.of("run", "birnn", "--spark", "local[2]", "--ui", "0", "--results", dir);
        assertEquals(ZooBenchCli.USER_ERROR, ui.exitCode());
        assertTrue(ui.errIsOneLine() && ui.err().contains("--ui and --stats watch training in this JVM"), ui.err());
        assertFalse(Files.exists(tmp.resolve("results")));
    }
}

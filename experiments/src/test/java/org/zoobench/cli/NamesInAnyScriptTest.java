package org.zoobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.zoobench.experiments.results.ResultsStore;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Folders, class names and files named in any script work as ASCII ones do. */
class NamesInAnyScriptTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    private static void images(Path folder, int count, int channels) throws Exception {
        Files.createDirectories(folder);
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(12, 12, channels == 1 ? BufferedImage.TYPE_BYTE_GRAY
                    : BufferedImage.TYPE_INT_RGB);
            image.setRGB(i % 12, i % 12, 0xffffff);
            ImageIO.write(image, "png", folder.resolve("photo_é_照片_" + i + ".png").toFile());
        }
    }

    @Test
    void anImageFolderWithNonAsciiNamesTrainsAndEvaluates() throws Exception {
        Path data = tmp.resolve("données");
        for (String label : List.of("café", "чай", "お茶")) {
            images(data.resolve(label), 5, 1);
        }
        Path results = tmp.resolve("résultats");
        CliRun train = CliRun.of("train", "lenet5", "--dataset", "image-folder", "--data-dir", data.toString(),
                "--input", "1x28x28", "--epochs", "1", "--batch", "4", "--bootstrap", "1000", "--results",
                results.toString());
        assertEquals(0, train.exitCode(), train.err());
        assertEquals(List.of("café", "お茶", "чай").size(),
                ResultsStore.openForReading(results).records().get(0).config().classes());
        Path run;
        try (Stream<Path> runs = Files.list(results.resolve("runs"))) {
            run = runs.findFirst().orElseThrow();
        }
        CliRun eval = CliRun.of("eval", run.toString(), "--data-dir", data.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().contains("lenet5 on image-folder"), eval.out());
    }

    @Test
    void streamedTrainAndValPartsWithNonAsciiNamesTrain() throws Exception {
        Path data = tmp.resolve("données");
        for (String part : List.of("train", "val")) {
            for (String label : List.of("café", "thé")) {
                images(data.resolve(part).resolve(label), 4, 3);
            }
        }
        CliRun train = CliRun.of("train", "lenet5", "--dataset", "image-folder", "--data-dir", data.toString(),
                "--resize", "crop", "--input", "3x28x28", "--epochs", "1", "--batch", "4", "--bootstrap", "1000",
                "--results", tmp.resolve("résultats").toString());
        assertEquals(0, train.exitCode(), train.err());
    }
}

package org.zoobench.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.zoobench.cli.NumbersAtTheirLimitsTest.assertUserError;

/** A JPEG cut off by an interrupted copy is found before training, wherever it lies in the tree. */
class CutOffImagesTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void quiet() {
        System.setProperty("zoobench.progress", "false");
    }

    private static void jpegs(Path folder) throws Exception {
        Files.createDirectories(folder);
        for (int i = 0; i < 4; i++) {
            BufferedImage image = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
            image.setRGB(i, i, 0xff8040);
            ImageIO.write(image, "jpg", folder.resolve(i + ".jpg").toFile());
        }
    }

    private static Path cutOff(Path image) throws Exception {
        byte[] whole = Files.readAllBytes(image);
        Files.write(image, Arrays.copyOf(whole, whole.length / 2));
        return image;
    }

    @Test
    void aCutOffValidationImageIsFoundBeforeStreamedTraining() throws Exception {
        Path data = tmp.resolve("data");
        for (String part : List.of("train", "val")) {
            for (String label : List.of("a", "b")) {
                jpegs(data.resolve(part).resolve(label));
            }
        }
        Path bad = cutOff(data.resolve("val/a/0.jpg"));
        Path results = tmp.resolve("results");
        assertUserError(CliRun.of("train", "lenet5", "--dataset", "image-folder", "--data-dir", data.toString(),
                "--resize", "crop", "--input", "3x28x28", "--epochs", "1", "--batch", "4", "--results",
                results.toString()), "image " + bad + " is cut off (no JPEG end-of-image marker); replace or remove it");
        assertFalse(Files.exists(results), "nothing created");
    }

    @Test
    void aCutOffImageIsFoundBeforeTheFolderIsDecoded() throws Exception {
        Path data = tmp.resolve("data");
        jpegs(data.resolve("a"));
        jpegs(data.resolve("b"));
        Path bad = cutOff(data.resolve("b/3.jpg"));
        Path results = tmp.resolve("results");
        assertUserError(CliRun.of("train", "lenet5", "--dataset", "image-folder", "--data-dir", data.toString(),
                "--input", "3x28x28", "--epochs", "1", "--batch", "4", "--results", results.toString()),
                "image " + bad + " is cut off");
        assertFalse(Files.exists(results), "nothing created");
    }
}

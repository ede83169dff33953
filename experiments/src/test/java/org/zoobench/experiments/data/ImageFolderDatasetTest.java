package org.zoobench.experiments.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.zoobench.experiments.data.IdxDatasetTest.assertOneLine;

class ImageFolderDatasetTest {

    @TempDir
    Path tmp;

    private static void png(Path file, int width, int height, Color color, int type) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, color.getRGB());
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    /** Class "blue" holds pure blue images, class "red" pure red ones, {@code perClass} each, 6 wide 5 high. */
    private Path redAndBlue(Path root, int perClass) throws IOException {
        for (int i = 0; i < perClass; i++) {
            png(root.resolve("red").resolve("r" + i + ".png"), 6, 5, Color.RED, BufferedImage.TYPE_INT_RGB);
            png(root.resolve("blue").resolve("b" + i + ".png"), 6, 5, Color.BLUE, BufferedImage.TYPE_INT_RGB);
        }
        return root;
    }

    @Test
    void readsColourImagesInRgbOrderWithFolderLabels() throws IOException {
        Path root = redAndBlue(tmp.resolve("imgs"), 5);
        LoadedDataset data = Datasets.load("image-folder", DataOptions.defaults().withPath(root).withTestFraction(0.4));
        assertEquals(List.of("blue", "red"), data.classNames());
        assertEquals(InputShape.image(3, 5, 6), data.shape());
        assertEquals(6, data.train().numExamples());
        assertEquals(4, data.test().numExamples());
        for (var split : List.of(data.train(), data.test())) {
            INDArray f = split.getFeatures();
            for (int i = 0; i < split.numExamples(); i++) {
                int label = split.getLabels().getRow(i).argMax().getInt(0);
                // red images: channel 0 full, channel 2 empty; blue the other way round
                int lit = label == 1 ? 0 : 2;
                assertEquals(1.0, f.getFloat(i, lit, 2, 3), 1e-6, "example " + i + " label " + label);
                assertEquals(0.0, f.getFloat(i, 2 - lit, 2, 3), 1e-6);
                assertEquals(0.0, f.getFloat(i, 1, 0, 0), 1e-6);
            }
            assertEquals(split.numExamples() / 2.0, split.getLabels().sum(0).getDouble(0), 0.0, "balanced split");
        }
    }

    @Test
    void greyImagesAtAChosenSizeAndTrainTestFolders() throws IOException {
        Path root = tmp.resolve("grey");
        for (String split : List.of("train", "test")) {
            for (int i = 0; i < 2; i++) {
                png(root.resolve(split).resolve("dark").resolve(i + ".png"), 8, 8, Color.BLACK,
                        BufferedImage.TYPE_BYTE_GRAY);
                png(root.resolve(split).resolve("light").resolve(i + ".png"), 8, 8, Color.WHITE,
                        BufferedImage.TYPE_BYTE_GRAY);
            }
        }
        LoadedDataset auto = Datasets.load("image-folder", DataOptions.defaults().withPath(root));
        assertEquals(InputShape.image(1, 8, 8), auto.shape());
        assertEquals(4, auto.train().numExamples());
        assertEquals(4, auto.test().numExamples());
        LoadedDataset small = Datasets.load("image-folder",
                DataOptions.defaults().withPath(root).withShape(InputShape.image(1, 4, 4)));
        assertArrayEquals(new long[]{4, 1, 4, 4}, small.train().getFeatures().shape());
        for (int i = 0; i < 4; i++) {
            int label = small.train().getLabels().getRow(i).argMax().getInt(0);
            assertEquals(label, small.train().getFeatures().getFloat(i, 0, 1, 1), 1e-6);
        }
    }

    @Test
    void noImages() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("empty/cats"));
        Files.writeString(root.resolve("notes.txt"), "not an image");
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults().withPath(tmp.resolve("empty")))),
                "has no images");
    }

    @Test
    void singleClass() throws IOException {
        Path root = tmp.resolve("one");
        for (int i = 0; i < 4; i++) {
            png(root.resolve("cats").resolve(i + ".png"), 4, 4, Color.GRAY, BufferedImage.TYPE_INT_RGB);
        }
        UserInputException e = assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults().withPath(root)));
        assertOneLine(e, "single class");
        assertTrue(e.getMessage().contains("'cats'"), e.getMessage());
    }

    @Test
    void anEmptyClassFolderIsNamedNotDropped() throws IOException {
        Path root = redAndBlue(tmp.resolve("three"), 4);
        Files.createDirectories(root.resolve("green"));
        Files.createDirectories(root.resolve(".thumbnails")); // hidden folders are not classes
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults().withPath(root))),
                "image folder " + root + ": class folder 'green' has no images (");
    }

    @Test
    void damagedPngsAreCaughtBeforeTheNativeDecoderPrintsAnything() throws IOException {
        Path root = redAndBlue(tmp.resolve("cut"), 4);
        Path image = root.resolve("red/r1.png");
        byte[] whole = Files.readAllBytes(image);
        Files.write(image, Arrays.copyOf(whole, whole.length - 20));
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults().withPath(root))),
                "image " + image + " is not a valid PNG: its 'IDAT' chunk runs past the end of the file (truncated)");

        byte[] flipped = whole.clone();
        flipped[whole.length - 20] ^= 0x55;
        Files.write(image, flipped);
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults().withPath(root))),
                "chunk fails the CRC check (corrupt); replace or remove it");

        // Every CRC right, but the image data is not a zlib stream: libpng would complain about it on stderr.
        java.io.ByteArrayOutputStream broken = new java.io.ByteArrayOutputStream();
        broken.write(whole, 0, 33); // signature and IHDR
        byte[] idat = {0, 0, 0, 6, 'I', 'D', 'A', 'T', 0x78, (byte) 0x9c, -1, -1, -1, -1};
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(idat, 4, 10);
        broken.write(idat);
        broken.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        broken.write(whole, whole.length - 12, 12); // IEND
        Files.write(image, broken.toByteArray());
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults().withPath(root))),
                "is not a valid PNG: its image data is not a valid zlib stream");

        Files.writeString(image, "not a png at all");
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults().withPath(root))),
                "does not start with the PNG signature");
    }

    @Test
    void noDirectoryGiven() {
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults())), "--data-dir");
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("image-folder", DataOptions.defaults().withPath(tmp.resolve("missing")))),
                "does not exist");
    }
}

package org.zoobench.experiments.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.zoobench.UserInputException;
import org.zoobench.experiments.data.ImageFolderStream.Crop;
import org.zoobench.zoo.InputShape;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFolderStreamTest {

    private static final InputShape.Image CROP = InputShape.image(3, 16, 16);

    @Test
    void listsTrainAndValWithSeededSubsets(@TempDir Path dir) throws Exception {
        ImageFolders.write(dir, 3, 5, 2, 20);
        ImageFolderStream all = ImageFolderStream.open(dir, 0, 0, 1);
        assertEquals(List.of("class0", "class1", "class2"), all.classes());
        assertEquals(15, all.trainSize());
        assertEquals(6, all.valSize());
        ImageFolderStream some = ImageFolderStream.open(dir, 7, 4, 1);
        assertEquals(7, some.trainSize());
        assertEquals(4, some.valSize());
    }

    @Test
    void aMissingPartIsOneLineNamingTheLayout(@TempDir Path dir) throws Exception {
        ImageFolders.write(dir, 2, 2, 1, 20);
        Files.walk(dir.resolve("val")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        UserInputException e = assertThrows(UserInputException.class, () -> ImageFolderStream.open(dir, 0, 0, 1));
        assertTrue(e.getMessage().contains("has no val/ folder: expected " + dir + "/train/<class>/<image> and "),
                e.getMessage());
        assertThrows(UserInputException.class, () -> ImageFolderStream.open(null, 0, 0, 1));
    }

    @Test
    void trainingBatchesAreRandomCropsRepeatableBySeedAndNewEveryEpoch(@TempDir Path dir) throws Exception {
        ImageFolders.write(dir, 3, 4, 2, 20);
        ImageFolderStream stream = ImageFolderStream.open(dir, 0, 0, 1);
        try (PipelineIterator a = stream.train(CROP, 5, 7); PipelineIterator b = stream.train(CROP, 5, 7)) {
            a.reset();
            b.reset();
            DataSet first = a.next();
            assertArrayEquals(new long[]{5, 3, 16, 16}, first.getFeatures().shape());
            assertArrayEquals(new long[]{5, 3}, first.getLabels().shape());
            assertEquals(first.getFeatures(), b.next().getFeatures(), "same seed, same crops and order");
            int batches = 1;
            while (a.hasNext()) {
                a.next();
                batches++;
            }
            assertEquals(3, batches, "12 images in batches of 5");
            assertEquals(3, a.stats().batches());
            a.reset();
            assertNotEquals(first.getFeatures(), a.next().getFeatures(), "the next epoch draws anew");
        }
    }

    @Test
    void evaluationTakesTheCentreCropMinusTheChannelMeans(@TempDir Path dir) throws Exception {
        ImageFolders.write(dir, 2, 3, 1, 20);
        ImageFolderStream stream = ImageFolderStream.open(dir, 0, 0, 1);
        float[] mean = stream.mean(CROP);
        for (float m : mean) {
            assertTrue(m > 0.05 && m < 0.95, "mean of tinted images in [0, 1] scale: " + m);
        }
        try (PipelineIterator val = stream.val(CROP, 10)) {
            DataSet batch = val.next();
            assertEquals(2, batch.numExamples());
            assertEquals(1f, batch.getLabels().getFloat(1, 1), 0f, "val files in order: class0, then class1");
            // Centred: over a whole epoch of training images, the crops average near zero in every channel.
            assertTrue(Math.abs(batch.getFeatures().meanNumber().doubleValue()) < 0.5);
        }
        assertEquals(mean, stream.mean(CROP), "measured once per input");
    }

    @Test
    void cropsScaleTheShorterSideAndFlipMirrors(@TempDir Path dir) throws Exception {
        // 28x14: the shorter side (14) becomes round(16 * 256 / 224) = 18, so the image becomes 36x18.
        Path image = ImageFolders.halves(dir.resolve("x.png"), 28, 14);
        float[] zero = new float[3];
        float[] plain = new float[3 * 16 * 16];
        float[] flipped = new float[3 * 16 * 16];
        ImageFolderStream.decode(image, CROP, zero, plain, 0, new Crop(0, 0, false));
        ImageFolderStream.decode(image, CROP, zero, flipped, 0, new Crop(0, 0, true));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 16; y++) {
                for (int x = 0; x < 16; x++) {
                    assertEquals(plain[(c * 16 + y) * 16 + x], flipped[(c * 16 + y) * 16 + 15 - x], 0f);
                }
            }
        }
        // The leftmost crop of a 36-wide image: columns 0..15 are black (the white half starts at 18).
        assertEquals(0f, plain[0], 0.02f);
        float[] centre = new float[3 * 16 * 16];
        ImageFolderStream.decode(image, CROP, new float[]{0.5f, 0.5f, 0.5f}, centre, 0, Crop.CENTRE);
        assertEquals(-0.5f, centre[0], 0.02f, "left edge of the centre crop (column 10) is black, minus the mean");
        assertEquals(0.5f, centre[15], 0.02f, "right edge (column 25) is white, minus the mean");
    }

    @Test
    void anUndecodableImageIsOneLine(@TempDir Path dir) throws Exception {
        ImageFolders.write(dir, 2, 2, 1, 20);
        Path broken = dir.resolve("train/class0/broken.jpg");
        Files.writeString(broken, "not an image");
        assertEquals("image " + broken + " is not a JPEG (no start-of-image marker); replace or remove it",
                assertThrows(UserInputException.class, () -> ImageFolderStream.open(dir, 0, 0, 1)).getMessage(),
                "found when the tree is listed");
        // whole at both ends, garbage between: only the decoder can tell
        Files.write(broken, new byte[]{(byte) 0xFF, (byte) 0xD8, 'n', 'o', 't', (byte) 0xFF, (byte) 0xD9});
        ImageFolderStream stream = ImageFolderStream.open(dir, 0, 0, 1);
        UserInputException e = assertThrows(UserInputException.class, () -> {
            try (PipelineIterator train = stream.train(CROP, 8, 1)) {
                train.reset();
                while (train.hasNext()) {
                    train.next();
                }
            }
        });
        assertTrue(e.getMessage().startsWith("cannot decode image "), e.getMessage());
    }
}

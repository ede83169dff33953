package org.zoobench.experiments.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdxDatasetTest {

    @TempDir
    Path tmp;

    private DataOptions offline(Path dir) {
        return DataOptions.defaults().withPath(dir).withCacheDir(tmp.resolve("cache")).withDownload(false);
    }

    @ParameterizedTest(name = "gzipped={0}")
    @ValueSource(booleans = {false, true})
    void readsEveryPixelAndLabel(boolean gzipped) throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 25, 12, gzipped);
        LoadedDataset data = Datasets.load("mnist", offline(dir));
        assertEquals(InputShape.image(1, IdxFiles.ROWS, IdxFiles.COLS), data.shape());
        assertArrayEquals(new long[]{25, 1, IdxFiles.ROWS, IdxFiles.COLS}, data.train().getFeatures().shape());
        assertArrayEquals(new long[]{12, 10}, data.test().getLabels().shape());
        INDArray f = data.train().getFeatures();
        for (int i = 0; i < 25; i++) {
            for (int p = 0; p < IdxFiles.ROWS * IdxFiles.COLS; p++) {
                assertEquals(IdxFiles.pixel(i, p) / 255f, f.getFloat(i, 0, p / IdxFiles.COLS, p % IdxFiles.COLS), 1e-7);
            }
            assertEquals(IdxFiles.label(i), data.train().getLabels().getRow(i).argMax().getInt(0));
            assertEquals(1.0, data.train().getLabels().getRow(i).sumNumber().doubleValue(), 0.0);
        }
    }

    @Test
    void limitKeepsASeededSubsetInFileOrder() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 36, 10, true);
        LoadedDataset a = Datasets.load("fashion-mnist", offline(dir).withLimit(15).withTestLimit(4));
        LoadedDataset b = Datasets.load("fashion-mnist", offline(dir).withLimit(15).withTestLimit(4));
        LoadedDataset c = Datasets.load("fashion-mnist", offline(dir).withLimit(15).withTestLimit(4).withSeed(9));
        assertEquals(15, a.train().numExamples());
        assertEquals(4, a.test().numExamples());
        assertEquals(a.train().getFeatures(), b.train().getFeatures());
        assertFalse(a.train().getFeatures().equals(c.train().getFeatures()));
        // the first pixel identifies the image: kept images stay in ascending file order
        int[] kept = new int[15];
        for (int k = 0; k < 15; k++) {
            int value = Math.round(a.train().getFeatures().getFloat(k, 0, 0, 0) * 255);
            kept[k] = value / 7; // pixel(i, 0) = 7i for these 36 images
        }
        int[] sorted = kept.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, kept);
        assertEquals(15, Arrays.stream(kept).distinct().count());
    }

    @Test
    void missingFilesSayWhereItLookedAndHowToGetThem() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> Datasets.load("fashion-mnist", offline(tmp.resolve("nowhere"))));
        assertOneLine(e, "fashion-mnist: --data-dir " + tmp.resolve("nowhere") + " does not exist");
        assertTrue(e.getMessage().contains(tmp.resolve("cache").resolve("fashion-mnist").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void oneMissingFileIsNamed() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 30, 5, true);
        Files.delete(dir.resolve(IdxDataset.TEST_IMAGES + ".gz"));
        UserInputException e = assertThrows(UserInputException.class,
                () -> Datasets.load("fashion-mnist", offline(dir).withDownload(true)));
        assertOneLine(e, "--data-dir " + dir + " lacks " + IdxDataset.TEST_IMAGES + " (plain or .gz); put the four");
        assertFalse(Files.exists(tmp.resolve("cache")), "no download attempted into the cache");
    }

    @Test
    void dataDirThatIsASymlinkLoop() throws IOException {
        Path loop = tmp.resolve("loop");
        Files.createSymbolicLink(loop, loop);
        assertOneLine(assertThrows(UserInputException.class, () -> Datasets.load("mnist", offline(loop))),
                "--data-dir " + loop + " is a symbolic link that leads nowhere (a loop, or its target is gone)");
    }

    @Test
    void truncatedGzip() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 30, 5, true);
        Path file = dir.resolve(IdxDataset.TRAIN_IMAGES + ".gz");
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length / 2));
        assertOneLine(assertThrows(UserInputException.class, () -> Datasets.load("mnist", offline(dir))),
                "truncated");
    }

    @Test
    void corruptGzip() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 30, 5, true);
        Path file = dir.resolve(IdxDataset.TRAIN_LABELS + ".gz");
        byte[] all = Files.readAllBytes(file);
        for (int i = 10; i < all.length - 8; i++) {
            all[i] = (byte) 0xFF; // wreck the deflate stream but keep the gzip header
        }
        Files.write(file, all);
        assertOneLine(assertThrows(UserInputException.class, () -> Datasets.load("mnist", offline(dir))),
                "not valid gzip");
    }

    @Test
    void truncatedPlainIdx() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 30, 5, false);
        Path file = dir.resolve(IdxDataset.TEST_IMAGES);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 5));
        UserInputException e = assertThrows(UserInputException.class, () -> Datasets.load("mnist", offline(dir)));
        assertOneLine(e, "truncated");
        assertTrue(e.getMessage().contains(IdxDataset.TEST_IMAGES), e.getMessage());
    }

    @Test
    void fileCutInsideTheHeader() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 30, 5, false);
        Files.write(dir.resolve(IdxDataset.TRAIN_LABELS), new byte[]{0, 0});
        assertOneLine(assertThrows(UserInputException.class, () -> Datasets.load("mnist", offline(dir))),
                "truncated");
    }

    @Test
    void wrongMagicNumber() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 30, 5, false);
        // labels where images should be
        Files.write(dir.resolve(IdxDataset.TRAIN_IMAGES), IdxFiles.labels(30));
        UserInputException e = assertThrows(UserInputException.class, () -> Datasets.load("mnist", offline(dir)));
        assertOneLine(e, "magic number 0x00000801 where 0x00000803 was expected");
    }

    @Test
    void imageAndLabelCountsDisagree() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 30, 5, true);
        IdxFiles.write(dir, IdxDataset.TRAIN_LABELS, IdxFiles.labels(29), true);
        UserInputException e = assertThrows(UserInputException.class, () -> Datasets.load("mnist", offline(dir)));
        assertOneLine(e, "has 30 images but");
        assertTrue(e.getMessage().contains("29 labels"), e.getMessage());
    }

    @Test
    void labelOutsideTheClasses() throws IOException {
        Path dir = IdxFiles.writeSet(tmp.resolve("d"), 30, 5, false);
        byte[] labels = IdxFiles.labels(5);
        labels[8 + 3] = 42;
        Files.write(dir.resolve(IdxDataset.TEST_LABELS), labels);
        assertOneLine(assertThrows(UserInputException.class, () -> Datasets.load("mnist", offline(dir))),
                "label 42 of example 3");
    }

    static void assertOneLine(UserInputException e, String expected) {
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}

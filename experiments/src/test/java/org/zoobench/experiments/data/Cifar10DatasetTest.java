package org.zoobench.experiments.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

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

class Cifar10DatasetTest {

    private static final List<String> NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    @TempDir
    Path tmp;

    /** Record r of a file: label r % 10, channel c row y column x holds (r + 3c + y + 2x) % 256. */
    private static byte[] batch(int records, int first) {
        byte[] bytes = new byte[records * Cifar10Dataset.RECORD_BYTES];
        for (int r = 0; r < records; r++) {
            int at = r * Cifar10Dataset.RECORD_BYTES;
            bytes[at] = (byte) ((first + r) % 10);
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        bytes[at + 1 + c * 1024 + y * 32 + x] = (byte) value(first + r, c, y, x);
                    }
                }
            }
        }
        return bytes;
    }

    private static int value(int record, int c, int y, int x) {
        return (record + 3 * c + y + 2 * x) % 256;
    }

    /** Five training batches of 3 records (records 0..14) and a test batch of 4, in a cifar-10-batches-bin folder. */
    private Path writeCifar() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
        for (int b = 0; b < 5; b++) {
            Files.write(dir.resolve("data_batch_" + (b + 1) + ".bin"), batch(3, 3 * b));
        }
        Files.write(dir.resolve("test_batch.bin"), batch(4, 100));
        Files.write(dir.resolve("batches.meta.txt"), (String.join("\n", NAMES) + "\n\n").getBytes());
        return dir;
    }

    @Test
    void readsChannelsRowsAndLabels() throws IOException {
        writeCifar();
        // the parent directory works too: the loader looks into cifar-10-batches-bin
        LoadedDataset data = Datasets.load("cifar10", DataOptions.defaults().withPath(tmp));
        assertEquals(InputShape.image(3, 32, 32), data.shape());
        assertEquals(NAMES, data.classNames());
        assertArrayEquals(new long[]{15, 3, 32, 32}, data.train().getFeatures().shape());
        assertArrayEquals(new long[]{4, 3, 32, 32}, data.test().getFeatures().shape());
        INDArray f = data.train().getFeatures();
        for (int r : new int[]{0, 4, 14}) {
            for (int[] p : new int[][]{{0, 0, 0}, {1, 5, 7}, {2, 31, 30}, {0, 17, 3}}) {
                assertEquals(value(r, p[0], p[1], p[2]) / 255f, f.getFloat(r, p[0], p[1], p[2]), 1e-7);
            }
            assertEquals(r % 10, data.train().getLabels().getRow(r).argMax().getInt(0));
        }
        assertEquals(100 % 10, data.test().getLabels().getRow(0).argMax().getInt(0));
        assertEquals(value(103, 2, 9, 9) / 255f, data.test().getFeatures().getFloat(3, 2, 9, 9), 1e-7);
    }

    @Test
    void limitSubsetsTrainingRecords() throws IOException {
        LoadedDataset data = Datasets.load("cifar10", DataOptions.defaults().withPath(writeCifar()).withLimit(6));
        assertEquals(6, data.train().numExamples());
        assertEquals(4, data.test().numExamples());
    }

    @Test
    void truncatedBatch() throws IOException {
        Path dir = writeCifar();
        Path file = dir.resolve("data_batch_3.bin");
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 100));
        UserInputException e = assertThrows(UserInputException.class,
                () -> Datasets.load("cifar10", DataOptions.defaults().withPath(dir)));
        assertOneLine(e, "truncated");
        assertTrue(e.getMessage().contains("data_batch_3.bin"), e.getMessage());
    }

    @Test
    void missingBatchFile() throws IOException {
        Path dir = writeCifar();
        Files.delete(dir.resolve("data_batch_5.bin"));
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("cifar10", DataOptions.defaults().withPath(dir))), "data_batch_5.bin is missing");
    }

    @Test
    void notThereAtAll() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> Datasets.load("cifar10", DataOptions.defaults().withPath(tmp.resolve("none"))));
        assertOneLine(e, "cifar10 not found");
        assertTrue(e.getMessage().contains("cifar-10-binary.tar.gz"), e.getMessage());
    }

    @Test
    void labelBeyondTheClassList() throws IOException {
        Path dir = writeCifar();
        byte[] test = batch(4, 100);
        test[Cifar10Dataset.RECORD_BYTES] = 10;
        Files.write(dir.resolve("test_batch.bin"), test);
        assertOneLine(assertThrows(UserInputException.class,
                () -> Datasets.load("cifar10", DataOptions.defaults().withPath(dir))), "label 10 of example 1");
    }
}

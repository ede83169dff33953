package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CIFAR-10 in its binary batch format: {@code data_batch_1.bin} .. {@code data_batch_5.bin} and
 * {@code test_batch.bin}, each record one label byte and 3072 pixel bytes (1024 red, 1024 green, 1024 blue,
 * rows top to bottom), plus {@code batches.meta.txt} with the class names. The directory is
 * {@link DataOptions#path()} (or its {@code cifar-10-batches-bin} sub-directory), else
 * {@code <cache>/cifar10/cifar-10-batches-bin}.
 */
final class Cifar10Dataset {

    static final int SIDE = 32;
    static final int IMAGE_BYTES = 3 * SIDE * SIDE;
    static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    static final List<String> TRAIN_FILES = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    static final String TEST_FILE = "test_batch.bin";
    static final String META_FILE = "batches.meta.txt";
    private static final String URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

    private Cifar10Dataset() {
    }

    static LoadedDataset load(DataOptions options) {
        Path dir = locate(options);
        List<String> classes = classNames(dir.resolve(META_FILE));
        List<Path> trainFiles = TRAIN_FILES.stream().map(dir::resolve).toList();
        DataSet train = read(trainFiles, classes.size(), options.limit(), options.seed());
        DataSet test = read(List.of(dir.resolve(TEST_FILE)), classes.size(), options.testLimit(), options.seed());
        return new LoadedDataset("cifar10", train, test, InputShape.image(3, SIDE, SIDE), classes);
    }

    private static Path locate(DataOptions options) {
        Path base = options.path() != null ? options.path()
                : options.cacheDir().resolve("cifar10");
        for (Path dir : List.of(base, base.resolve("cifar-10-batches-bin"))) {
            if (Files.isRegularFile(dir.resolve(TEST_FILE))) {
                for (String file : TRAIN_FILES) {
                    if (!Files.isRegularFile(dir.resolve(file))) {
                        throw new UserInputException("cifar10 in " + dir + " is incomplete: " + file
                                + " is missing; download " + URL + " and extract it there again");
                    }
                }
                return dir;
            }
        }
        throw new UserInputException("cifar10 not found: no " + TEST_FILE + " in " + base + " or "
                + base.resolve("cifar-10-batches-bin") + "; download " + URL
                + ", extract it and pass the cifar-10-batches-bin directory with --data-dir");
    }

    /** Class names from {@code batches.meta.txt}, one a line in label order. */
    private static List<String> classNames(Path meta) {
        if (!Files.isRegularFile(meta)) {
            throw new UserInputException("cifar10 in " + meta.getParent() + " is incomplete: " + META_FILE
                    + " is missing; download " + URL + " and extract it there again");
        }
        try {
            List<String> names = Files.readAllLines(meta).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            if (names.size() < 2 || names.size() > 256) {
                throw new UserInputException(meta + " is corrupt: it lists " + names.size()
                        + " class names, expected one per line (10 for CIFAR-10)");
            }
            return names;
        } catch (IOException e) {
            throw new UserInputException("cannot read " + meta + ": " + e.getMessage());
        }
    }

    private static DataSet read(List<Path> files, int classes, int limit, long seed) {
        List<byte[]> contents = new ArrayList<>();
        int total = 0;
        for (Path file : files) {
            try {
                long size = Files.size(file);
                if (size == 0 || size % RECORD_BYTES != 0) {
                    throw new UserInputException(file + " is truncated or corrupt: " + size
                            + " bytes is not a whole number of " + RECORD_BYTES + "-byte records"
                            + " (1 label byte + 3072 pixel bytes); download " + URL + " again");
                }
                if (total + size / RECORD_BYTES > Integer.MAX_VALUE / RECORD_BYTES) {
                    throw new UserInputException("cifar10: too many records to hold in memory in " + file);
                }
                contents.add(Files.readAllBytes(file));
                total += (int) (size / RECORD_BYTES);
            } catch (IOException e) {
                throw new UserInputException("cannot read " + file + ": " + e.getMessage());
            }
        }
        byte[] all = concat(contents, total * RECORD_BYTES);
        int[] keep = Subsets.pick(total, limit, seed);
        String source = files.size() == 1 ? files.get(0).toString() : files.get(0).getParent().toString();
        return ByteImages.toDataSet(all, 1, RECORD_BYTES, 3, SIDE, SIDE, all, 0, RECORD_BYTES, keep, classes, source);
    }

    private static byte[] concat(List<byte[]> parts, int length) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}

package org.zoobench.experiments.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests: image i has every pixel equal to {@code pixel(i, p)}, label {@code i % 10}. */
final class IdxFiles {

    static final int ROWS = 4;
    static final int COLS = 3;

    private IdxFiles() {
    }

    static int pixel(int image, int p) {
        return (image * 7 + p * 3) % 256;
    }

    static int label(int image) {
        return image % 10;
    }

    static byte[] images(int n) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(ROWS);
            out.writeInt(COLS);
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < ROWS * COLS; p++) {
                    out.writeByte(pixel(i, p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int n) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(label(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes the four files of a data set with {@code train} and {@code test} examples, gzipped or plain. */
    static Path writeSet(Path dir, int train, int test, boolean gzipped) throws IOException {
        Files.createDirectories(dir);
        write(dir, IdxDataset.TRAIN_IMAGES, images(train), gzipped);
        write(dir, IdxDataset.TRAIN_LABELS, labels(train), gzipped);
        write(dir, IdxDataset.TEST_IMAGES, images(test), gzipped);
        write(dir, IdxDataset.TEST_LABELS, labels(test), gzipped);
        return dir;
    }

    static Path write(Path dir, String name, byte[] data, boolean gzipped) throws IOException {
        return Files.write(dir.resolve(gzipped ? name + ".gz" : name), gzipped ? gzip(data) : data);
    }
}

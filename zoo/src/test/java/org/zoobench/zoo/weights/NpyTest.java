package org.zoobench.zoo.weights;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** NumPy's formats as numpy writes them: headers of version 1 and 2, both memory orders, 0-d arrays, dtypes. */
class NpyTest {

    @TempDir
    Path tmp;

    /** An .npy file as numpy writes it: magic, version, header length, the dict, the little-endian data. */
    private static byte[] npy(int major, String dict, ByteBuffer data) {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(6 + 2 + (major == 1 ? 2 : 4) + header.length + data.capacity())
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            out.putShort((short) header.length);
        } else {
            out.putInt(header.length);
        }
        return out.put(header).put(data.array()).array();
    }

    private static ByteBuffer floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b;
    }

    private INDArray read(byte[] bytes) throws IOException {
        Path file = tmp.resolve("a.npy");
        Files.write(file, bytes);
        return Npy.read(file);
    }

    @Test
    void readsCAndFortranOrderAndVersionTwoHeaders() throws IOException {
        INDArray c = read(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                floats(0, 1, 2, 3, 4, 5)));
        assertEquals(Nd4j.create(new float[][]{{0, 1, 2}, {3, 4, 5}}), c);
        INDArray f = read(npy(2, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                floats(0, 3, 1, 4, 2, 5)));
        assertEquals(c, f);
    }

    @Test
    void readsZeroDimensionalIntegersAndDoubles() throws IOException {
        ByteBuffer counter = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, 42);
        INDArray scalar = read(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (), }", counter));
        assertEquals(0, scalar.rank());
        assertEquals(42f, scalar.getFloat(0));
        ByteBuffer doubles = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, 0.5).putDouble(8, -2);
        INDArray vector = read(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }", doubles));
        assertArrayEquals(new float[]{0.5f, -2f}, vector.toFloatVector());
    }

    @Test
    void writesWhatItReadsAndNumpysHeaderAlignment() throws IOException {
        INDArray array = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 4);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Npy.write(array, bytes);
        byte[] written = bytes.toByteArray();
        int dataStart = written.length - 24 * 4;
        assertEquals(0, dataStart % 64, "numpy aligns the data to 64 bytes");
        assertEquals(array, read(written));
        assertEquals(Nd4j.create(new float[]{7f}), read(write(Nd4j.create(new float[]{7f}))));
    }

    private static byte[] write(INDArray array) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Npy.write(array, bytes);
        return bytes.toByteArray();
    }

    @Test
    void readsEveryEntryOfAnNpzInOrderDeflatedAsSavezCompressedWritesIt() throws IOException {
        Path file = tmp.resolve("w.npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (String name : List.of("fc.weight", "bn.num_batches_tracked")) {
                zip.putNextEntry(new ZipEntry(name + ".npy"));
                Npy.write(name.endsWith("weight") ? Nd4j.create(new float[][]{{1, 2}}) : Nd4j.scalar(3f), zip);
                zip.closeEntry();
            }
        }
        Map<String, INDArray> arrays = Npy.readNpz(file);
        assertEquals(List.of("fc.weight", "bn.num_batches_tracked"), List.copyOf(arrays.keySet()));
        assertArrayEquals(new long[]{1, 2}, arrays.get("fc.weight").shape());
    }

    @Test
    void damagedOrUnsupportedFilesAreUserErrorsNamingTheFile() throws IOException {
        assertMessage(() -> read("no".getBytes(StandardCharsets.US_ASCII)), "no \\x93NUMPY magic");
        byte[] whole = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", floats(0, 1, 2));
        assertMessage(() -> read(whole), "cut short");
        assertMessage(() -> read(Arrays.copyOf(whole, 9)), "cut short inside its .npy header");
        assertMessage(() -> read(npy(1, "{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }", floats(0, 0))),
                "holds c8 numbers");
        assertMessage(() -> read(npy(1, "{'shape': (1,)}", floats(0))), "cannot parse");
        Path notZip = Files.writeString(tmp.resolve("x.npz"), "plain text");
        assertMessage(() -> Npy.readNpz(notZip), "is not an .npz file");
        assertMessage(() -> Npy.readNpz(tmp.resolve("missing.npz")), "no file");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable reading, String expected) {
        UserInputException e = assertThrows(UserInputException.class, reading);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

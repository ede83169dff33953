package org.zoobench.zoo.weights;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * NumPy's {@code .npy} arrays and {@code .npz} archives (a zip of {@code .npy} files, as {@code numpy.savez} and
 * {@code savez_compressed} write them). ND4J's own npz reader fails on 0-d arrays (PyTorch's
 * {@code num_batches_tracked}), so the format is parsed here: a magic string, a version, and a Python dict literal
 * giving dtype, memory order and shape, then the raw data. Every numeric array is read as float32.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");
    /** Header lengths are padded so that the data start at a multiple of this. */
    private static final int HEADER_ALIGNMENT = 64;
    /** NumPy's headers are a short dict; anything longer than this is a damaged file, not an array. */
    private static final int MAX_HEADER = 1 << 16;

    private Npy() {
    }

    /** Every array of an {@code .npz} file by name (its entry's name without {@code .npy}), in the file's order. */
    public static Map<String, INDArray> readNpz(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("no file " + file + " (an .npz of arrays, as numpy.savez writes)");
        }
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName().endsWith(".npy")
                        ? entry.getName().substring(0, entry.getName().length() - ".npy".length()) : entry.getName();
                try (InputStream in = zip.getInputStream(entry)) {
                    arrays.put(name, read(in, file + " entry '" + name + "'"));
                }
            }
        } catch (ZipException e) {
            throw new UserInputException(file + " is not an .npz file (a zip of .npy arrays, as numpy.savez writes): "
                    + e.getMessage());
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + UserInputException.rootMessage(e));
        }
        if (arrays.isEmpty()) {
            throw new UserInputException(file + " holds no arrays");
        }
        return arrays;
    }

    /** The array of an {@code .npy} file. */
    public static INDArray read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("no file " + file + " (an .npy array, as numpy.save writes)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new UserInputException("cannot read " + file + ": " + UserInputException.rootMessage(e));
        }
    }

    /** Writes {@code array} as a C-order little-endian float32 {@code .npy} file. */
    public static void write(INDArray array, OutputStream out) throws IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shapeTuple(array.shape()) + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (HEADER_ALIGNMENT - unpadded % HEADER_ALIGNMENT) % HEADER_ALIGNMENT;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer start = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        start.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(start.array());
        out.write(header.getBytes(StandardCharsets.ISO_8859_1));
        float[] values = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer data = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        out.write(data.array());
    }

    private static String shapeTuple(long[] shape) {
        StringBuilder tuple = new StringBuilder();
        for (long d : shape) {
            tuple.append(d).append(", ");
        }
        // Python's one-element tuple keeps its comma: (3,)
        return shape.length == 1 ? tuple.toString().strip() : tuple.toString().replaceAll(", $", "");
    }

    private static INDArray read(InputStream stream, String what) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[MAGIC.length + 2];
        if (in.readNBytes(magic, 0, magic.length) != magic.length
                || !Arrays.equals(Arrays.copyOf(magic, MAGIC.length), MAGIC)) {
            throw new UserInputException(what + " is not a NumPy .npy array (no \\x93NUMPY magic)");
        }
        int major = magic[MAGIC.length];
        byte[] lengthBytes = new byte[major == 1 ? 2 : 4];
        byte[] headerBytes;
        try {
            in.readFully(lengthBytes);
            ByteBuffer lengthBuffer = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
            int headerLength = major == 1 ? Short.toUnsignedInt(lengthBuffer.getShort()) : lengthBuffer.getInt();
            if (headerLength < 0 || headerLength > MAX_HEADER) {
                throw new UserInputException(what + " announces an .npy header of " + headerLength + " bytes: damaged");
            }
            headerBytes = new byte[headerLength];
            in.readFully(headerBytes);
        } catch (EOFException e) {
            throw new UserInputException(what + " is cut short inside its .npy header");
        }
        String header = new String(headerBytes, StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
            throw new UserInputException(what + " has an .npy header this reader cannot parse: " + header.strip());
        }
        long[] shape = Arrays.stream(shapeMatch.group(1).split(","))
                .map(String::strip).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = descr.group(2).charAt(0);
        int size = Integer.parseInt(descr.group(3));
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (count * size > Integer.MAX_VALUE - 8) {
            throw new UserInputException(what + " is too large (" + count + " elements of " + size + " bytes)");
        }
        byte[] raw = new byte[(int) (count * size)];
        try {
            in.readFully(raw);
        } catch (EOFException e) {
            throw new UserInputException(what + " is cut short: its header announces shape "
                    + Arrays.toString(shape) + " but the data end early");
        }
        float[] values = toFloats(ByteBuffer.wrap(raw).order(order), kind, size, (int) count, what);
        if (shape.length == 0) {
            return Nd4j.scalar(values[0]);
        }
        return Nd4j.create(values, shape, fortran.group(1).equals("True") ? 'f' : 'c');
    }

    private static float[] toFloats(ByteBuffer data, char kind, int size, int count, String what) {
        float[] values = new float[count];
        switch (kind + String.valueOf(size)) {
            case "f4" -> data.asFloatBuffer().get(values);
            case "f8" -> {
                for (int i = 0; i < count; i++) {
                    values[i] = (float) data.getDouble();
                }
            }
            case "i8", "u8" -> {
                for (int i = 0; i < count; i++) {
                    values[i] = data.getLong();
                }
            }
            case "i4", "u4" -> {
                for (int i = 0; i < count; i++) {
                    values[i] = data.getInt();
                }
            }
            case "i1", "u1", "b1" -> {
                for (int i = 0; i < count; i++) {
                    values[i] = kind == 'u' || kind == 'b' ? Byte.toUnsignedInt(data.get()) : data.get();
                }
            }
            default -> throw new UserInputException(what + " holds " + kind + size + " numbers; save float32 "
                    + "(or float64) arrays instead");
        }
        return values;
    }
}

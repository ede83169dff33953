package org.zoobench.experiments.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Finds a damaged PNG before the native decoders see it: OpenCV's libpng and Leptonica print their complaints
 * straight to the process's stderr, where Java cannot stop them, ahead of our one-line message. The check reads
 * the file's chunks (signature, every chunk's length and CRC, up to IEND) and inflates the image data without
 * keeping it: no pixel is decoded.
 */
final class PngCheck {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngCheck() {
    }

    static boolean isPng(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png");
    }

    /** What is wrong with the PNG file, or null if it is whole. */
    static String problem(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length < SIGNATURE.length || !Arrays.equals(b, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            return "it does not start with the PNG signature";
        }
        int pos = SIGNATURE.length;
        Inflater imageData = new Inflater();
        try {
            while (pos + 12 <= b.length) {
                long length = Integer.toUnsignedLong(readInt(b, pos));
                String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
                if (length > b.length - pos - 12) {
                    return "its '" + type + "' chunk runs past the end of the file (truncated)";
                }
                CRC32 crc = new CRC32();
                crc.update(b, pos + 4, 4 + (int) length);
                if ((int) crc.getValue() != readInt(b, pos + 8 + (int) length)) {
                    return "its '" + type + "' chunk fails the CRC check (corrupt)";
                }
                if (type.equals("IDAT")) {
                    String problem = inflate(imageData, b, pos + 8, (int) length);
                    if (problem != null) {
                        return problem;
                    }
                }
                if (type.equals("IEND")) {
                    return imageData.finished() ? null : "its image data ends early (truncated)";
                }
                pos += 12 + (int) length;
            }
            return "it ends before its IEND chunk (truncated)";
        } finally {
            imageData.end();
        }
    }

    /** Feeds one IDAT chunk to the zlib stream the image data forms across all of them; null if it inflates. */
    private static String inflate(Inflater inflater, byte[] b, int offset, int length) {
        inflater.setInput(b, offset, length);
        byte[] discard = new byte[1 << 16];
        try {
            while (!inflater.finished() && !inflater.needsInput()) {
                if (inflater.inflate(discard) == 0 && inflater.needsDictionary()) {
                    return "its image data needs a preset dictionary, which PNG does not allow (corrupt)";
                }
            }
            return null;
        } catch (DataFormatException e) {
            return "its image data is not a valid zlib stream (" + e.getMessage() + ")";
        }
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }
}

package org.zoobench.experiments.data;

import org.zoobench.UserInputException;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Finds JPEG and PNG files that were cut off (an interrupted copy or download) by reading only their first and
 * last bytes, so that a tree of a million images is checked before training rather than failing in the middle of
 * it, or at the end with libjpeg's "Premature end of JPEG file" on stderr. What is not cut off is left to the
 * decoders.
 */
final class TruncationCheck {

    private static final byte[] PNG_END = {0, 0, 0, 0, 'I', 'E', 'N', 'D', (byte) 0xAE, 0x42, 0x60, (byte) 0x82};

    /** How far from its end a JPEG's end-of-image marker may lie (some writers pad the file after it). */
    private static final int JPEG_TAIL = 4096;

    private TruncationCheck() {
    }

    /** Fails in one line at the first file that was cut off. */
    static void checkAll(List<Path> files) {
        for (Path file : files) {
            String problem;
            try {
                problem = problem(file);
            } catch (IOException e) {
                throw new UserInputException("cannot read image " + file + " (" + e.getMessage() + ")");
            }
            if (problem != null) {
                throw new UserInputException("image " + file + " " + problem + "; replace or remove it");
            }
        }
    }

    /** Why the file is cut off, or null. */
    static String problem(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean jpeg = name.endsWith(".jpg") || name.endsWith(".jpeg");
        if (!jpeg && !name.endsWith(".png")) {
            return null;
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (jpeg) {
                if (length < 4 || in.readUnsignedShort() != 0xFFD8) {
                    return "is not a JPEG (no start-of-image marker)";
                }
                int tail = (int) Math.min(JPEG_TAIL, length - 2);
                byte[] end = new byte[tail];
                in.seek(length - tail);
                in.readFully(end);
                for (int i = tail - 2; i >= 0; i--) {
                    if (end[i] == (byte) 0xFF && end[i + 1] == (byte) 0xD9) {
                        return null;
                    }
                }
                return "is cut off (no JPEG end-of-image marker)";
            }
            byte[] end = new byte[PNG_END.length];
            if (length < 8 + PNG_END.length) {
                return "is cut off (too short for a PNG)";
            }
            in.seek(length - PNG_END.length);
            in.readFully(end);
            return Arrays.equals(end, PNG_END) ? null : "is cut off (no PNG IEND chunk at its end)";
        }
    }
}

package org.zoobench.notebooks;

import javax.imageio.ImageIO;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the JJava kernel's {@code display(...)} does, for the headless executor: turns an object into Jupyter
 * MIME data (a {@link RenderedImage} becomes {@code image/png}) and hands it to the cell being executed.
 * Notebook code calls the {@code display} functions the executor defines in the shell, which land here.
 */
public final class Display {

    private static volatile CellRecorder recorder;

    private Display() {
    }

    /** Shows {@code value} as its preferred MIME types; returns an id, as JJava's {@code display} does. */
    public static String display(Object value, String... mimeTypes) {
        current().display(render(value, mimeTypes));
        return Integer.toHexString(System.identityHashCode(value));
    }

    /**
     * Records {@code value} as the cell's result ({@code Out[n]}); the executor calls this for a cell's last
     * expression. A null result shows nothing, as in the kernel.
     */
    public static void result(Object value) {
        if (value != null) {
            current().result(render(value));
        }
    }

    /**
     * The MIME bundle for {@code value}: images as base64 PNG, text as itself under each requested type
     * (e.g. {@code text/markdown}); always with a {@code text/plain} fallback.
     */
    public static Map<String, String> render(Object value, String... mimeTypes) {
        Map<String, String> data = new LinkedHashMap<>();
        if (value instanceof RenderedImage image) {
            data.put("image/png", png(image));
            data.put("text/plain", "<image " + image.getWidth() + "x" + image.getHeight() + ">");
            return data;
        }
        String text = String.valueOf(value);
        for (String mime : mimeTypes) {
            data.put(mime, text);
        }
        data.put("text/plain", text);
        return data;
    }

    static void setRecorder(CellRecorder cell) {
        recorder = cell;
    }

    private static CellRecorder current() {
        CellRecorder cell = recorder;
        if (cell == null) {
            throw new IllegalStateException("display(...) called outside a notebook cell");
        }
        System.out.flush();
        System.err.flush();
        return cell;
    }

    private static String png(RenderedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Base64.getEncoder().encodeToString(bytes.toByteArray());
    }
}

package org.zoobench.notebooks;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Collects one cell's outputs in the order they happen: printed text (consecutive writes to the same stream
 * merged, as Jupyter shows them), displayed objects and the final result.
 */
final class CellRecorder {

    private final List<CellOutput> outputs = new ArrayList<>();
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private String pendingStream;

    /** An output stream whose bytes are recorded as the named Jupyter stream ({@code stdout}, {@code stderr}). */
    OutputStream stream(String name) {
        return new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                append(name, b, off, len);
            }
        };
    }

    synchronized void display(Map<String, String> data) {
        flushText();
        outputs.add(new CellOutput.Display(data));
    }

    synchronized void result(Map<String, String> data) {
        flushText();
        outputs.add(new CellOutput.Result(data));
    }

    synchronized List<CellOutput> finish() {
        flushText();
        return List.copyOf(outputs);
    }

    private synchronized void append(String stream, byte[] b, int off, int len) {
        if (!stream.equals(pendingStream)) {
            flushText();
            pendingStream = stream;
        }
        pending.write(b, off, len);
    }

    private void flushText() {
        if (pending.size() > 0) {
            outputs.add(new CellOutput.Stream(pendingStream, pending.toString(StandardCharsets.UTF_8)));
            pending.reset();
        }
        pendingStream = null;
    }
}

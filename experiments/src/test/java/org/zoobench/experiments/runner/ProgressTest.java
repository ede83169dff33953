package org.zoobench.experiments.runner;

import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private long now;

    private List<String> lines() {
        String text = printed.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "no carriage-return frames outside a terminal: " + text);
        return text.lines().toList();
    }

    @Test
    void outsideATerminalEachTenthIsOneLine() {
        ProgressBar bar = Progress.lines("train lenet5", 50, "batch", out, () -> now);
        for (int i = 0; i < 50; i++) {
            Progress.step(bar, "epoch 1/1 loss 0.500");
            bar.refresh();
        }
        Progress.close(bar);
        List<String> lines = lines();
        assertEquals(10, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("train lenet5: 10% (5/50 batch"), lines.get(0));
        assertTrue(lines.get(0).endsWith(", epoch 1/1 loss 0.500"), lines.get(0));
        assertTrue(lines.get(9).startsWith("train lenet5: 100% (50/50 batch"), lines.get(9));
    }

    @Test
    void withoutATotalALineComesEveryThirtySeconds() {
        ProgressBar bar = Progress.lines("train resnet56", Progress.UNKNOWN, "batch", out, () -> now);
        for (int i = 0; i < 40; i++) {
            Progress.step(bar, "epoch 1/4 loss 2.000");
            bar.refresh();
        }
        assertEquals(List.of(), lines(), "no tenths to report, and under 30 s");
        now += Progress.LineRenderer.QUIET_LIMIT.toNanos() + 1;
        bar.refresh();
        bar.refresh();
        List<String> lines = lines();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("train resnet56: (40 batch"), lines.get(0));
        assertTrue(lines.get(0).endsWith(", epoch 1/4 loss 2.000"), lines.get(0));
        Progress.close(bar);
    }

    @Test
    void aSlowLoopStillSaysWhereItIsEveryThirtySeconds() {
        ProgressBar bar = Progress.lines("train alexnet", 1000, "batch", out, () -> now);
        Progress.step(bar, null);
        bar.refresh();
        assertEquals(List.of(), lines(), "under a tenth and under 30 s: nothing yet");
        now += Progress.LineRenderer.QUIET_LIMIT.toNanos() + 1;
        bar.refresh();
        bar.refresh();
        List<String> lines = lines();
        assertEquals(1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("train alexnet: 0% (1/1000 batch"), lines.get(0));
        Progress.close(bar);
    }
}

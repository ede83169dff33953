package org.zoobench.experiments.runner;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars with ETA on stderr for every long loop, so stdout keeps only results.
 * {@code -Dzoobench.progress=false} turns them off (tests do).
 */
public final class Progress {

    private Progress() {
    }

    public static boolean enabled() {
        return !"false".equals(System.getProperty("zoobench.progress"));
    }

    /** A bar over {@code steps} units, or null when bars are off; use with {@link #step} and {@link #close}. */
    public static ProgressBar bar(String task, long steps, String unit) {
        if (!enabled()) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(steps)
                .setUnit(" " + unit, 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .setMaxRenderedLength(120)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .showSpeed()
                .build();
    }

    public static void step(ProgressBar bar, String message) {
        if (bar != null) {
            bar.step();
            if (message != null) {
                bar.setExtraMessage(message);
            }
        }
    }

    public static void close(ProgressBar bar) {
        if (bar != null) {
            bar.close();
        }
    }
}

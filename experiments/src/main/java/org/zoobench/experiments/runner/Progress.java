package org.zoobench.experiments.runner;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress on stderr for every long loop, so stdout keeps only results: a bar with ETA redrawn in place on a
 * terminal; elsewhere (CI, nohup, a pipe), where carriage-return frames pile up, one line per 10% done or per
 * {@link LineRenderer#QUIET_LIMIT} without one. {@code -Dzoobench.progress=false} turns them off (tests and
 * {@code --quiet} do); {@code -Dzoobench.progress=lines} asks for lines on a terminal too, where several runs train at
 * once (Spark in local mode) and bars redrawn in place would overwrite each other.
 */
public final class Progress {

    public static final String PROPERTY = "zoobench.progress";
    public static final String LINES = "lines";

    private Progress() {
    }

    /** The steps of a bar whose total is not known, e.g. a run with a time budget. */
    public static final long UNKNOWN = -1;

    public static boolean enabled() {
        return !"false".equals(System.getProperty(PROPERTY));
    }

    /**
     * A bar over {@code steps} units ({@link #UNKNOWN} where the count is not known in advance), or null when bars
     * are off; use with {@link #step} and {@link #close}.
     */
    public static ProgressBar bar(String task, long steps, String unit) {
        if (!enabled()) {
            return null;
        }
        // Java 17's System.console() is null unless the process talks to a terminal.
        if (System.console() == null || LINES.equals(System.getProperty(PROPERTY))) {
            return lines(task, steps, unit, System.err, System::nanoTime);
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

    /** The line-per-10% form, printing to {@code out}, with {@code nanoTime} as its clock. */
    static ProgressBar lines(String task, long steps, String unit, PrintStream out, LongSupplier nanoTime) {
        Consumer<String> print = line -> {
            if (!line.isEmpty()) {
                out.println(line);
                out.flush();
            }
        };
        return new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(steps)
                .setUpdateIntervalMillis(1000)
                .continuousUpdate() // consulted each second even without a step, so a slow batch still shows
                .setRenderer(new LineRenderer(unit, nanoTime))
                .setConsumer(new DelegatingProgressBarConsumer(print))
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

    /** Renders a line only when a new tenth is done or the last line is 30 s old; an empty string otherwise. */
    static final class LineRenderer implements ProgressBarRenderer {

        static final Duration QUIET_LIMIT = Duration.ofSeconds(30);

        private final String unit;
        private final LongSupplier nanoTime;
        private long lastTenth;
        private long lastLineNanos;

        LineRenderer(String unit, LongSupplier nanoTime) {
            this.unit = unit;
            this.nanoTime = nanoTime;
            this.lastLineNanos = nanoTime.getAsLong();
        }

        @Override
        public synchronized String render(ProgressState state, int maxLength) {
            long now = nanoTime.getAsLong();
            long current = state.getCurrent();
            if (state.isIndefinite()) {
                return unknownTotal(state, now);
            }
            long max = Math.max(1, state.getMax());
            long tenth = current * 10 / max;
            if (tenth <= lastTenth && now - lastLineNanos < QUIET_LIMIT.toNanos()) {
                return "";
            }
            lastTenth = Math.max(lastTenth, tenth);
            lastLineNanos = now;
            return String.format(Locale.ROOT, "%s: %d%% (%d/%d %s%s", state.getTaskName(), current * 100 / max,
                    current, max, unit, rateAndTime(state));
        }

        /** Without a total there are no tenths: a line every {@link #QUIET_LIMIT}. */
        private String unknownTotal(ProgressState state, long now) {
            if (now - lastLineNanos < QUIET_LIMIT.toNanos()) {
                return "";
            }
            lastLineNanos = now;
            return String.format(Locale.ROOT, "%s: (%d %s%s", state.getTaskName(), state.getCurrent(), unit,
                    rateAndTime(state));
        }

        /** E.g. ", 12.5 batch/s), 0:01:05 elapsed, epoch 1/2 loss 0.512". */
        private String rateAndTime(ProgressState state) {
            double seconds = state.getTotalElapsed().toMillis() / 1000.0;
            String rate = seconds > 0 ? String.format(Locale.ROOT, ", %.1f %s/s", state.getCurrent() / seconds, unit)
                    : "";
            String message = state.getExtraMessage() == null || state.getExtraMessage().isEmpty() ? ""
                    : ", " + state.getExtraMessage();
            return String.format(Locale.ROOT, "%s), %s elapsed%s", rate, clock(seconds), message);
        }

        private static String clock(double seconds) {
            long s = Math.round(seconds);
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
        }
    }
}

package org.zoobench.experiments.ui;

import org.deeplearning4j.core.storage.StatsStorage;
import org.deeplearning4j.ui.model.stats.StatsListener;
import org.deeplearning4j.ui.model.storage.InMemoryStatsStorage;
import org.zoobench.experiments.runner.RunListeners;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What {@code --ui} and {@code --stats} ask of a train or run: DL4J's {@link StatsListener} on every run it trains,
 * one session per run (named by its run id), recording into the stats file, or into memory for the UI alone, and
 * shown by a {@link TrainingUi} on 127.0.0.1. Closing it stops the UI and closes the file.
 */
public final class LiveStats implements AutoCloseable {

    /** A report every step: the score chart gets one point per minibatch, as in DL4J's own examples. */
    private static final int STEPS_PER_REPORT = 1;

    private static final String UI_PORT_OPTION = "--ui PORT";

    private final TrainingUi ui;
    private final StatsStorage storage;
    private final RunListeners.Registration listeners;

    private LiveStats(TrainingUi ui, StatsStorage storage) {
        this.ui = ui;
        this.storage = storage;
        this.listeners = storage == null ? null : RunListeners.register(
                runId -> new StatsListener(storage, STEPS_PER_REPORT, runId));
    }

    /**
     * Fails, as a user error, when {@link #start} could not have the port {@code uiPort} or write {@code statsFile}
     * (either may be null: not asked for); checks only, so that a command can do it before it loads or writes.
     */
    public static void check(Integer uiPort, Path statsFile) {
        if (uiPort != null) {
            TrainingUi.checkPort(uiPort, UI_PORT_OPTION);
        }
        if (statsFile != null) {
            StatsFile.checkWritable(statsFile);
        }
    }

    /**
     * Starts the UI on {@code uiPort} (none when null) and opens {@code statsFile} (none when null), saying on
     * {@code log} where to look; with neither, nothing is recorded. Fails, leaving nothing behind, on a port that
     * cannot be had or a file that cannot be written.
     */
    public static LiveStats start(Integer uiPort, Path statsFile, PrintWriter log) {
        TrainingUi ui = uiPort == null ? null : TrainingUi.start(uiPort, UI_PORT_OPTION);
        StatsStorage storage;
        try {
            storage = statsFile != null ? StatsFile.openForWriting(statsFile)
                    : ui != null ? new InMemoryStatsStorage() : null;
        } catch (RuntimeException e) {
            if (ui != null) {
                ui.close();
            }
            throw e;
        }
        if (ui != null) {
            ui.attach(storage);
            log.println("Training UI: " + ui.url() + " (on this machine only; it stops when this command ends)");
        }
        if (statsFile != null) {
            log.println("Training statistics go to " + statsFile + " (`zoobench ui " + statsFile + "` serves them "
                    + "later)");
        }
        log.flush();
        return new LiveStats(ui, storage);
    }

    @Override
    public void close() {
        if (listeners != null) {
            listeners.close();
        }
        if (ui != null) {
            ui.close();
        }
        if (storage != null) {
            try {
                storage.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}

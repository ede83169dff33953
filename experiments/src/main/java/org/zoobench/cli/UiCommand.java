package org.zoobench.cli;

import org.deeplearning4j.ui.model.storage.FileStatsStorage;
import org.zoobench.UserInputException;
import org.zoobench.experiments.ui.StatsFile;
import org.zoobench.experiments.ui.TrainingUi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code zoobench ui FILE [--port P]}: DL4J's training UI over the statistics a run recorded with --stats. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Serve the training statistics that train or run recorded with --stats FILE in DL4J's training "
                + "UI on 127.0.0.1, until Ctrl-C.")
public final class UiCommand implements Callable<Integer> {

    /** Sessions named in the line that says what is served; a suite's file has dozens. */
    private static final int SESSIONS_NAMED = 3;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a stats file written by train or run --stats FILE")
    Path file;

    @Option(names = "--port", defaultValue = "" + TrainingUi.DEFAULT_PORT, paramLabel = "PORT",
            description = "port on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FileStatsStorage storage = StatsFile.openForReading(file);
        try {
            List<String> sessions = storage.listSessionIDs().stream().sorted().toList();
            if (sessions.isEmpty()) {
                throw new UserInputException(file + " holds no training statistics yet; a train or run with --stats "
                        + file + " records them");
            }
            try (TrainingUi ui = TrainingUi.start(port, "--port")) {
                ui.attach(storage);
                out.printf("Serving %s (%d training session%s: %s) at %s until Ctrl-C%n", file, sessions.size(),
                        sessions.size() == 1 ? "" : "s", named(sessions), ui.url());
                out.flush();
                awaitInterrupt();
            }
            return 0;
        } finally {
            storage.close();
        }
    }

    /**
     * Blocks until this thread is interrupted, which asks the command to stop (Ctrl-C ends the JVM while it waits).
     * The interrupt is handled by returning, so that stopping the server can wait for it.
     */
    private static void awaitInterrupt() {
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException stopRequested) {
            // handled: the caller stops the server
        }
    }

    private static String named(List<String> sessions) {
        String first = String.join(", ", sessions.subList(0, Math.min(SESSIONS_NAMED, sessions.size())));
        return sessions.size() > SESSIONS_NAMED ? first + ", …" : first;
    }
}

package org.zoobench.cli;

import org.zoobench.experiments.ui.LiveStats;
import org.zoobench.experiments.ui.TrainingUi;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Stack;

/** {@code --ui [PORT]} and {@code --stats FILE}, shared by train and run: DL4J's training UI and its statistics. */
final class LiveStatsOptions {

    @Option(names = "--ui", arity = "0..1", fallbackValue = "" + TrainingUi.DEFAULT_PORT, paramLabel = "PORT",
            parameterConsumer = PortIfNumber.class,
            description = "serve DL4J's training UI (score chart, model, system) on 127.0.0.1:PORT while training "
                    + "and print its address; it stops when the command ends (PORT default ${FALLBACK-VALUE}; 0 "
                    + "picks a free one)")
    Integer uiPort;

    @Option(names = "--stats", paramLabel = "FILE",
            description = "record the UI's statistics (DL4J's FileStatsStorage, one session per run) to FILE, "
                    + "for `zoobench ui FILE` to serve later")
    Path statsFile;

    /**
     * Takes the argument after {@code --ui} as its port only if it is a number, so that {@code run --ui
     * alexnet-ablation} names the suite (picocli would take any word, then fail to read it as a port).
     */
    static final class PortIfNumber implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec option, CommandSpec command) {
            boolean portGiven = !args.isEmpty() && args.peek().matches("-?\\d{1,9}");
            option.setValue(Integer.valueOf(portGiven ? args.pop() : ((OptionSpec) option).fallbackValue()));
        }
    }

    boolean requested() {
        return uiPort != null || statsFile != null;
    }

    /** Fails, as a user error, if the port or the file cannot be had; loads and writes nothing. */
    void check() {
        LiveStats.check(uiPort, statsFile);
    }

    /** The UI and recording these options ask for, started; closing stops them. */
    LiveStats start(PrintWriter log) {
        return LiveStats.start(uiPort, statsFile, log);
    }
}

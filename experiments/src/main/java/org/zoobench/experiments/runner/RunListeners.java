package org.zoobench.experiments.runner;

import org.deeplearning4j.optimize.api.TrainingListener;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Listeners added to every network the {@link Trainer} trains in this process while they are registered, such as
 * DL4J's StatsListener behind {@code --ui} and {@code --stats}. A command registers them for its span; the runners
 * between it and the Trainer need not carry them.
 */
public final class RunListeners {

    private static final List<Function<String, TrainingListener>> FACTORIES = new CopyOnWriteArrayList<>();

    private RunListeners() {
    }

    /** Gives each run trained from now on the listener {@code forRun} makes from its run id, until closed. */
    public static Registration register(Function<String, TrainingListener> forRun) {
        FACTORIES.add(forRun);
        return () -> FACTORIES.remove(forRun);
    }

    /** The registered listeners of the run {@code runId}, in the order they were registered. */
    static TrainingListener[] forRun(String runId) {
        return FACTORIES.stream().map(f -> f.apply(runId)).toArray(TrainingListener[]::new);
    }

    /** A registration; closing it stops adding its listener to later runs. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}

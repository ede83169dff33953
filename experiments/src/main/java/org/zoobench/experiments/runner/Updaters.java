package org.zoobench.experiments.runner;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.zoo.UserInputException;

import java.util.Locale;

/** Updater names accepted by --updater, with their usual default learning rates. */
public final class Updaters {

    public static final double NESTEROV_MOMENTUM = 0.9;

    private Updaters() {
    }

    public static double defaultLearningRate(String name) {
        return switch (normalise(name)) {
            case "adam" -> 1e-3;
            case "sgd", "nesterovs" -> 1e-2;
            default -> throw unknown(name);
        };
    }

    public static IUpdater create(String name, double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new UserInputException("learning rate must be a positive number, got " + learningRate);
        }
        return switch (normalise(name)) {
            case "adam" -> new Adam(learningRate);
            case "sgd" -> new Sgd(learningRate);
            case "nesterovs" -> new Nesterovs(learningRate, NESTEROV_MOMENTUM);
            default -> throw unknown(name);
        };
    }

    /** A --lr-schedule value as a run config holds it: null for constant, {@link RunConfig#LINEAR_DECAY}. */
    public static String schedule(String name) {
        return switch (normalise(name)) {
            case "constant" -> null;
            case RunConfig.LINEAR_DECAY -> RunConfig.LINEAR_DECAY;
            default -> throw new UserInputException("unknown learning-rate schedule '" + name
                    + "'; choose constant or linear");
        };
    }

    public static String normalise(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    private static UserInputException unknown(String name) {
        return new UserInputException("unknown updater '" + name + "'; choose adam, sgd or nesterovs");
    }
}

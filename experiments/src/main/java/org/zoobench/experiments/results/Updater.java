package org.zoobench.experiments.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.zoobench.UserInputException;

import java.util.Arrays;
import java.util.Locale;

/** The update rules --updater accepts, by the names run configs record, with their usual learning rates. */
public enum Updater {
    ADAM(1e-3),
    SGD(1e-2),
    NESTEROVS(1e-2);

    public static final double NESTEROV_MOMENTUM = 0.9;

    private final double defaultLearningRate;

    Updater(double defaultLearningRate) {
        this.defaultLearningRate = defaultLearningRate;
    }

    /** A name as --updater takes it, in any case. */
    @JsonCreator
    public static Updater parse(String name) {
        return Arrays.stream(values()).filter(u -> u.id().equals(name.trim().toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new UserInputException("unknown updater '" + name
                        + "'; choose adam, sgd or nesterovs"));
    }

    /** The name in run configs and results: "adam", "sgd", "nesterovs". */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public double defaultLearningRate() {
        return defaultLearningRate;
    }

    public IUpdater create(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new UserInputException("learning rate must be a positive number, got " + learningRate);
        }
        return switch (this) {
            case ADAM -> new Adam(learningRate);
            case SGD -> new Sgd(learningRate);
            case NESTEROVS -> new Nesterovs(learningRate, NESTEROV_MOMENTUM);
        };
    }

    @Override
    public String toString() {
        return id();
    }
}

package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.RunConfig;
import org.zoobench.zoo.layers.LayerImpl;

import java.util.Locale;

/**
 * The training recipe a suite gives every model it compares: subset sizes (0 = all), epochs, batch, seeds,
 * updater and learning rate, the test top-1 (percent) whose time of first reaching is recorded, L2 weight decay
 * (0 = none) and the epochs without a better test top-1 after which the rate is divided by 10 (0 = constant).
 */
record Recipe(int trainLimit, int testLimit, int epochs, int batch, int seeds, String updater, double lr,
              double target, double weightDecay, int lrPatience) {

    static final long FIRST_SEED = 1;

    /** A recipe with a constant learning rate and no weight decay. */
    Recipe(int trainLimit, int testLimit, int epochs, int batch, int seeds, String updater, double lr, double target) {
        this(trainLimit, testLimit, epochs, batch, seeds, updater, lr, target, 0, 0);
    }

    /** The run of {@code model} with this recipe and seed number {@code s} (0-based). */
    RunConfig config(String model, String dataset, String input, String resize, int classes, int s,
                     int bootstrapSamples) {
        return new RunConfig(model, dataset, input, resize, classes, epochs, batch, updater, lr, FIRST_SEED + s,
                trainLimit, testLimit, target, bootstrapSamples, LayerImpl.FAST.id(), weightDecay, lrPatience);
    }

    /** E.g. "1,600 train / 1,000 test examples, 2 epochs, batch 32, adam lr 0.001, seeds 1..2". */
    String describe() {
        return String.format(Locale.ROOT, "%s train / %s test examples, %d epochs, batch %d, %s lr %s%s%s, seeds %d..%d",
                count(trainLimit), count(testLimit), epochs, batch, updater, lr,
                lrPatience == 0 ? "" : String.format(Locale.ROOT, " (÷10 after %d epoch(s) without a better test "
                        + "top-1)", lrPatience),
                weightDecay == 0 ? "" : ", weight decay " + weightDecay, FIRST_SEED, FIRST_SEED + seeds - 1);
    }

    /** What {@code this} (the quick recipe) cuts from {@code full}, in words. */
    String cutsFrom(Recipe full) {
        return String.format(Locale.ROOT, "%s instead of %s training and %s instead of %s test examples, %d instead "
                        + "of %d epochs, %d instead of %d seeds", count(trainLimit), count(full.trainLimit),
                count(testLimit), count(full.testLimit), epochs, full.epochs, seeds, full.seeds);
    }

    private static String count(int limit) {
        return limit == 0 ? "all" : String.format(Locale.ROOT, "%,d", limit);
    }
}

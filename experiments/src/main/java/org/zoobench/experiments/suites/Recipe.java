package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.layers.LayerImpl;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The training recipe a suite gives every model it compares: subset sizes (0 = all), epochs, batch, seeds,
 * updater and learning rate, the test top-1 (percent) whose time of first reaching is recorded, L2 weight decay
 * (0 = none), the epochs without a better test top-1 after which the rate is divided by 10 (0 = never) and the
 * rate's schedule otherwise (null: constant; {@link RunConfig#LINEAR_DECAY}).
 */
record Recipe(int trainLimit, int testLimit, int epochs, int batch, int seeds, Updater updater, double lr,
              double target, double weightDecay, int lrPatience, String lrSchedule) {

    static final long FIRST_SEED = 1;

    /** A recipe with a constant learning rate and no weight decay. */
    Recipe(int trainLimit, int testLimit, int epochs, int batch, int seeds, Updater updater, double lr, double target) {
        this(trainLimit, testLimit, epochs, batch, seeds, updater, lr, target, 0, 0, null);
    }

    /** A recipe with weight decay and a plateau schedule. */
    Recipe(int trainLimit, int testLimit, int epochs, int batch, int seeds, Updater updater, double lr, double target,
           double weightDecay, int lrPatience) {
        this(trainLimit, testLimit, epochs, batch, seeds, updater, lr, target, weightDecay, lrPatience, null);
    }

    /** This recipe with the rate falling linearly to 0 over its steps. */
    Recipe withLinearDecay() {
        return new Recipe(trainLimit, testLimit, epochs, batch, seeds, updater, lr, target, weightDecay, 0,
                RunConfig.LINEAR_DECAY);
    }

    /**
     * One net a suite trains with a recipe: the group its runs are reported under, the registered model, the data
     * set and how the net reads it (input, resize), the class count, and the trainable params of the same
     * architecture at its published config (0 where the suite shows none).
     */
    record Net(String group, String model, String dataset, InputShape input, ResizeMode resize, int classes,
               long publishedParams) {

        /** Trainable params of {@code entry} at its published input and class count. */
        static long publishedParams(ModelEntry entry) {
            return ModelProfile.of(entry, entry.defaultOptions()).trainableParams();
        }
    }

    /** Per seed, a run of each net in the order given, each scored with {@code bootstrapSamples} resamples. */
    List<RunSpec> runs(String suite, List<Net> nets, int bootstrapSamples) {
        List<RunSpec> runs = new ArrayList<>();
        for (int s = 0; s < seeds; s++) {
            for (Net net : nets) {
                runs.add(new RunSpec(suite, net.group(), config(net, FIRST_SEED + s, bootstrapSamples),
                        net.publishedParams()));
            }
        }
        return runs;
    }

    private RunConfig config(Net net, long seed, int bootstrapSamples) {
        return new RunConfig(net.model(), net.dataset(), net.input(), net.resize(), net.classes(), epochs,
                batch, updater, lr, seed, trainLimit, testLimit, target, bootstrapSamples, LayerImpl.FAST.id(),
                weightDecay, lrPatience, lrSchedule);
    }

    /** The training examples each net sees: the recipe's limit times its epochs. */
    int examplesSeen() {
        return trainLimit * epochs;
    }

    /** E.g. "1,600 train / 1,000 test examples, 2 epochs, batch 32, adam lr 0.001, seeds 1..2". */
    String describe() {
        return String.format(Locale.ROOT, "%s train / %s test examples, %d epochs, batch %d, %s lr %s%s%s, seeds %d..%d",
                count(trainLimit), count(testLimit), epochs, batch, updater, lr,
                lrPatience == 0 && lrSchedule == null ? ""
                        : " (" + RunConfig.scheduleInWords(lrPatience, lrSchedule) + ")",
                weightDecay == 0 ? "" : ", weight decay " + weightDecay, FIRST_SEED, FIRST_SEED + seeds - 1);
    }

    /** How {@code this} (a quick recipe) differs from {@code full}, in words: only the aspects that differ. */
    String cutsFrom(Recipe full) {
        List<String> cuts = new ArrayList<>();
        if (trainLimit != full.trainLimit) {
            cuts.add(count(trainLimit) + " instead of " + count(full.trainLimit) + " training examples");
        }
        if (testLimit != full.testLimit) {
            cuts.add(count(testLimit) + " instead of " + count(full.testLimit) + " test examples");
        }
        if (epochs != full.epochs) {
            cuts.add(epochs + " instead of " + full.epochs + " epochs");
        }
        if (batch != full.batch) {
            cuts.add("batch " + batch + " instead of " + full.batch);
        }
        if (!updater.equals(full.updater) || lr != full.lr) {
            cuts.add(updater + " lr " + lr + " instead of " + full.updater + " lr " + full.lr);
        }
        String schedule = RunConfig.scheduleInWords(lrPatience, lrSchedule);
        String fullSchedule = RunConfig.scheduleInWords(full.lrPatience, full.lrSchedule);
        if (!schedule.equals(fullSchedule)) {
            cuts.add("learning rate " + schedule + " instead of " + fullSchedule);
        }
        if (seeds != full.seeds) {
            cuts.add(seeds + " instead of " + full.seeds + " seeds");
        }
        return String.join(", ", cuts);
    }

    private static String count(int limit) {
        return limit == 0 ? "all" : String.format(Locale.ROOT, "%,d", limit);
    }
}

package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.Augmentation;
import org.zoobench.experiments.results.LrSchedule;
import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.Updater;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The training recipe a suite gives every model it compares: subset sizes (0 = all), epochs, batch, seeds,
 * updater and learning rate, the test top-1 (percent) whose time of first reaching is recorded, L2 weight decay
 * (0 = none), the epochs without a better test top-1 after which the rate is divided by 10 (0 = never), the
 * rate's schedule otherwise, random crops and flips of the training images (null: none), the stopping rule's
 * tolerance in test top-1 points (0: train every epoch; else {@code epochs} is the most) and a training-time budget
 * in seconds (0: none; else {@code epochs} counts the evaluations within it). See {@link RunConfig} for each.
 */
record Recipe(int trainLimit, int testLimit, int epochs, int batch, int seeds, Updater updater, double lr,
              double target, double weightDecay, int lrPatience, LrSchedule lrSchedule, Augmentation augmentation,
              double stopWithin, double trainSeconds) {

    static final long FIRST_SEED = 1;
    /** A quick recipe's evaluations within its time budget, and the test images each scores. */
    static final int QUICK_EVALUATIONS = 4;
    static final int QUICK_TEST_LIMIT = 2_000;
    /** "Test top-1 stops rising": two epochs after the last division within this many points. */
    static final double STOP_WITHIN = 0.3;

    /** A recipe built by name: all images, one seed, a constant rate, no weight decay, whole images. */
    static Builder builder() {
        return new Builder();
    }

    /**
     * The recipe the architectures and depth suites adapt from each paper: all images, batch 128, 2 seeds, the
     * rate divided by 10 after each of {@code divisions}, then trained until test top-1 stops rising, 30 epochs at
     * most, the time to DAWNBench's 90% recorded.
     */
    static Recipe untilConverged(Updater updater, double lr, double weightDecay, int... divisions) {
        return builder().epochs(30).batch(128).seeds(2).updater(updater).lr(lr).target(90).weightDecay(weightDecay)
                .lrSchedule(LrSchedule.steps(divisions)).stopWithin(STOP_WITHIN).build();
    }

    Builder toBuilder() {
        return new Builder().trainLimit(trainLimit).testLimit(testLimit).epochs(epochs).batch(batch).seeds(seeds)
                .updater(updater).lr(lr).target(target).weightDecay(weightDecay).lrPatience(lrPatience)
                .lrSchedule(lrSchedule).augmentation(augmentation).stopWithin(stopWithin).trainSeconds(trainSeconds);
    }

    /** This recipe with its training images randomly cropped and flipped. */
    Recipe withAugmentation(Augmentation a) {
        return toBuilder().augmentation(a).build();
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
        return RunConfig.builder().model(net.model()).dataset(net.dataset()).input(net.input()).resize(net.resize())
                .classes(net.classes()).epochs(epochs).batchSize(batch).updater(updater).learningRate(lr).seed(seed)
                .trainLimit(trainLimit).testLimit(testLimit).targetAccuracy(target)
                .bootstrapSamples(bootstrapSamples).layers(LayerImpl.FAST).weightDecay(weightDecay)
                .lrPatience(lrPatience).lrSchedule(lrSchedule).augmentation(augmentation).stopWithin(stopWithin)
                .trainSeconds(trainSeconds).build();
    }

    /**
     * This recipe's first phase, as the suites' quick recipe: its updater, starting rate, weight decay, crops and
     * flips on all training images for {@code seconds} of training per net, evaluated {@value #QUICK_EVALUATIONS}
     * times on {@value #QUICK_TEST_LIMIT} test images, one seed, the time to {@code target} recorded. No schedule
     * and no stopping rule: both count epochs, which a time budget does not fix.
     */
    Recipe quickFirstPhase(double seconds, double target) {
        return builder().testLimit(QUICK_TEST_LIMIT).epochs(QUICK_EVALUATIONS).batch(batch).updater(updater).lr(lr)
                .target(target).weightDecay(weightDecay).augmentation(augmentation).trainSeconds(seconds).build();
    }

    /** The training examples each net sees: the recipe's limit times its epochs (its most, with a stopping rule). */
    int examplesSeen() {
        return trainLimit * epochs;
    }

    /** E.g. "1,600 train / 1,000 test examples, 2 epochs, batch 32, adam lr 0.001, seeds 1..2". */
    String describe() {
        return String.format(Locale.ROOT, "%s train / %s test examples, %s, batch %d, %s lr %s%s%s%s, seeds %d..%d",
                count(trainLimit), count(testLimit), length(), batch, updater, lr,
                lrPatience == 0 && lrSchedule.isConstant() ? "" : " (" + lrSchedule.inWords(lrPatience) + ")",
                weightDecay == 0 ? "" : ", weight decay " + weightDecay,
                augmentation == null ? "" : ", " + augmentation.inWords(), FIRST_SEED, FIRST_SEED + seeds - 1);
    }

    /** How long each net trains, in words: epochs, epochs until converged, or seconds. */
    String length() {
        if (trainSeconds > 0) {
            return String.format(Locale.ROOT, "%.0f s of training per net (evaluated every %.0f s)", trainSeconds,
                    trainSeconds / epochs);
        }
        if (stopWithin > 0) {
            return String.format(Locale.ROOT, "until test top-1 stops rising (two epochs after the last division "
                    + "within %s points), at most %d epochs", stopWithin, epochs);
        }
        return epochs + " epochs";
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
        boolean epochsOnly = trainSeconds == 0 && full.trainSeconds == 0 && stopWithin == 0 && full.stopWithin == 0;
        if (epochsOnly && epochs != full.epochs) {
            cuts.add(epochs + " instead of " + full.epochs + " epochs");
        } else if (!length().equals(full.length())) {
            cuts.add(length() + " instead of " + full.length());
        }
        if (batch != full.batch) {
            cuts.add("batch " + batch + " instead of " + full.batch);
        }
        if (!updater.equals(full.updater) || lr != full.lr) {
            cuts.add(updater + " lr " + lr + " instead of " + full.updater + " lr " + full.lr);
        }
        String schedule = lrSchedule.inWords(lrPatience);
        String fullSchedule = full.lrSchedule.inWords(full.lrPatience);
        if (!schedule.equals(fullSchedule)) {
            cuts.add("learning rate " + schedule + " instead of " + fullSchedule);
        }
        if (weightDecay != full.weightDecay) {
            cuts.add((weightDecay == 0 ? "no weight decay" : "weight decay " + weightDecay) + " instead of "
                    + (full.weightDecay == 0 ? "none" : full.weightDecay));
        }
        if (!Objects.equals(augmentation, full.augmentation)) {
            cuts.add((augmentation == null ? "whole images" : augmentation.inWords()) + " instead of "
                    + (full.augmentation == null ? "whole images" : full.augmentation.inWords()));
        }
        if (seeds != full.seeds) {
            cuts.add(seeds + " instead of " + full.seeds + " seeds");
        }
        return String.join(", ", cuts);
    }

    private static String count(int limit) {
        return limit == 0 ? "all" : String.format(Locale.ROOT, "%,d", limit);
    }

    /** Builds a recipe by name; unset, a component has the default of its type, and the rate is constant. */
    static final class Builder {
        private int trainLimit;
        private int testLimit;
        private int epochs;
        private int batch;
        private int seeds = 1;
        private Updater updater;
        private double lr;
        private double target;
        private double weightDecay;
        private int lrPatience;
        private LrSchedule lrSchedule = LrSchedule.CONSTANT;
        private Augmentation augmentation;
        private double stopWithin;
        private double trainSeconds;

        private Builder() {
        }

        Builder trainLimit(int v) { trainLimit = v; return this; }
        Builder testLimit(int v) { testLimit = v; return this; }
        Builder epochs(int v) { epochs = v; return this; }
        Builder batch(int v) { batch = v; return this; }
        Builder seeds(int v) { seeds = v; return this; }
        Builder updater(Updater v) { updater = v; return this; }
        Builder lr(double v) { lr = v; return this; }
        Builder target(double v) { target = v; return this; }
        Builder weightDecay(double v) { weightDecay = v; return this; }
        Builder lrPatience(int v) { lrPatience = v; return this; }
        Builder lrSchedule(LrSchedule v) { lrSchedule = v; return this; }
        Builder augmentation(Augmentation v) { augmentation = v; return this; }
        Builder stopWithin(double v) { stopWithin = v; return this; }
        Builder trainSeconds(double v) { trainSeconds = v; return this; }

        Recipe build() {
            return new Recipe(trainLimit, testLimit, epochs, batch, seeds, updater, lr, target, weightDecay,
                    lrPatience, lrSchedule, augmentation, stopWithin, trainSeconds);
        }
    }
}

package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.ResizeMode;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.Updater;
import org.zoobench.zoo.ModelRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a paper trained the net a suite reproduces, aspect by aspect, so that a suite's notes list exactly how the
 * runs it made differ from it: every difference is worded from the run's own configuration, never written by hand.
 *
 * @param model         registered name of the paper's net
 * @param dataset       registered name of the paper's data set; null where it is not registered (ImageNet: an
 *                      image folder with as many classes counts as it)
 * @param data          the paper's data set, in words
 * @param classes       its class count
 * @param input         the input its net read, CxHxW
 * @param cropsAndFlips whether it trained on random crops and horizontal flips
 * @param updater       its update rule, in words (compared with the run's, described by {@link #updater(Updater)})
 * @param schedule      its learning-rate schedule, in words
 * @param plateau       whether that schedule divides the rate when validation error stops improving
 */
record PaperSetup(String paper, String model, String dataset, String data, int classes, String input, boolean cropsAndFlips,
                  String updater, double learningRate, String schedule, boolean plateau, double weightDecay,
                  int batch, int epochs) {

    /** Zeiler and Fergus (2013), who kept Krizhevsky et al.'s (2012) recipe; 70 epochs (their section 3). */
    static final PaperSetup ZEILER_FERGUS = new PaperSetup("Zeiler & Fergus", "alexnet", null, "ImageNet 2012", 1000,
            "3x224x224", true, "SGD with momentum 0.9", 0.01, "÷10 when validation error stops improving", true,
            5e-4, 128, 70);
    /**
     * He et al. (2015) section 4.2 on CIFAR-10: 64k iterations of batch 128 on 45k training images (about 182
     * epochs), rate ÷10 at 32k and 48k iterations.
     */
    static final PaperSetup HE_CIFAR = new PaperSetup("He et al.", null, "cifar10", "CIFAR-10", 10, "3x32x32", true,
            "SGD with momentum 0.9", 0.1, "÷10 at 32k and 48k iterations", false, 1e-4, 128, 182);

    /** The ways {@code run} differs from the paper, each as "this run vs the paper" in words. */
    List<String> differences(RunConfig run) {
        List<String> out = new ArrayList<>();
        if (model != null && !run.model().equals(model)) {
            out.add(String.format(Locale.ROOT, "net %s (%s) instead of %s", run.model(),
                    ModelRegistry.get(run.model()).description(), model));
        }
        String runData = run.dataset().equals("image-folder") ? "an image folder" : run.dataset();
        boolean sameData = dataset != null ? run.dataset().equals(dataset)
                : run.dataset().equals("image-folder") && run.classes() == classes;
        if (!sameData) {
            out.add(String.format(Locale.ROOT, "data %s (%d classes) instead of %s (%d classes)", runData,
                    run.classes(), data, classes));
        }
        if (!run.input().toString().equals(input)) {
            out.add("input " + run.input() + " instead of " + input);
        }
        boolean runCrops = run.resize() == ResizeMode.CROP || (run.augmentation() != null
                && run.augmentation().cropPadding() > 0 && run.augmentation().horizontalFlips());
        if (runCrops != cropsAndFlips) {
            out.add(runCrops ? "random crops and flips, which the paper did not use"
                    : "whole images (" + run.resize() + " to the input), no random crops or flips");
        }
        String runUpdater = updater(run.updater());
        if (!runUpdater.equals(updater) || run.learningRate() != learningRate) {
            out.add(String.format(Locale.ROOT, "%s at lr %s instead of %s at lr %s", runUpdater,
                    run.learningRate(), updater, learningRate));
        }
        if (!(plateau && run.lrPatience() > 0)) {
            out.add(String.format(Locale.ROOT, "learning rate %s instead of %s", run.scheduleInWords(), schedule));
        }
        if (run.weightDecay() != weightDecay) {
            out.add(String.format(Locale.ROOT, "weight decay %s instead of %s",
                    run.weightDecay() == 0 ? "none" : run.weightDecay(), weightDecay));
        }
        if (run.batchSize() != batch) {
            out.add("batch " + run.batchSize() + " instead of " + batch);
        }
        if (run.trainSeconds() > 0) {
            out.add(String.format(Locale.ROOT, "%.0f s of training instead of %d epochs", run.trainSeconds(), epochs));
        } else if (run.stopWithin() > 0) {
            out.add(String.format(Locale.ROOT, "until test top-1 stops rising, at most %d epochs, instead of %d",
                    run.epochs(), epochs));
        } else if (run.epochs() != epochs) {
            out.add(run.epochs() + " epochs instead of " + epochs);
        }
        return out;
    }

    /** One note: "Differences from PAPER: a; b; c." or that there are none in the aspects compared. */
    String note(RunConfig run) {
        List<String> d = differences(run);
        return d.isEmpty() ? "Same recipe as " + paper + " in every aspect compared (data, input, crops and flips, "
                + "updater, learning rate and schedule, weight decay, batch, epochs)."
                : "Differences from " + paper + ": " + String.join("; ", d) + ".";
    }

    /** An update rule in the words the papers use. */
    static String updater(Updater rule) {
        return switch (rule) {
            case SGD -> "plain SGD";
            case NESTEROVS -> "SGD with Nesterov momentum " + Updater.NESTEROV_MOMENTUM;
            case ADAM -> "Adam";
        };
    }
}

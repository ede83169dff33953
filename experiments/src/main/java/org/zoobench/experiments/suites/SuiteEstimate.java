package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.zoo.ModelEntry;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * What a suite's runs will take on this machine, per run and per epoch, from the calibration the suite prints
 * before it starts ({@link DurationEstimate}: a few timed training steps of each net). A run that trains until
 * its test top-1 stops rising takes between the fewest epochs its stopping rule allows (two after the schedule's
 * last division) and its most: both ends are given.
 */
public final class SuiteEstimate {

    private SuiteEstimate() {
    }

    /** One line for the whole, then one per run. */
    public static String describe(List<RunSpec> runs, Function<String, ModelEntry> models, DataProvider data) {
        if (runs.isEmpty()) {
            return "Nothing left to train.\n";
        }
        double[] seconds = DurationEstimate.perRun(runs, models, data);
        double most = 0;
        double fewest = 0;
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
            RunConfig c = runs.get(i).config();
            double perEpoch = seconds[i] / c.epochs();
            int earliest = earliestEpochs(c);
            most += seconds[i];
            fewest += perEpoch * earliest;
            String label = String.format(Locale.ROOT, "- %s seed %d: ", c.model(), c.seed());
            if (c.trainSeconds() > 0) {
                lines.append(label).append(String.format(Locale.ROOT, "%.0f s of training and %d evaluations: %s%n",
                        c.trainSeconds(), c.epochs(), SuiteRunner.duration(seconds[i])));
            } else if (earliest < c.epochs()) {
                lines.append(label).append(String.format(Locale.ROOT, "%s an epoch; %s (%d epochs) to %s (%d)%n",
                        SuiteRunner.duration(perEpoch), SuiteRunner.duration(perEpoch * earliest), earliest,
                        SuiteRunner.duration(seconds[i]), c.epochs()));
            } else {
                lines.append(label).append(String.format(Locale.ROOT, "%s an epoch; %s (%d epochs)%n",
                        SuiteRunner.duration(perEpoch), SuiteRunner.duration(seconds[i]), c.epochs()));
            }
        }
        String whole = fewest < most
                ? String.format(Locale.ROOT, "about %s to %s (every run stopping at the earliest epoch its stopping "
                + "rule allows, or at its most)", SuiteRunner.duration(fewest), SuiteRunner.duration(most))
                : "about " + SuiteRunner.duration(most);
        return String.format(Locale.ROOT, "Expected duration: %s for %d runs, calibrated on this machine now (its "
                + "load included):%n", whole, runs.size()) + lines;
    }

    /** The fewest epochs a run can train: all of them, unless a stopping rule may end it after its last division. */
    static int earliestEpochs(RunConfig c) {
        return c.stopWithin() > 0 ? Math.min(c.epochs(), c.lastDivisionEpoch() + 2) : c.epochs();
    }
}

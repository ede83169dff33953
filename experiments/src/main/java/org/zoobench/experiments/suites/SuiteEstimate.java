package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.runner.DataProvider;
import org.zoobench.experiments.runner.RunSpec;
import org.zoobench.zoo.ModelEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What a suite's runs will take on this machine, per run and per epoch, from the calibration the suite prints
 * before it starts ({@link DurationEstimate}: a few timed training steps of each net). A run that trains until
 * its test top-1 stops rising takes between the fewest epochs its stopping rule allows (two after the schedule's
 * last division) and its most: both ends are given. A run resumed from its checkpoint has only its remaining
 * epochs left.
 */
public final class SuiteEstimate {

    private SuiteEstimate() {
    }

    /**
     * What a run has left: the seconds of one of its epochs, the epochs its checkpoint holds, and the seconds from
     * there to its most epochs and to the earliest its stopping rule allows (the same for a run without one).
     */
    record Remaining(RunConfig config, double perEpoch, int epochsDone, double most, double earliest) {
    }

    /** Each run's {@link Remaining}, in order, calibrated now; {@code epochsDone} gives a run's by its id. */
    static List<Remaining> remaining(List<RunSpec> runs, Function<String, ModelEntry> models, DataProvider data,
                                     ToIntFunction<String> epochsDone) {
        double[] seconds = runs.isEmpty() ? new double[0] : DurationEstimate.perRun(runs, models, data);
        List<Remaining> left = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            RunConfig c = runs.get(i).config();
            double perEpoch = seconds[i] / c.epochs();
            if (c.trainSeconds() > 0) {
                left.add(new Remaining(c, perEpoch, 0, seconds[i], seconds[i]));
                continue;
            }
            int done = epochsDone.applyAsInt(runs.get(i).runId());
            // A run still unfinished at or past its earliest stop has at least one more epoch.
            left.add(new Remaining(c, perEpoch, done, perEpoch * (c.epochs() - done),
                    perEpoch * Math.max(1, earliestEpochs(c) - done)));
        }
        return left;
    }

    /** One line for the whole, then one per run; {@code epochsDone} gives the epochs a run's checkpoint holds. */
    public static String describe(List<RunSpec> runs, Function<String, ModelEntry> models, DataProvider data,
                                  ToIntFunction<String> epochsDone) {
        if (runs.isEmpty()) {
            return "Nothing left to train.\n";
        }
        double most = 0;
        double fewest = 0;
        StringBuilder lines = new StringBuilder();
        for (Remaining r : remaining(runs, models, data, epochsDone)) {
            RunConfig c = r.config();
            int earliest = earliestEpochs(c);
            most += r.most();
            fewest += r.earliest();
            String label = String.format(Locale.ROOT, "- %s seed %d: ", c.model(), c.seed());
            String done = r.epochsDone() == 0 ? ""
                    : String.format(Locale.ROOT, " (%d done, in its checkpoint)", r.epochsDone());
            if (c.trainSeconds() > 0) {
                lines.append(label).append(String.format(Locale.ROOT, "%.0f s of training and %d evaluations: %s%n",
                        c.trainSeconds(), c.epochs(), SuiteRunner.duration(r.most())));
            } else if (earliest < c.epochs()) {
                lines.append(label).append(String.format(Locale.ROOT, "%s an epoch%s; %s (%d epochs) to %s (%d)%n",
                        SuiteRunner.duration(r.perEpoch()), done, SuiteRunner.duration(r.earliest()), earliest,
                        SuiteRunner.duration(r.most()), c.epochs()));
            } else {
                lines.append(label).append(String.format(Locale.ROOT, "%s an epoch%s; %s (%d epochs)%n",
                        SuiteRunner.duration(r.perEpoch()), done, SuiteRunner.duration(r.most()), c.epochs()));
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

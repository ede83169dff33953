package org.zoobench.experiments.suites;

import org.zoobench.experiments.results.EpochStats;
import org.zoobench.experiments.results.RunConfig;
import org.zoobench.experiments.results.RunRecord;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Whether a suite's runs were trained until test top-1 stopped rising, in the words its report prints: a verdict
 * on converged nets needs every run it compares to have met its stopping rule.
 */
final class Convergence {

    private Convergence() {
    }

    /** True when every finished run met its stopping rule. */
    static boolean allConverged(List<RunRecord> runs) {
        return runs.stream().filter(r -> !r.diverged()).allMatch(r -> r.convergedAtEpoch() != null);
    }

    /** One line per run that is not converged (or all converged in one line); empty for no runs. */
    static String summary(List<RunRecord> runs) {
        List<RunRecord> finished = runs.stream().filter(r -> !r.diverged() && !r.epochs().isEmpty()).toList();
        if (finished.isEmpty()) {
            return "";
        }
        if (allConverged(finished)) {
            return String.format(Locale.ROOT, "Stopping rule: all %d runs stopped with test top-1 no longer rising "
                    + "(epochs %s).%n", finished.size(), finished.stream()
                    .map(r -> String.valueOf(r.convergedAtEpoch())).collect(Collectors.joining(", ")));
        }
        StringBuilder out = new StringBuilder("Stopping rule: not met by ");
        List<RunRecord> open = finished.stream().filter(r -> r.convergedAtEpoch() == null).toList();
        out.append(open.stream().map(Convergence::openRun).collect(Collectors.joining("; ")));
        return out.append(".\n").toString();
    }

    /** E.g. "resnet56 seed 1 (12 s of training, no rule)" or "lenet5 seed 2 (last two epochs 90.1, 90.9)". */
    private static String openRun(RunRecord r) {
        RunConfig c = r.config();
        String what = r.model() + " seed " + r.seed();
        if (c.stopWithin() == 0) {
            return c.trainSeconds() > 0
                    ? String.format(Locale.ROOT, "%s (%.0f s of training, no rule)", what, c.trainSeconds())
                    : String.format(Locale.ROOT, "%s (%d epochs, no rule)", what, r.epochs().size());
        }
        List<EpochStats> e = r.epochs();
        return e.size() < 2 ? what + " (one epoch)" : String.format(Locale.ROOT,
                "%s (%d of at most %d epochs; last two test top-1 %.1f, %.1f)", what, e.size(), c.epochs(),
                e.get(e.size() - 2).testAccuracy(), e.get(e.size() - 1).testAccuracy());
    }
}

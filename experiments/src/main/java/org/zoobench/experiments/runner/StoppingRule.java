package org.zoobench.experiments.runner;

import org.zoobench.experiments.results.EpochStats;

import java.util.List;

/**
 * "Trained until test top-1 stops rising": the first epoch whose test top-1 is within {@code points} of the
 * epoch before it, both trained after the schedule's last division of the rate (so a division, which lifts top-1
 * again, cannot end training early).
 */
public record StoppingRule(double points, int lastDivisionEpoch) {

    /** The epoch at which the rule is met in these epochs (in order), or null if it is not (yet). */
    public Integer convergedAt(List<EpochStats> epochs) {
        for (int i = 1; i < epochs.size(); i++) {
            EpochStats before = epochs.get(i - 1);
            EpochStats now = epochs.get(i);
            if (before.epoch() > lastDivisionEpoch
                    && Math.abs(now.testAccuracy() - before.testAccuracy()) <= points) {
                return now.epoch();
            }
        }
        return null;
    }
}

package org.zoobench.experiments.runner;

/**
 * The learning rate schedule of Krizhevsky et al. (2012), kept by Zeiler and Fergus (2013): divide the rate by 10
 * when the validation error stops improving, here after {@code patience} epochs without a better top-1
 * (0 keeps the rate constant).
 */
final class Plateau {

    static final double FACTOR = 10;

    private final int patience;
    private double rate;
    private double best = Double.NEGATIVE_INFINITY;
    private int since;

    Plateau(double rate, int patience) {
        this.rate = rate;
        this.patience = patience;
    }

    /** A plateau rule continued from a checkpoint: its rate, best top-1 and epochs since. */
    Plateau(double rate, int patience, double best, int since) {
        this(rate, patience);
        this.best = best;
        this.since = since;
    }

    double best() {
        return best;
    }

    int since() {
        return since;
    }

    double rate() {
        return rate;
    }

    /** Takes an epoch's validation top-1; true when the rate was just divided (the next epoch uses {@link #rate()}). */
    boolean afterEpoch(double top1) {
        if (top1 > best) {
            best = top1;
            since = 0;
            return false;
        }
        since++;
        if (patience > 0 && since >= patience) {
            rate /= FACTOR;
            since = 0;
            return true;
        }
        return false;
    }
}

package org.zoobench.experiments.runner;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.data.ForwardingBatches;

import java.util.function.LongSupplier;

/**
 * Training batches for a fixed training time instead of a fixed number of epochs, cut into equal rounds: each
 * {@link #reset()} starts a round, and the batches end when the time spent in all rounds so far reaches that
 * round's share of the budget (the step under way when it does is finished). Within the budget the source runs on
 * across its own epochs, each in its new seeded order, so every second trains on fresh batches. Equal budgets
 * compare nets at equal training time, as DAWNBench compares them at equal accuracy.
 */
final class TimedBatches extends ForwardingBatches {

    private final long budgetNanos;
    private final int rounds;
    private final LongSupplier clock;
    private int round;
    private long spentNanos;
    private long roundStart;
    private boolean roundOver = true;

    /** {@code budgetSeconds} of training in {@code rounds} equal shares, timed by {@code clock} (nanoseconds). */
    TimedBatches(DataSetIterator source, double budgetSeconds, int rounds, LongSupplier clock) {
        super(source, "TimedBatches passes on prepared batches");
        if (!(budgetSeconds > 0) || rounds < 1) {
            throw new IllegalArgumentException("a time budget needs positive seconds and rounds, got "
                    + budgetSeconds + " s in " + rounds);
        }
        this.budgetNanos = (long) (budgetSeconds * 1e9);
        this.rounds = rounds;
        this.clock = clock;
    }

    /** Starts the next round; the first also starts the source's first epoch. */
    @Override
    public void reset() {
        if (round == 0) {
            source.reset();
        }
        round++;
        roundStart = clock.getAsLong();
        roundOver = round > rounds;
    }

    @Override
    public boolean hasNext() {
        if (roundOver) {
            return false;
        }
        long now = clock.getAsLong();
        if (spentNanos + (now - roundStart) >= budgetNanos * round / rounds) {
            spentNanos += now - roundStart;
            roundOver = true;
            return false;
        }
        if (!source.hasNext()) {
            source.reset();
        }
        return source.hasNext();
    }

    @Override
    public DataSet next() {
        return source.next();
    }

    @Override
    public DataSet next(int num) {
        return source.next(num);
    }
}

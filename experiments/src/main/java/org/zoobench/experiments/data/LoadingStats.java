package org.zoobench.experiments.data;

/**
 * Where the time of a pass over a {@link PipelineIterator} went. Counts are cumulative since the iterator was
 * made; subtract two snapshots ({@link #minus}) to get one epoch's share.
 *
 * @param batches       batches handed to the consumer
 * @param examples      examples in those batches
 * @param producedNanos time spent making batches (gather, resize, normalise), on the prefetch thread when
 *                      prefetching, so it overlaps training
 * @param waitedNanos   time the consumer (training) spent blocked waiting for a batch
 * @param elapsedNanos  wall time of the passes, from the first {@code next()} of a pass until it ran out or was
 *                      reset (or until the latest call, for a pass still going)
 */
public record LoadingStats(long batches, long examples, long producedNanos, long waitedNanos, long elapsedNanos) {

    public static final LoadingStats ZERO = new LoadingStats(0, 0, 0, 0, 0);

    /** Share of wall time the consumer waited on data: the data-loading share of step time (0 when idle). */
    public double waitShare() {
        return elapsedNanos == 0 ? 0 : (double) waitedNanos / elapsedNanos;
    }

    /** Time spent producing batches as a share of wall time; above {@link #waitShare()} when prefetching hides it. */
    public double produceShare() {
        return elapsedNanos == 0 ? 0 : (double) producedNanos / elapsedNanos;
    }

    /** The counts accumulated since {@code earlier}, a snapshot of the same iterator. */
    public LoadingStats minus(LoadingStats earlier) {
        return new LoadingStats(batches - earlier.batches, examples - earlier.examples,
                producedNanos - earlier.producedNanos, waitedNanos - earlier.waitedNanos,
                elapsedNanos - earlier.elapsedNanos);
    }

    @Override
    public String toString() {
        return String.format("%d batches, data wait %.1f%% of %.2f s (batch production %.2f s)", batches,
                100 * waitShare(), elapsedNanos / 1e9, producedNanos / 1e9);
    }
}

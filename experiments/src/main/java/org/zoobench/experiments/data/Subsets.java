package org.zoobench.experiments.data;

import java.util.Arrays;
import java.util.Random;

/** Seeded choice of which examples to keep when a limit is set. */
final class Subsets {

    private Subsets() {
    }

    /**
     * Indices of a seeded random subset of {@code limit} out of {@code n} examples, in ascending order
     * (so the kept examples stay in file order); all indices when {@code limit} is 0 or at least {@code n}.
     */
    static int[] pick(int n, int limit, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (limit <= 0 || limit >= n) {
            return order;
        }
        shuffle(order, new Random(seed));
        int[] kept = Arrays.copyOf(order, limit);
        Arrays.sort(kept);
        return kept;
    }

    /** Fisher-Yates shuffle in place. */
    static void shuffle(int[] a, Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}

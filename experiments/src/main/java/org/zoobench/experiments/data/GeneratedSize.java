package org.zoobench.experiments.data;

import org.zoobench.UserInputException;
import org.zoobench.zoo.Numbers;
import org.zoobench.zoo.profile.MemoryEstimate;

/**
 * The size check of the data sets generated in memory (synthetic, future-context), whose size is whatever
 * {@code --limit} asks: a count too large for one array, or for the memory left, is refused in one line before
 * anything is allocated.
 */
final class GeneratedSize {

    /** The longest Java array the JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private GeneratedSize() {
    }

    /**
     * @param option            the option that set the count ("--limit" or "--test-limit")
     * @param examples          examples asked for
     * @param shape             what one example is, as the user reads it (e.g. 1x28x28)
     * @param valuesPerExample  float values one example holds (features and labels)
     */
    static void check(String dataset, String option, int examples, String shape, long valuesPerExample) {
        long values = Math.multiplyHigh(examples, valuesPerExample) != 0 ? Long.MAX_VALUE
                : examples * valuesPerExample;
        long bytes = values > Long.MAX_VALUE / Float.BYTES ? Long.MAX_VALUE : values * Float.BYTES;
        long available = Math.min(Runtime.getRuntime().maxMemory(), MemoryEstimate.availableBytes());
        if (values > MAX_ARRAY || bytes > available) {
            throw new UserInputException(option + " " + Numbers.grouped(examples) + ": that many " + dataset
                    + " examples of " + shape + " take " + MemoryEstimate.gigabytes(bytes) + ", more than this process "
                    + "can hold (" + (values > MAX_ARRAY ? "one array holds at most " + Numbers.grouped(MAX_ARRAY)
                    + " values" : MemoryEstimate.gigabytes(available) + " free") + "); use a smaller " + option);
        }
    }
}

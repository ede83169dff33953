package org.zoobench.experiments.results;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.zoobench.UserInputException;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How a run's learning rate follows its steps when no plateau rule sets it: constant, falling linearly from the
 * starting rate at the first step to 0 after the last, or divided by 10 after each of {@code divisionEpochs}.
 * Records hold it as {@code "linear"} or {@code "step:10,15"}, and a constant rate not at all.
 *
 * @param shape          which of the three
 * @param divisionEpochs the epochs after which a step schedule divides the rate, increasing; empty otherwise
 */
public record LrSchedule(Shape shape, List<Integer> divisionEpochs) implements Serializable {

    public enum Shape { CONSTANT, LINEAR, STEP }

    public static final LrSchedule CONSTANT = new LrSchedule(Shape.CONSTANT, List.of());
    public static final LrSchedule LINEAR = new LrSchedule(Shape.LINEAR, List.of());
    private static final String LINEAR_ID = "linear";
    private static final String STEP_PREFIX = "step:";

    public LrSchedule {
        divisionEpochs = List.copyOf(divisionEpochs);
        if (shape == Shape.STEP) {
            if (divisionEpochs.isEmpty()) {
                throw new IllegalArgumentException("a step schedule divides the rate after at least one epoch");
            }
            for (int i = 0; i < divisionEpochs.size(); i++) {
                if (divisionEpochs.get(i) < 1 || (i > 0 && divisionEpochs.get(i) <= divisionEpochs.get(i - 1))) {
                    throw new IllegalArgumentException("a step schedule's epochs must be positive and increasing: "
                            + divisionEpochs);
                }
            }
        } else if (!divisionEpochs.isEmpty()) {
            throw new IllegalArgumentException("only a step schedule divides the rate at set epochs");
        }
    }

    /** The rate divided by 10 after each of these epochs. */
    public static LrSchedule steps(int... afterEpochs) {
        return new LrSchedule(Shape.STEP, IntStream.of(afterEpochs).boxed().toList());
    }

    /** A schedule as records hold it: {@code "linear"} or {@code "step:10,15"}; null (absent) is constant. */
    @JsonCreator
    public static LrSchedule recorded(String id) {
        if (id == null) {
            return CONSTANT;
        }
        if (id.equals(LINEAR_ID)) {
            return LINEAR;
        }
        if (id.startsWith(STEP_PREFIX)) {
            try {
                return steps(Arrays.stream(id.substring(STEP_PREFIX.length()).split(","))
                        .mapToInt(Integer::parseInt).toArray());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unknown learning-rate schedule " + id, e);
            }
        }
        throw new IllegalArgumentException("unknown learning-rate schedule " + id);
    }

    /** A --lr-schedule value, in any case: constant or linear. */
    public static LrSchedule parse(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "constant" -> CONSTANT;
            case LINEAR_ID -> LINEAR;
            default -> throw new UserInputException("unknown learning-rate schedule '" + name
                    + "'; choose constant or linear");
        };
    }

    /** As records hold it; null for a constant rate, which records leave out (and so out of the run id). */
    @JsonValue
    public String id() {
        return switch (shape) {
            case CONSTANT -> null;
            case LINEAR -> LINEAR_ID;
            case STEP -> STEP_PREFIX + divisionEpochs.stream().map(String::valueOf).collect(Collectors.joining(","));
        };
    }

    public boolean isConstant() {
        return shape == Shape.CONSTANT;
    }

    /** The last epoch after which the schedule divides the rate; 0 where it never divides at set epochs. */
    public int lastDivisionEpoch() {
        return divisionEpochs.isEmpty() ? 0 : divisionEpochs.get(divisionEpochs.size() - 1);
    }

    /** The rate's course in words, with {@code lrPatience}'s plateau rule where the schedule is constant. */
    public String inWords(int lrPatience) {
        return switch (shape) {
            case LINEAR -> "linear decay to 0";
            case STEP -> "÷10 after epochs " + divisionEpochs.stream().map(String::valueOf)
                    .collect(Collectors.joining(" and "));
            case CONSTANT -> lrPatience > 0 ? String.format(Locale.ROOT,
                    "÷10 after %d epoch(s) without a better test top-1", lrPatience) : "constant";
        };
    }

    @Override
    public String toString() {
        return isConstant() ? "constant" : id();
    }
}

package org.zoobench.experiments.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.util.StdConverter;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Everything that decides what a run computes. Two runs with equal configs are the same experiment, which is
 * what lets a rerun of a suite skip finished runs.
 *
 * @param input       the image or sequence shape the model is built for and the data resized to
 * @param resize      how images reach the input size
 * @param trainLimit  number of training examples used (a seeded subset), or 0 for all
 * @param testLimit   number of test examples used (the first ones), or 0 for all
 * @param learningRate the updater's learning rate
 * @param targetAccuracy test top-1 (percent) whose time of first reaching is recorded
 * @param layers      the layer implementation, {@code fast} or {@code stock} (see LayerImpl): the same maths,
 *                    but rounding and speed differ, so it is part of what identifies a run
 * @param weightDecay L2 weight decay on every layer's weights (0: none)
 * @param lrPatience  epochs without a better test top-1 after which the learning rate is divided by 10 (0: never)
 * @param lrSchedule  {@value #LINEAR_DECAY}: the rate falls linearly from {@code learningRate} at the first step to 0
 *                    after the last; null: the rate stays constant (or follows {@code lrPatience})
 * @param dataParallel the workers that share each step, or null for one (the runner's own loop, no ParallelWrapper)
 * @param augmentation random crops and flips of the training images, or null for whole images
 * @param stopWithin  test top-1 points: training stops once two consecutive epochs trained at the schedule's final
 *                    rate are within this of each other ("until test top-1 stops rising"); {@code epochs} is then the
 *                    most it trains (0: always {@code epochs})
 * @param trainSeconds training seconds the run gets in all (0: none, it trains {@code epochs} epochs): the
 *                    batches then run on, across epochs, for that long, and {@code epochs} counts the evaluations,
 *                    one at the end of each equal share of the time
 * @param init        the folder of the saved model whose weights the run starts from (absolute), or null for fresh ones
 */
public record RunConfig(String model, String dataset,
                        // As "CxHxW" or "FxT", as records have always held it: the run id hashes this JSON.
                        @JsonSerialize(using = ToStringSerializer.class)
                        @JsonDeserialize(converter = ParsedInputShape.class) InputShape input,
                        ResizeMode resize, int classes, int epochs, int batchSize, Updater updater,
                        double learningRate, long seed, int trainLimit, int testLimit, double targetAccuracy,
                        int bootstrapSamples, String layers,
                        // Left out of the JSON (and so of the run id) when unset: older runs keep their ids.
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double weightDecay,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int lrPatience,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) String lrSchedule,
                        @JsonInclude(JsonInclude.Include.NON_NULL) DataParallel dataParallel,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Augmentation augmentation,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double stopWithin,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double trainSeconds,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String init)
        implements Serializable {

    public static final String LINEAR_DECAY = "linear";
    /** Prefix of a step schedule: {@code "step:10,15"} divides the rate by 10 after epochs 10 and 15. */
    public static final String STEP_PREFIX = "step:";
    private static final ObjectMapper JSON = new ObjectMapper();

    public RunConfig {
        if (layers == null) {
            layers = "stock"; // records written before fast layers existed ran on DL4J's stock layers
        }
        if (lrSchedule != null && !lrSchedule.equals(LINEAR_DECAY)) {
            stepEpochs(lrSchedule); // throws on anything else
        }
        if (lrSchedule != null && lrPatience > 0) {
            throw new IllegalArgumentException("a schedule and a plateau rule cannot both set the rate");
        }
        if (stopWithin > 0 && (LINEAR_DECAY.equals(lrSchedule) || lrPatience > 0 || trainSeconds > 0)) {
            throw new IllegalArgumentException("the stopping rule needs a constant or step schedule over epochs");
        }
        if (augmentation != null && resize == ResizeMode.CROP) {
            throw new IllegalArgumentException("ImageNet-style crops already crop and flip: no augmentation on top");
        }
        if (trainSeconds > 0 && lrSchedule != null) {
            throw new IllegalArgumentException("a time budget has no fixed step count for a schedule to follow");
        }
    }

    /** A run from fresh weights. */
    public RunConfig(String model, String dataset, InputShape input, ResizeMode resize, int classes, int epochs,
                     int batchSize, Updater updater, double learningRate, long seed, int trainLimit, int testLimit,
                     double targetAccuracy, int bootstrapSamples, String layers, double weightDecay, int lrPatience,
                     String lrSchedule, DataParallel dataParallel, Augmentation augmentation, double stopWithin,
                     double trainSeconds) {
        this(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, seed, trainLimit,
                testLimit, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience, lrSchedule, dataParallel,
                augmentation, stopWithin, trainSeconds, null);
    }

    /** A run on one worker, whole images, from fresh weights, trained for all its epochs (or its time budget). */
    public RunConfig(String model, String dataset, InputShape input, ResizeMode resize, int classes, int epochs,
                     int batchSize, Updater updater, double learningRate, long seed, int trainLimit, int testLimit,
                     double targetAccuracy, int bootstrapSamples, String layers, double weightDecay, int lrPatience,
                     String lrSchedule, DataParallel dataParallel) {
        this(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, seed, trainLimit,
                testLimit, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience, lrSchedule, dataParallel,
                null, 0, 0);
    }

    /** A run on one worker. */
    public RunConfig(String model, String dataset, InputShape input, ResizeMode resize, int classes, int epochs,
                     int batchSize, Updater updater, double learningRate, long seed, int trainLimit, int testLimit,
                     double targetAccuracy, int bootstrapSamples, String layers, double weightDecay, int lrPatience,
                     String lrSchedule) {
        this(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, seed, trainLimit,
                testLimit, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience, lrSchedule, null);
    }

    /** A run whose rate is constant or follows {@code lrPatience}. */
    public RunConfig(String model, String dataset, InputShape input, ResizeMode resize, int classes, int epochs,
                     int batchSize, Updater updater, double learningRate, long seed, int trainLimit, int testLimit,
                     double targetAccuracy, int bootstrapSamples, String layers, double weightDecay, int lrPatience) {
        this(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, seed, trainLimit,
                testLimit, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience, null);
    }

    /** A run with a constant learning rate and no weight decay. */
    public RunConfig(String model, String dataset, InputShape input, ResizeMode resize, int classes, int epochs,
                     int batchSize, Updater updater, double learningRate, long seed, int trainLimit, int testLimit,
                     double targetAccuracy, int bootstrapSamples, String layers) {
        this(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, seed, trainLimit,
                testLimit, targetAccuracy, bootstrapSamples, layers, 0, 0);
    }

    public RunConfig withSeed(long s) {
        return new RunConfig(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, s,
                trainLimit, testLimit, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience, lrSchedule,
                dataParallel, augmentation, stopWithin, trainSeconds, init);
    }

    public RunConfig withLayers(String l) {
        return new RunConfig(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, seed,
                trainLimit, testLimit, targetAccuracy, bootstrapSamples, l, weightDecay, lrPatience, lrSchedule,
                dataParallel, augmentation, stopWithin, trainSeconds, init);
    }

    /** The same run on these workers (null: on one). */
    public RunConfig withDataParallel(DataParallel d) {
        return new RunConfig(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, seed,
                trainLimit, testLimit, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience, lrSchedule,
                d, augmentation, stopWithin, trainSeconds, init);
    }

    /** How many workers share each step: 1 unless {@link #dataParallel()} says more. */
    public int workers() {
        return dataParallel == null ? 1 : dataParallel.workers();
    }

    /** The same run cut to {@code e} epochs and the given example limits (0 = all): the notebooks' CI caps. */
    public RunConfig withBudget(int e, int trainLimitNow, int testLimitNow) {
        return new RunConfig(model, dataset, input, resize, classes, e, batchSize, updater, learningRate, seed,
                trainLimitNow, testLimitNow, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience,
                lrSchedule, dataParallel, augmentation, stopWithin, trainSeconds, init);
    }

    /** The same run starting from the weights saved in {@code dir} (null: fresh ones). */
    public RunConfig withInit(String dir) {
        return new RunConfig(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate, seed,
                trainLimit, testLimit, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience, lrSchedule,
                dataParallel, augmentation, stopWithin, trainSeconds, dir);
    }

    /** The learning-rate schedule in words, e.g. "linear decay to 0". */
    public String scheduleInWords() {
        return scheduleInWords(lrPatience, lrSchedule);
    }

    /** A --lr-schedule value as a run config holds it: null for constant, {@link #LINEAR_DECAY}. */
    public static String parseSchedule(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "constant" -> null;
            case LINEAR_DECAY -> LINEAR_DECAY;
            default -> throw new UserInputException("unknown learning-rate schedule '" + name
                    + "'; choose constant or linear");
        };
    }

    /** The step schedule dividing the rate by 10 after each of these epochs, as a run config holds it. */
    public static String stepSchedule(int... afterEpochs) {
        String schedule = STEP_PREFIX + Arrays.stream(afterEpochs).mapToObj(String::valueOf)
                .collect(Collectors.joining(","));
        stepEpochs(schedule);
        return schedule;
    }

    /** The epochs after which a step schedule divides the rate by 10, increasing; fails on anything else. */
    public static int[] stepEpochs(String schedule) {
        if (schedule == null || !schedule.startsWith(STEP_PREFIX)) {
            throw new IllegalArgumentException("unknown learning-rate schedule " + schedule);
        }
        int[] epochs;
        try {
            epochs = Arrays.stream(schedule.substring(STEP_PREFIX.length()).split(","))
                    .mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unknown learning-rate schedule " + schedule, e);
        }
        for (int i = 0; i < epochs.length; i++) {
            if (epochs[i] < 1 || (i > 0 && epochs[i] <= epochs[i - 1])) {
                throw new IllegalArgumentException("a step schedule's epochs must be positive and increasing: "
                        + schedule);
            }
        }
        return epochs;
    }

    /** The last epoch after which the schedule divides the rate; 0 where the rate is never divided at set epochs. */
    public int lastDivisionEpoch() {
        if (lrSchedule == null || lrSchedule.equals(LINEAR_DECAY)) {
            return 0;
        }
        int[] epochs = stepEpochs(lrSchedule);
        return epochs[epochs.length - 1];
    }

    public static String scheduleInWords(int lrPatience, String lrSchedule) {
        if (LINEAR_DECAY.equals(lrSchedule)) {
            return "linear decay to 0";
        }
        if (lrSchedule != null) {
            return "÷10 after epochs " + Arrays.stream(stepEpochs(lrSchedule)).mapToObj(String::valueOf)
                    .collect(Collectors.joining(" and "));
        }
        return lrPatience > 0 ? String.format(Locale.ROOT, "÷10 after %d epoch(s) without a better test top-1",
                lrPatience) : "constant";
    }

    /** Directory name of the run: readable prefix plus a hash of the whole config. */
    public String runId() {
        return model + "_seed" + seed + "_" + hash();
    }

    private String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(JSON.writeValueAsString(this).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class ParsedInputShape extends StdConverter<String, InputShape> {
        @Override
        public InputShape convert(String spec) {
            return InputShape.parse(spec);
        }
    }
}

package org.zoobench.experiments.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.databind.util.StdConverter;
import org.zoobench.layers.LayerImpl;
import org.zoobench.zoo.InputShape;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
 * @param layers      the layer implementation (see LayerImpl): the same maths, but rounding and speed differ, so
 *                    it is part of what identifies a run
 * @param weightDecay L2 weight decay on every layer's weights (0: none)
 * @param lrPatience  epochs without a better test top-1 after which the learning rate is divided by 10 (0: never)
 * @param lrSchedule  the rate's course over the steps (see LrSchedule); where constant, it may follow
 *                    {@code lrPatience}
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
                        int bootstrapSamples,
                        @JsonSerialize(converter = ZooIdJson.LayerImplId.class)
                        @JsonDeserialize(converter = ZooIdJson.ParsedLayerImpl.class) LayerImpl layers,
                        // Left out of the JSON (and so of the run id) when unset: older runs keep their ids.
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double weightDecay,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) int lrPatience,
                        @JsonInclude(JsonInclude.Include.NON_EMPTY) LrSchedule lrSchedule,
                        @JsonInclude(JsonInclude.Include.NON_NULL) DataParallel dataParallel,
                        @JsonInclude(JsonInclude.Include.NON_NULL) Augmentation augmentation,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double stopWithin,
                        @JsonInclude(JsonInclude.Include.NON_DEFAULT) double trainSeconds,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String init)
        implements Serializable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RunConfig {
        if (layers == null) {
            layers = LayerImpl.STOCK; // records written before fast layers existed ran on DL4J's stock layers
        }
        if (lrSchedule == null) {
            lrSchedule = LrSchedule.CONSTANT; // records leave a constant rate out
        }
        if (!lrSchedule.isConstant() && lrPatience > 0) {
            throw new IllegalArgumentException("a schedule and a plateau rule cannot both set the rate");
        }
        if (stopWithin > 0 && (lrSchedule.shape() == LrSchedule.Shape.LINEAR || lrPatience > 0
                || trainSeconds > 0)) {
            throw new IllegalArgumentException("the stopping rule needs a constant or step schedule over epochs");
        }
        if (augmentation != null && resize == ResizeMode.CROP) {
            throw new IllegalArgumentException("ImageNet-style crops already crop and flip: no augmentation on top");
        }
        if (trainSeconds > 0 && !lrSchedule.isConstant()) {
            throw new IllegalArgumentException("a time budget has no fixed step count for a schedule to follow");
        }
    }

    /** A config built by name: a run from fresh weights on one worker, whole images, a constant rate, fast layers. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this config, to change some of it by name. */
    public Builder toBuilder() {
        return new Builder().model(model).dataset(dataset).input(input).resize(resize).classes(classes)
                .epochs(epochs).batchSize(batchSize).updater(updater).learningRate(learningRate).seed(seed)
                .trainLimit(trainLimit).testLimit(testLimit).targetAccuracy(targetAccuracy)
                .bootstrapSamples(bootstrapSamples).layers(layers).weightDecay(weightDecay).lrPatience(lrPatience)
                .lrSchedule(lrSchedule).dataParallel(dataParallel).augmentation(augmentation).stopWithin(stopWithin)
                .trainSeconds(trainSeconds).init(init);
    }

    public RunConfig withSeed(long s) {
        return toBuilder().seed(s).build();
    }

    public RunConfig withLayers(LayerImpl l) {
        return toBuilder().layers(l).build();
    }

    /** The same run on these workers (null: on one). */
    public RunConfig withDataParallel(DataParallel d) {
        return toBuilder().dataParallel(d).build();
    }

    /** How many workers share each step: 1 unless {@link #dataParallel()} says more. */
    public int workers() {
        return dataParallel == null ? 1 : dataParallel.workers();
    }

    /** The same run cut to {@code e} epochs and the given example limits (0 = all): the notebooks' CI caps. */
    public RunConfig withBudget(int e, int trainLimitNow, int testLimitNow) {
        return toBuilder().epochs(e).trainLimit(trainLimitNow).testLimit(testLimitNow).build();
    }

    /** The same run starting from the weights saved in {@code dir} (null: fresh ones). */
    public RunConfig withInit(String dir) {
        return toBuilder().init(dir).build();
    }

    /** The learning-rate schedule in words, e.g. "linear decay to 0". */
    public String scheduleInWords() {
        return lrSchedule.inWords(lrPatience);
    }

    /** The last epoch after which the schedule divides the rate; 0 where the rate is never divided at set epochs. */
    public int lastDivisionEpoch() {
        return lrSchedule.lastDivisionEpoch();
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

    /** Builds a config by name; unset, a component has the default of its type, and {@code layers} is fast. */
    public static final class Builder {
        private String model;
        private String dataset;
        private InputShape input;
        private ResizeMode resize = ResizeMode.BILINEAR;
        private int classes;
        private int epochs;
        private int batchSize;
        private Updater updater;
        private double learningRate;
        private long seed;
        private int trainLimit;
        private int testLimit;
        private double targetAccuracy;
        private int bootstrapSamples;
        private LayerImpl layers = LayerImpl.FAST;
        private double weightDecay;
        private int lrPatience;
        private LrSchedule lrSchedule = LrSchedule.CONSTANT;
        private DataParallel dataParallel;
        private Augmentation augmentation;
        private double stopWithin;
        private double trainSeconds;
        private String init;

        private Builder() {
        }

        public Builder model(String v) { model = v; return this; }
        public Builder dataset(String v) { dataset = v; return this; }
        public Builder input(InputShape v) { input = v; return this; }
        public Builder resize(ResizeMode v) { resize = v; return this; }
        public Builder classes(int v) { classes = v; return this; }
        public Builder epochs(int v) { epochs = v; return this; }
        public Builder batchSize(int v) { batchSize = v; return this; }
        public Builder updater(Updater v) { updater = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder trainLimit(int v) { trainLimit = v; return this; }
        public Builder testLimit(int v) { testLimit = v; return this; }
        public Builder targetAccuracy(double v) { targetAccuracy = v; return this; }
        public Builder bootstrapSamples(int v) { bootstrapSamples = v; return this; }
        public Builder layers(LayerImpl v) { layers = v; return this; }
        public Builder weightDecay(double v) { weightDecay = v; return this; }
        public Builder lrPatience(int v) { lrPatience = v; return this; }
        public Builder lrSchedule(LrSchedule v) { lrSchedule = v; return this; }
        public Builder dataParallel(DataParallel v) { dataParallel = v; return this; }
        public Builder augmentation(Augmentation v) { augmentation = v; return this; }
        public Builder stopWithin(double v) { stopWithin = v; return this; }
        public Builder trainSeconds(double v) { trainSeconds = v; return this; }
        public Builder init(String v) { init = v; return this; }

        public RunConfig build() {
            return new RunConfig(model, dataset, input, resize, classes, epochs, batchSize, updater, learningRate,
                    seed, trainLimit, testLimit, targetAccuracy, bootstrapSamples, layers, weightDecay, lrPatience,
                    lrSchedule, dataParallel, augmentation, stopWithin, trainSeconds, init);
        }
    }
}
